// `pm-netns destroy`: delete the veth, remove the /run/netns link, unmount and
// remove the handle, remove netns.json.  Already gone is success.  Processes
// still inside are not killed; they are reported.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

#include "state/state_dir.hpp"

namespace pm::netns {

struct DestroyResult {
    bool existed = false;              // anything was there to remove
    std::vector<pid_t> still_inside;   // processes in the namespace when it was released
};

// `list_processes`: fill still_inside (a scan of /proc; only for reporting).
// When the namespace dies with its handle, the kernel's namespace cleanup
// deletes the veth pair a few milliseconds later, batched with other
// namespaces; destroy returns once that is certain, as `ip netns del` does,
// unless `sync`: then it waits until the pair is gone.
DestroyResult destroy_netns(const StateDir& state, const std::string& id, double wait, bool list_processes,
                            bool sync = false);

}  // namespace pm::netns
