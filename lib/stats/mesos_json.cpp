#include "stats/mesos_json.hpp"

namespace pm::stats {
namespace {

Json tc_json(const TcElement& e) {
    // Mesos's TrafficControlStatistics, id first as in its output.
    return {{"id", e.id},           {"backlog", e.backlog}, {"bytes", e.bytes},     {"drops", e.drops},
            {"overlimits", e.overlimits}, {"packets", e.packets}, {"qlen", e.qlen},
            {"ratebps", e.ratebps}, {"ratepps", e.ratepps}, {"requeues", e.requeues}};
}

const char* snmp_key(const std::string& section) {
    if (section == "Ip") return "ip_stats";
    if (section == "Icmp") return "icmp_stats";
    if (section == "Tcp") return "tcp_stats";
    return "udp_stats";
}

// One direction's keys in alphabetical order: burst limits, counters, rate limit.
void put_direction(Json& s, const std::string& dir, const ShapingLimits& l, uint64_t bytes, uint64_t dropped,
                   uint64_t errors, uint64_t packets) {
    const std::string p = "net_" + dir + "_";
    if (l.ceil) s[p + "burst_rate_limit"] = *l.ceil;
    if (l.burst) s[p + "burst_size"] = *l.burst;
    s[p + "bytes"] = bytes;
    s[p + "dropped"] = dropped;
    s[p + "errors"] = errors;
    s[p + "packets"] = packets;
    if (l.rate) s[p + "rate_limit"] = *l.rate;
}

}  // namespace

Json statistics_json(const ContainerStats& c) {
    // Keys in alphabetical order, as Mesos's endpoint is usually shown.
    Json s = Json::object();
    if (c.ephemeral) s["net_ephemeral_ports"] = {{"begin", c.ephemeral->first}, {"end", c.ephemeral->last}};
    const auto& k = c.link;
    put_direction(s, "rx", c.rx, k.rx_bytes, k.rx_dropped, k.rx_errors, k.rx_packets);
    if (c.snmp) {
        Json snmp = Json::object();
        for (const auto& section : *c.snmp) {
            Json fields = Json::object();
            for (const auto& [name, value] : section.fields) fields[name] = value;
            snmp[snmp_key(section.name)] = std::move(fields);
        }
        s["net_snmp_statistics"] = std::move(snmp);
    }
    if (c.sockets) {
        s["net_tcp_active_connections"] = c.sockets->active;
        if (c.sockets->rtt) {
            s["net_tcp_rtt_microsecs_p50"] = c.sockets->rtt->p50;
            s["net_tcp_rtt_microsecs_p90"] = c.sockets->rtt->p90;
            s["net_tcp_rtt_microsecs_p95"] = c.sockets->rtt->p95;
            s["net_tcp_rtt_microsecs_p99"] = c.sockets->rtt->p99;
        }
        s["net_tcp_time_wait_connections"] = c.sockets->time_wait;
    }
    if (!c.tc.empty()) {
        Json tc = Json::array();
        for (const auto& e : c.tc) tc.push_back(tc_json(e));
        s["net_traffic_control_statistics"] = std::move(tc);
    }
    put_direction(s, "tx", c.tx, k.tx_bytes, k.tx_dropped, k.tx_errors, k.tx_packets);
    s["timestamp"] = c.timestamp;
    return s;
}

Json mesos_json(const std::vector<ContainerStats>& containers) {
    Json out = Json::array();
    for (const auto& c : containers) {
        // We have no executors or frameworks: the container ID stands in for the
        // executor, and framework_id stays an empty string so its type holds.
        out.push_back({{"container_id", c.id},
                       {"executor_id", c.id},
                       {"executor_name", c.id},
                       {"framework_id", ""},
                       {"source", c.id},
                       {"statistics", statistics_json(c)}});
    }
    return out;
}

}  // namespace pm::stats
