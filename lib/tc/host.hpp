// Once-per-host steering structures (pm-tc setup / teardown): ingress qdiscs
// on host eth0 and lo and the shared u32 tables every container's filters are
// entered into.  Recorded in host.json.
#pragma once
#include <string>

#include "core/unique_fd.hpp"
#include "state/state_dir.hpp"
#include "tc/flows.hpp"
#include "tc/records.hpp"

namespace pm::tc {

struct SetupOptions {
    std::string eth0;  // "" = the link of the default IPv4 route (or the recorded one)
    std::string lo;    // "" = the first loopback link (or the recorded one)
    FlowOptions flows;  // unique flows (flows.hpp); not given = as recorded
};

// Idempotent: an existing, matching setup is exit 0 with no change;
// Error(conflict) when host.json was made for other interfaces/addresses.
HostRecord setup_host(const StateDir& state, double wait, const SetupOptions& opt);

// Removes what setup made.  Error(conflict) while containers are attached
// unless `force` (then they are detached first).  Exit 0 when not set up.
void teardown_host(const StateDir& state, double wait, bool force);

// host.json or Error(not_found) with a hint to run `pm-tc setup`.
HostRecord require_host(const StateDir& state);

// require_host() before the state lock is taken (a clear error without
// waiting for it), read again under the lock only when a setup or teardown
// replaced host.json meanwhile (json_file.hpp still_names).
class HostBeforeLock {
public:
    explicit HostBeforeLock(const StateDir& state);
    // Call with the lock held.
    HostRecord under_lock() &&;

private:
    const StateDir& state_;
    UniqueFd file_;  // before rec_: the constructor reads into it
    HostRecord rec_;
};

}  // namespace pm::tc
