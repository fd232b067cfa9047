// Per-container steering: pm-tc attach / update / detach.  Reads pm-alloc's
// alloc.json (ports) and pm-netns's netns.json (veth, namespace), writes
// containers/ID/tc.json.  tc.json is written before the kernel is touched
// (state "attaching"/"updating", listing everything that may exist), so a
// crash leaves a record that detach or a re-run uses to clean up.
#pragma once
#include <string>
#include <vector>

#include "state/state_dir.hpp"
#include "tc/rate_config.hpp"
#include "tc/records.hpp"
#include "core/undo.hpp"

namespace pm::tc {

enum class Outcome { changed, unchanged };

// Attaches ID.  Idempotent when attached with the same ports and veth;
// Error(conflict) when attached with other ports (use update).  Any failure
// removes what this call added.
// `shape`: limits to set up with it (shaping.hpp); attached already with other
// limits is Error(conflict) too.
Outcome attach(const StateDir& state, double wait, const std::string& id, const ShapingChange& shape = {});
// Re-reads ID's ports and adds/removes only the blocks that changed.
// `shape` adds, changes or removes limits live (directions not named stay).
Outcome update(const StateDir& state, double wait, const std::string& id, const ShapingChange& shape = {});
// Removes every filter of ID; unchanged (exit 0) when not attached.
Outcome detach(const StateDir& state, double wait, const std::string& id);
// detach() for a caller that already holds the state lock.
Outcome detach_locked(const StateDir& state, const std::string& id);

// What gc removed: one entry per container.
struct Collected {
    std::string id;
    std::string reason;
};
// Detaches containers whose host veth is gone (their namespace was destroyed
// or the host rebooted) and records of attaches that never finished.  Works
// from tc.json alone, so it may run before or after pm-netns gc.
std::vector<Collected> gc(const StateDir& state, double wait);

}  // namespace pm::tc
