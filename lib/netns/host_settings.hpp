// The once-per-host settings the design needs (Mesos reference §1.2 steps 5
// and 9; kernel-notes pitfalls 2-3): host lo takes eth0's MAC and MTU, and lo
// gets route_localnet=1, accept_local=1, rp_filter=0, send_redirects=0 (also
// "all" for rp_filter and send_redirects).  Applied idempotently by every
// `create`, recorded in STATE/netns-host.json, shown by `pm-netns status`.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "nl/link.hpp"
#include "nl/socket.hpp"
#include "core/undo.hpp"
#include "state/state_dir.hpp"
#include "sys/sysctl_dirs.hpp"

namespace pm::netns {

struct HostSetting {
    std::string name;                    // "link.lo.address", "net.ipv4.conf.lo.route_localnet", ...
    std::string want;
    std::optional<std::string> current;  // nullopt: the sysctl does not exist
    bool ok() const { return current && *current == want; }
};

// The settings for this eth0/lo pair with their current values (read through
// `dirs`, in the caller's namespace; `lo` as looked up just before).
std::vector<HostSetting> host_settings(const nl::Link& eth0, const nl::Link& lo, sysctl::Dirs& dirs);

// Applies every setting that differs from `observed` (host_settings() just
// before, under the state lock), pushing its undo: sysctls, lo's MTU, and lo's
// MAC last (the kernel refuses to set an all-zero MAC back, so that one change
// cannot be undone).  Error(unsupported) when the kernel lacks route_localnet.
void apply_host_settings(nl::Socket& sock, const nl::Link& eth0, const nl::Link& lo,
                         const std::vector<HostSetting>& observed, UndoStack& undo);

// STATE/netns-host.json, written only by pm-netns.
struct HostRecord {
    std::string eth0;
    int eth0_ifindex = 0;
    std::string lo;
    int lo_ifindex = 0;
    std::string mac;
    unsigned mtu = 0;
    Json settings = Json::object();  // name -> wanted value
    Json previous = Json::object();  // name -> value before pm-netns first changed it

    Json to_json() const;
    static HostRecord from_json(const Json& j);  // Error(bad_value) when malformed
    bool operator==(const HostRecord&) const = default;
};

std::filesystem::path host_record_file(const StateDir& state);
std::optional<HostRecord> load_host_record(const StateDir& state);
// Builds the record for eth0/lo before apply_host_settings(), from the record
// on disk (`old`, load_host_record()) and the `observed` settings: the values
// that are about to change are kept as "previous" (earlier ones win).  Writes
// it when it changed; pushes the undo.
void save_host_record(const StateDir& state, const std::optional<HostRecord>& old, const nl::Link& eth0,
                      const nl::Link& lo, const std::vector<HostSetting>& observed, UndoStack& undo);

}  // namespace pm::netns
