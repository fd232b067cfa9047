#include "stats/prometheus.hpp"

#include <fmt/format.h>

#include <cmath>
#include <set>

namespace pm::stats {

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char ch : value) {
        if (ch == '\\') out += "\\\\";
        else if (ch == '"') out += "\\\"";
        else if (ch == '\n') out += "\\n";
        else out += ch;
    }
    return out;
}

std::string escape_help(std::string_view help) {
    std::string out;
    for (char ch : help) {
        if (ch == '\\') out += "\\\\";
        else if (ch == '\n') out += "\\n";
        else out += ch;
    }
    return out;
}

std::string format_sample_value(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    return fmt::format("{}", value);
}

void Exposition::put(const std::string& family, const char* type, const std::string& help, const Labels& labels,
                     std::string value) {
    auto [slot, added] = index_.try_emplace(family, families_.size());
    if (added) families_.push_back(Family{family, type, help, {}});
    Family* f = &families_[slot->second];
    std::string line = family;
    if (!labels.empty()) {
        line += '{';
        for (size_t i = 0; i < labels.size(); ++i) {
            if (i) line += ',';
            line += labels[i].first + "=\"" + escape_label_value(labels[i].second) + '"';
        }
        line += '}';
    }
    f->samples.push_back(line + ' ' + value);
}

void Exposition::add(const std::string& family, const char* type, const std::string& help, const Labels& labels,
                     double value) {
    put(family, type, help, labels, format_sample_value(value));
}
void Exposition::add(const std::string& family, const char* type, const std::string& help, const Labels& labels,
                     uint64_t value) {
    put(family, type, help, labels, std::to_string(value));
}
void Exposition::add(const std::string& family, const char* type, const std::string& help, const Labels& labels,
                     int64_t value) {
    put(family, type, help, labels, std::to_string(value));
}

std::string Exposition::text() const {
    std::string out;
    for (const auto& f : families_) {
        out += "# HELP " + f.name + ' ' + escape_help(f.help) + '\n';
        out += "# TYPE " + f.name + ' ' + f.type + '\n';
        for (const auto& s : f.samples) out += s + '\n';
    }
    return out;
}

