#include "stats/render.hpp"

#include <fmt/format.h>

#include "stats/rates.hpp"
#include "units/units.hpp"

namespace pm::stats {
namespace {

std::string limit_cell(const ShapingLimits& l) {
    if (!l.rate) return "-";
    std::string s = format_rate(*l.rate);
    if (l.ceil) s += "/" + format_rate(*l.ceil);
    return s;
}

std::string per_second(double v) { return fmt::format("{:.1f}", v); }

}  // namespace

std::string format_byte_rate(double v) {
    static const char* units[] = {"B", "KB", "MB", "GB", "TB"};
    size_t u = 0;
    while (v >= 1024.0 && u + 1 < std::size(units)) {
        v /= 1024.0;
        ++u;
    }
    return (u == 0 ? fmt::format("{:.0f}", v) : fmt::format("{:.1f}", v)) + units[u] + "/s";
}

Table counters_table(const std::vector<ContainerStats>& containers, bool sockets) {
    std::vector<Column> cols = {{"id", "ID"},
                                {"rx_bytes", "RX_BYTES", true},
                                {"rx_packets", "RX_PKTS", true},
                                {"rx_errors", "RX_ERR", true},
                                {"rx_dropped", "RX_DROP", true},
                                {"tx_bytes", "TX_BYTES", true},
                                {"tx_packets", "TX_PKTS", true},
                                {"tx_errors", "TX_ERR", true},
                                {"tx_dropped", "TX_DROP", true},
                                {"tx_limit", "TX_LIMIT"},
                                {"rx_limit", "RX_LIMIT"},
                                {"shaping", "TC"},
                                {"ephemeral", "EPHEMERAL"}};
    if (sockets) {
        cols.push_back({"tcp_active", "TCP_ACTIVE", true});
        cols.push_back({"tcp_time_wait", "TCP_TW", true});
        cols.push_back({"rtt_p50", "RTT_P50_US", true});
        cols.push_back({"rtt_p99", "RTT_P99_US", true});
    }
    Table t(std::move(cols));
    for (const auto& c : containers) {
        std::string tc;
        for (const auto& e : c.tc) tc += (tc.empty() ? "" : ",") + e.id;
        Json row = {{"id", c.id},
                    {"rx_bytes", c.link.rx_bytes},
                    {"rx_packets", c.link.rx_packets},
                    {"rx_errors", c.link.rx_errors},
                    {"rx_dropped", c.link.rx_dropped},
                    {"tx_bytes", c.link.tx_bytes},
                    {"tx_packets", c.link.tx_packets},
                    {"tx_errors", c.link.tx_errors},
                    {"tx_dropped", c.link.tx_dropped},
                    {"tx_limit", limit_cell(c.tx)},
                    {"rx_limit", limit_cell(c.rx)},
                    {"shaping", tc.empty() ? Json() : Json(tc)},
                    {"ephemeral", c.ephemeral ? Json(c.ephemeral->to_string()) : Json()}};
        if (sockets && c.sockets) {
            row["tcp_active"] = c.sockets->active;
            row["tcp_time_wait"] = c.sockets->time_wait;
            if (c.sockets->rtt) {
                row["rtt_p50"] = c.sockets->rtt->p50;
                row["rtt_p99"] = c.sockets->rtt->p99;
            }
        }
        t.add_row(std::move(row));
    }
    return t;
}

Table rates_table(const std::map<std::string, ContainerStats>& before, const std::vector<ContainerStats>& now) {
    Table t({{"id", "ID"},
             {"rx_rate", "RX/s", true},
             {"tx_rate", "TX/s", true},
             {"rx_pps", "RX_PKT/s", true},
             {"tx_pps", "TX_PKT/s", true},
             {"rx_drop", "RX_DROP/s", true},
             {"tx_drop", "TX_DROP/s", true},
             {"tc_drop", "TC_DROP/s", true}});
    for (const auto& c : now) {
        Json row = {{"id", c.id}};
        auto it = before.find(c.id);
        if (it != before.end()) {
            if (auto r = compute_rates(it->second, c)) {
                row["rx_rate"] = format_byte_rate(r->rx_bytes);
                row["tx_rate"] = format_byte_rate(r->tx_bytes);
                row["rx_pps"] = per_second(r->rx_packets);
                row["tx_pps"] = per_second(r->tx_packets);
                row["rx_drop"] = per_second(r->rx_dropped);
                row["tx_drop"] = per_second(r->tx_dropped);
                row["tc_drop"] = c.tc.empty() ? Json() : Json(per_second(r->tc_drops));
            }
        }
        t.add_row(std::move(row));
    }
    return t;
}

}  // namespace pm::stats
