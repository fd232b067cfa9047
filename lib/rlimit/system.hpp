// The plan's Environment read from the running process and kernel.
#pragma once
#include "rlimit/plan.hpp"

namespace pm::rlimit {

// current: getrlimit; cannot_raise_hard: CAP_SYS_RESOURCE in the effective set
// (capget) and not inside a user namespace (the kernel checks the capability
// against the initial one); nr_open: fs.nr_open via /proc/sys.
Environment system_environment();

Pair current_limit(const LimitInfo& limit);

}  // namespace pm::rlimit
