// Nearest-rank percentiles over a sample (used for TCP RTTs).
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "stats/model.hpp"

namespace pm::stats {

// The smallest sample with at least p% of the samples <= it (nearest rank:
// index ceil(p/100 * n) - 1 of the sorted samples).  `sorted` must be sorted
// ascending and non-empty; 0 < p <= 100.
uint64_t nearest_rank(const std::vector<uint32_t>& sorted, double p);

// p50/p90/p95/p99 of `samples` (sorted in place); nullopt when empty.
std::optional<RttPercentiles> rtt_percentiles(std::vector<uint32_t>& samples);

}  // namespace pm::stats
