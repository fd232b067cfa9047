// Setting the planned limits on this process (they are inherited across exec).
#pragma once
#include <vector>

#include "rlimit/plan.hpp"

namespace pm::rlimit {

// One setrlimit per entry (soft and hard together, so their order cannot
// matter); -v says "nofile: 1024:524288 -> 64:64 (cli)".  Error on failure.
void apply_plan(const std::vector<PlanEntry>& plan);

}  // namespace pm::rlimit
