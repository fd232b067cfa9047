// Which processes live in a network namespace (by its inode, as `ip netns
// pids` does through /proc/PID/ns/net).
#pragma once
#include <sys/types.h>

#include <vector>

namespace pm::netns {

std::vector<pid_t> pids_in_netns(ino_t netns_inode);

}  // namespace pm::netns
