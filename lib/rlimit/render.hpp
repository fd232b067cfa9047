// --dry-run / --print output: one row per limit, human table or JSON, through
// the toolkit's one table emitter (output/table.hpp).
#pragma once
#include <vector>

#include "output/table.hpp"
#include "rlimit/plan.hpp"

namespace pm::rlimit {

// Columns RESOURCE CURRENT NEW UNIT SOURCE; JSON rows
// {"resource","unit","current":{"soft","hard"},"new":{...},"source","warnings"}
// with values as numbers or "unlimited".
Table plan_table(const std::vector<PlanEntry>& plan);

}  // namespace pm::rlimit
