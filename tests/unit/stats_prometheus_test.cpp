// pm-stats' Prometheus exposition: HELP/TYPE once per family, base units,
// _total counters, container label, no timestamps, escaping.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "stats/prometheus.hpp"

namespace {

pm::stats::ContainerStats container(const std::string& id, uint64_t rx_bytes) {
    pm::stats::ContainerStats c;
    c.id = id;
    c.link.rx_bytes = rx_bytes;
    c.link.tx_packets = 9;
    return c;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

}  // namespace

TEST(StatsPrometheus, FamiliesHaveOneHelpAndTypeBeforeTheirSamples) {
    auto text = pm::stats::prometheus_text({container("a", 1), container("b", 2)});
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n');
    std::map<std::string, int> help, type;
    std::string current;
    const std::regex sample(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)\{container="[^"]*"(,[a-z]+="[^"]*")*\} -?[0-9.e+]+$)");
    for (const auto& l : lines(text)) {
        if (l.rfind("# HELP ", 0) == 0) {
            current = l.substr(7, l.find(' ', 7) - 7);
            ++help[current];
        } else if (l.rfind("# TYPE ", 0) == 0) {
            auto rest = l.substr(7);
            auto name = rest.substr(0, rest.find(' '));
            auto t = rest.substr(rest.find(' ') + 1);
            EXPECT_EQ(name, current) << "TYPE must follow its HELP";
            EXPECT_TRUE(t == "counter" || t == "gauge") << l;
            if (t == "counter") {
                EXPECT_TRUE(name.size() > 6 && name.substr(name.size() - 6) == "_total") << name;
            }
            ++type[name];
        } else {
            std::smatch m;
            ASSERT_TRUE(std::regex_match(l, m, sample)) << "not a sample without timestamp: " << l;
            EXPECT_EQ(m[1].str(), current) << "sample outside its family";
        }
    }
    for (const auto& [name, n] : help) {
        EXPECT_EQ(n, 1) << name;
        EXPECT_EQ(type[name], 1) << name;
    }
    EXPECT_NE(text.find("portmap_network_receive_bytes_total{container=\"a\"} 1\n"), std::string::npos);
    EXPECT_NE(text.find("portmap_network_receive_bytes_total{container=\"b\"} 2\n"), std::string::npos);
    EXPECT_NE(text.find("portmap_network_transmit_packets_total{container=\"a\"} 9\n"), std::string::npos);
}

TEST(StatsPrometheus, BaseUnitsAndOptionalFamilies) {
    auto c = container("a", 0);
    c.tx.rate = 1250000;
    c.tx.burst = 4096;
    c.ephemeral = pm::PortRange{32768, 33791};
    c.sockets = pm::stats::SocketSummary{2, 1, pm::stats::RttPercentiles{1500, 2000, 2500, 250000, 4}};
    c.tc.push_back({"bw_limit", 100, 5000, 3, 7, 40, 2, 0, 0, 0});
    c.snmp = std::vector<pm::stats::SnmpSection>{{"Tcp", {{"CurrEstab", 2}, {"RetransSegs", 5}, {"MaxConn", -1}}}};
    auto text = pm::stats::prometheus_text({c});
    for (const char* want : {
             "portmap_network_transmit_rate_limit_bytes_per_second{container=\"a\"} 1250000\n",
             "portmap_network_transmit_burst_size_bytes{container=\"a\"} 4096\n",
             "portmap_ephemeral_ports_begin{container=\"a\"} 32768\n",
             "portmap_ephemeral_ports_end{container=\"a\"} 33791\n",
             "portmap_tcp_rtt_seconds{container=\"a\",quantile=\"0.5\"} 0.0015\n",
             "portmap_tcp_rtt_seconds{container=\"a\",quantile=\"0.99\"} 0.25\n",
             "portmap_tcp_active_connections{container=\"a\"} 2\n",
             "portmap_tc_bytes_total{container=\"a\",element=\"bw_limit\"} 5000\n",
             "portmap_tc_backlog_bytes{container=\"a\",element=\"bw_limit\"} 100\n",
             "# TYPE portmap_snmp_Tcp_CurrEstab gauge\n",
             "portmap_snmp_Tcp_RetransSegs_total{container=\"a\"} 5\n",
             "portmap_snmp_Tcp_MaxConn{container=\"a\"} -1\n",
         })
        EXPECT_NE(text.find(want), std::string::npos) << want;
    EXPECT_EQ(text.find("rate_limit", text.find("receive_rate")), std::string::npos) << "no receive limit configured";
    EXPECT_EQ(pm::stats::prometheus_text({}), "");
}

TEST(StatsPrometheus, Escaping) {
    EXPECT_EQ(pm::stats::escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    EXPECT_EQ(pm::stats::escape_label_value("web-1.x_y"), "web-1.x_y");
    EXPECT_EQ(pm::stats::escape_help("x\\y\nz \"q\""), "x\\\\y\\nz \"q\"");
    pm::stats::Exposition x;
    x.add("m", "gauge", "line one\nline two", {{"container", "we\"ird"}}, uint64_t{1});
    EXPECT_EQ(x.text(), "# HELP m line one\\nline two\n# TYPE m gauge\nm{container=\"we\\\"ird\"} 1\n");
}

TEST(StatsPrometheus, SampleValues) {
    EXPECT_EQ(pm::stats::format_sample_value(0.25), "0.25");
    EXPECT_EQ(pm::stats::format_sample_value(3), "3");
    EXPECT_EQ(pm::stats::format_sample_value(1.0 / 0.0), "+Inf");
    EXPECT_EQ(pm::stats::format_sample_value(-1.0 / 0.0), "-Inf");
    EXPECT_EQ(pm::stats::format_sample_value(0.0 / 0.0), "NaN");
}
