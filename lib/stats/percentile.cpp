#include "stats/percentile.hpp"

#include <algorithm>
#include <cmath>

namespace pm::stats {

uint64_t nearest_rank(const std::vector<uint32_t>& sorted, double p) {
    const size_t n = sorted.size();
    // Integer rank in hundredths avoids 0.95*20 = 19.000000000000004 -> 20.
    const auto hundredths = static_cast<uint64_t>(std::llround(p * 100.0));
    uint64_t rank = (hundredths * n + 9999) / 10000;  // ceil(p/100 * n)
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return sorted[rank - 1];
}

std::optional<RttPercentiles> rtt_percentiles(std::vector<uint32_t>& samples) {
    if (samples.empty()) return std::nullopt;
    std::sort(samples.begin(), samples.end());
    RttPercentiles r;
    r.p50 = nearest_rank(samples, 50);
    r.p90 = nearest_rank(samples, 90);
    r.p95 = nearest_rank(samples, 95);
    r.p99 = nearest_rank(samples, 99);
    r.samples = samples.size();
    return r;
}

}  // namespace pm::stats
