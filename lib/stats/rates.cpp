#include "stats/rates.hpp"

namespace pm::stats {

std::optional<Rates> compute_rates(const ContainerStats& before, const ContainerStats& after) {
    const double dt = after.monotonic - before.monotonic;
    if (!(dt > 0)) return std::nullopt;
    bool backwards = false;
    auto rate = [&](uint64_t a, uint64_t b) {
        if (b < a) backwards = true;
        return b >= a ? static_cast<double>(b - a) / dt : 0.0;
    };
    const auto &a = before.link, &b = after.link;
    Rates r;
    r.seconds = dt;
    r.rx_bytes = rate(a.rx_bytes, b.rx_bytes);
    r.rx_packets = rate(a.rx_packets, b.rx_packets);
    r.rx_dropped = rate(a.rx_dropped, b.rx_dropped);
    r.tx_bytes = rate(a.tx_bytes, b.tx_bytes);
    r.tx_packets = rate(a.tx_packets, b.tx_packets);
    r.tx_dropped = rate(a.tx_dropped, b.tx_dropped);
    // A shaper re-attached in between restarts its counters: leave it out of
    // the sum instead of discarding the link rates.
    for (const auto& e : after.tc)
        for (const auto& old : before.tc)
            if (old.id == e.id && e.drops >= old.drops) r.tc_drops += static_cast<double>(e.drops - old.drops) / dt;
    if (backwards) return std::nullopt;
    return r;
}

}  // namespace pm::stats
