// The Mesos agent's /monitor/statistics shape: an array of
// {"container_id","executor_id","executor_name","framework_id","source","statistics":{...}}
// with ResourceStatistics field names, so readers of Mesos's endpoint read ours.
#pragma once
#include <vector>

#include "core/json.hpp"
#include "stats/model.hpp"

namespace pm::stats {

Json statistics_json(const ContainerStats& c);  // the "statistics" object
Json mesos_json(const std::vector<ContainerStats>& containers);

}  // namespace pm::stats
