// `pm-netns exec ID -- CMD...`: run CMD in the container's network namespace,
// with a private mount namespace whose /sys shows that network namespace (as
// `ip netns exec` does).  A launcher: it execs, so CMD keeps the PID.
#pragma once
#include <string>
#include <vector>

#include "state/state_dir.hpp"

namespace pm::netns {

inline constexpr int kExecCannotRun = 126;  // found but not executable
inline constexpr int kExecNotFound = 127;

// Enters and execs; returns only when exec failed, with 126 or 127 (the
// message already printed).  Throws pm::Error for its own failures (the
// caller maps them to 125).
int exec_in_netns(const StateDir& state, const std::string& id, const std::vector<std::string>& command);

}  // namespace pm::netns