namespace {

constexpr const char* kCounter = "counter";
constexpr const char* kGauge = "gauge";

void add_link(Exposition& x, const ContainerStats& c, const Labels& l) {
    const auto& k = c.link;
    x.add("portmap_network_receive_bytes_total", kCounter, "Bytes received on the container's eth0.", l, k.rx_bytes);
    x.add("portmap_network_receive_packets_total", kCounter, "Packets received on the container's eth0.", l, k.rx_packets);
    x.add("portmap_network_receive_errors_total", kCounter, "Receive errors on the container's eth0.", l, k.rx_errors);
    x.add("portmap_network_receive_packets_dropped_total", kCounter, "Packets dropped on receive on the container's eth0.", l,
          k.rx_dropped);
    x.add("portmap_network_transmit_bytes_total", kCounter, "Bytes sent on the container's eth0.", l, k.tx_bytes);
    x.add("portmap_network_transmit_packets_total", kCounter, "Packets sent on the container's eth0.", l, k.tx_packets);
    x.add("portmap_network_transmit_errors_total", kCounter, "Send errors on the container's eth0.", l, k.tx_errors);
    x.add("portmap_network_transmit_packets_dropped_total", kCounter, "Packets dropped on send on the container's eth0.",
          l, k.tx_dropped);
}

void add_limits(Exposition& x, const char* dir, const ShapingLimits& lim, const Labels& l) {
    const std::string p = std::string("portmap_network_") + dir + "_";
    const bool tx = std::string_view(dir) == "transmit";
    if (lim.rate)
        x.add(p + "rate_limit_bytes_per_second", kGauge,
              tx ? "Configured egress rate limit (bytes/s)." : "Configured ingress rate limit (bytes/s).", l, *lim.rate);
    if (lim.ceil)
        x.add(p + "burst_rate_limit_bytes_per_second", kGauge,
              tx ? "Configured egress ceil rate (bytes/s)." : "Configured ingress ceil rate (bytes/s).", l, *lim.ceil);
    if (lim.burst)
        x.add(p + "burst_size_bytes", kGauge,
              tx ? "Configured egress burst size (bytes)." : "Configured ingress burst size (bytes).", l, *lim.burst);
}

void add_tc(Exposition& x, const ContainerStats& c) {
    for (const auto& e : c.tc) {
        const Labels l{{"container", c.id}, {"element", e.id}};
        x.add("portmap_tc_bytes_total", kCounter, "Bytes sent by the traffic-control element.", l, e.bytes);
        x.add("portmap_tc_packets_total", kCounter, "Packets sent by the traffic-control element.", l, e.packets);
        x.add("portmap_tc_packets_dropped_total", kCounter, "Packets dropped by the traffic-control element.", l, e.drops);
        x.add("portmap_tc_overlimits_total", kCounter, "Times the element was over its limit when it tried to send.", l,
              e.overlimits);
        x.add("portmap_tc_requeues_total", kCounter, "Packets requeued by the traffic-control element.", l, e.requeues);
        x.add("portmap_tc_backlog_bytes", kGauge, "Bytes queued in the traffic-control element.", l, e.backlog);
        x.add("portmap_tc_queue_packets", kGauge, "Packets queued in the traffic-control element.", l, e.qlen);
        x.add("portmap_tc_rate_bytes_per_second", kGauge, "Rate estimate of the element (bytes/s; 0 without an estimator).",
              l, e.ratebps);
        x.add("portmap_tc_rate_packets_per_second", kGauge,
              "Rate estimate of the element (packets/s; 0 without an estimator).", l, e.ratepps);
    }
}

void add_sockets(Exposition& x, const SocketSummary& s, const Labels& l) {
    x.add("portmap_tcp_active_connections", kGauge, "TCP sockets neither listening nor in TIME_WAIT.", l, s.active);
    x.add("portmap_tcp_time_wait_connections", kGauge, "TCP sockets in TIME_WAIT.", l, s.time_wait);
    if (!s.rtt) return;
    const std::pair<const char*, uint64_t> q[] = {
        {"0.5", s.rtt->p50}, {"0.9", s.rtt->p90}, {"0.95", s.rtt->p95}, {"0.99", s.rtt->p99}};
    for (const auto& [quantile, micros] : q) {
        Labels ql = l;
        ql.emplace_back("quantile", quantile);
        x.add("portmap_tcp_rtt_seconds", kGauge, "Smoothed RTT of the TCP sockets, nearest-rank quantile (seconds).", ql,
              static_cast<double>(micros) / 1e6);
    }
    x.add("portmap_tcp_rtt_sockets", kGauge, "TCP sockets that have an RTT estimate.", l, s.rtt->samples);
}

bool snmp_is_gauge(const std::string& section, const std::string& field) {
    static const std::set<std::string> gauges = {"Ip_Forwarding", "Ip_DefaultTTL", "Tcp_RtoAlgorithm", "Tcp_RtoMin",
                                                 "Tcp_RtoMax",    "Tcp_MaxConn",   "Tcp_CurrEstab"};
    return gauges.count(section + "_" + field) > 0;
}

void add_snmp(Exposition& x, const std::vector<SnmpSection>& sections, const Labels& l) {
    for (const auto& section : sections) {
        for (const auto& [field, value] : section.fields) {
            const bool gauge = snmp_is_gauge(section.name, field);
            const std::string name = "portmap_snmp_" + section.name + "_" + field + (gauge ? "" : "_total");
            x.add(name, gauge ? kGauge : kCounter,
                  "/proc/net/snmp " + section.name + " " + field + " in the container's namespace.", l, value);
        }
    }
}

}  // namespace

std::string prometheus_text(const std::vector<ContainerStats>& containers) {
    Exposition x;
    for (const auto& c : containers) {
        const Labels l{{"container", c.id}};
        add_link(x, c, l);
        add_tc(x, c);
        add_limits(x, "transmit", c.tx, l);
        add_limits(x, "receive", c.rx, l);
        if (c.ephemeral) {
            x.add("portmap_ephemeral_ports_begin", kGauge, "First port of the container's ephemeral block.", l,
                  uint64_t{c.ephemeral->first});
            x.add("portmap_ephemeral_ports_end", kGauge, "Last port (inclusive) of the container's ephemeral block.", l,
                  uint64_t{c.ephemeral->last});
        }
        if (c.sockets) add_sockets(x, *c.sockets, l);
        if (c.snmp) add_snmp(x, *c.snmp, l);
    }
    return x.text();
}

}  // namespace pm::stats
