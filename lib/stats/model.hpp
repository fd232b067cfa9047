// What pm-stats reports for one container: the counters of its eth0 as seen
// inside the container, the traffic-control elements that exist, the limits and
// ephemeral ports the other tools recorded, and the optional socket/SNMP extras.
// Every renderer (Mesos JSON, Prometheus, table, --watch) reads this one model.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ports/port_set.hpp"

namespace pm::stats {

struct LinkCounters {
    uint64_t rx_bytes = 0, rx_packets = 0, rx_errors = 0, rx_dropped = 0;
    uint64_t tx_bytes = 0, tx_packets = 0, tx_errors = 0, tx_dropped = 0;
};

// One shaping qdisc, named as Mesos names it: "bw_limit", "bloat_reduction"
// (container eth0), "ingress_bw_limit", "ingress_bloat_reduction" (host veth).
struct TcElement {
    std::string id;
    uint64_t backlog = 0, bytes = 0, drops = 0, overlimits = 0, packets = 0, qlen = 0;
    uint64_t ratebps = 0, ratepps = 0, requeues = 0;
};

// One direction's configured shaping as pm-tc recorded it (bytes/s, bytes).
struct ShapingLimits {
    std::optional<uint64_t> rate, ceil, burst;
    bool empty() const { return !rate && !ceil && !burst; }
};

struct RttPercentiles {
    uint64_t p50 = 0, p90 = 0, p95 = 0, p99 = 0;  // microseconds
    uint64_t samples = 0;
};

struct SocketSummary {
    uint64_t active = 0;     // TCP sockets neither listening nor in TIME_WAIT
    uint64_t time_wait = 0;
    std::optional<RttPercentiles> rtt;  // only when some socket has an RTT
};

// One /proc/net/snmp section ("Ip", "Icmp", "Tcp", "Udp"), kernel field names.
struct SnmpSection {
    std::string name;
    std::vector<std::pair<std::string, int64_t>> fields;
};

struct ContainerStats {
    std::string id;
    double timestamp = 0;  // wall clock, seconds since the epoch
    double monotonic = 0;  // CLOCK_MONOTONIC seconds, for rates
    LinkCounters link;
    std::vector<TcElement> tc;
    ShapingLimits tx, rx;  // container's view: tx = egress, rx = ingress
    std::optional<PortRange> ephemeral;
    std::optional<SocketSummary> sockets;
    std::optional<std::vector<SnmpSection>> snmp;
};

}  // namespace pm::stats
