// Human tables: one row per container (the default output) and the --watch
// table of per-second rates.  Both go through pm::Table like every tool's output.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "output/table.hpp"
#include "stats/model.hpp"

namespace pm::stats {

Table counters_table(const std::vector<ContainerStats>& containers, bool sockets);

// Rates of `now` against `before` (matched by ID); a container without an
// earlier sample, or whose counters restarted, shows "-".
Table rates_table(const std::map<std::string, ContainerStats>& before, const std::vector<ContainerStats>& now);

// "0B/s", "512B/s", "1.5KB/s", "12.3MB/s" (base 1024, the Mesos byte units).
std::string format_byte_rate(double bytes_per_second);

}  // namespace pm::stats
