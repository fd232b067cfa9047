// Per-second rates between two samples of one container, for --watch.
#pragma once
#include <optional>

#include "stats/model.hpp"

namespace pm::stats {

struct Rates {
    double rx_bytes = 0, rx_packets = 0, rx_dropped = 0;
    double tx_bytes = 0, tx_packets = 0, tx_dropped = 0;
    double tc_drops = 0;  // summed over the tc elements present in both samples
    double seconds = 0;   // interval the rates were computed over
};

// nullopt when the interval is not positive or a counter went backwards (the
// container was recreated under the same ID): no honest rate exists then.
std::optional<Rates> compute_rates(const ContainerStats& before, const ContainerStats& after);

}  // namespace pm::stats
