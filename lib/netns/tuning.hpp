// The host's TCP/socket tuning replayed into every container (Mesos reference
// §1.2 step 10), so a container behaves like the host it shares an IP with.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "sys/sysctl_dirs.hpp"

namespace pm::netns {

// Dotted sysctl keys, in replay order.
const std::vector<std::string>& tuning_keys();

using SysctlValues = std::vector<std::pair<std::string, std::string>>;  // /proc/sys path, value
// The values of tuning_keys() in the namespace of `dirs` (the current one);
// keys that do not exist or cannot be read are skipped.
SysctlValues snapshot_tuning(sysctl::Dirs& dirs);

}  // namespace pm::netns
