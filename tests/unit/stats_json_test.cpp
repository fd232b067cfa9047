// pm-stats' Mesos-shaped JSON against the seed's /monitor/statistics example.
#include <gtest/gtest.h>

#include "stats/mesos_json.hpp"

namespace {

pm::stats::ContainerStats sample() {
    pm::stats::ContainerStats c;
    c.id = "job.1436298853";
    c.timestamp = 1436300487.41595;
    c.link = {10847, 143, 0, 0, 163200529816ull, 107936874, 0, 0};
    pm::stats::TcElement bw{"bw_limit", 0, 163206809152ull, 77147, 210693719, 107941027, 10236, 0, 0, 0};
    c.tc.push_back(bw);
    c.ephemeral = pm::PortRange{32768, 33791};
    return c;
}

}  // namespace

TEST(StatsJson, TopLevelShapeMatchesMesos) {
    auto j = pm::stats::mesos_json({sample()});
    ASSERT_TRUE(j.is_array());
    ASSERT_EQ(j.size(), 1u);
    const auto& e = j[0];
    for (const char* k : {"container_id", "executor_id", "executor_name", "framework_id", "source"})
        EXPECT_TRUE(e.at(k).is_string()) << k;
    EXPECT_EQ(e["source"], "job.1436298853");
    EXPECT_EQ(e["container_id"], "job.1436298853");
    ASSERT_TRUE(e["statistics"].is_object());
}

TEST(StatsJson, StatisticsKeysAndTypes) {
    auto s = pm::stats::statistics_json(sample());
    for (const char* k : {"net_rx_bytes", "net_rx_dropped", "net_rx_errors", "net_rx_packets", "net_tx_bytes",
                          "net_tx_dropped", "net_tx_errors", "net_tx_packets"})
        EXPECT_TRUE(s.at(k).is_number_unsigned()) << k;
    EXPECT_EQ(s["net_tx_bytes"], 163200529816ull);  // 64-bit counters survive
    EXPECT_TRUE(s["timestamp"].is_number_float());
    EXPECT_DOUBLE_EQ(s["timestamp"].get<double>(), 1436300487.41595);
    ASSERT_TRUE(s["net_traffic_control_statistics"].is_array());
    const auto& tc = s["net_traffic_control_statistics"][0];
    EXPECT_EQ(tc["id"], "bw_limit");
    for (const char* k : {"backlog", "bytes", "drops", "overlimits", "packets", "qlen", "ratebps", "ratepps", "requeues"})
        EXPECT_TRUE(tc.at(k).is_number_unsigned()) << k;
    EXPECT_EQ(tc.size(), 10u);
    EXPECT_EQ(s["net_ephemeral_ports"], (pm::Json{{"begin", 32768}, {"end", 33791}}));
}

TEST(StatsJson, KeysInAlphabeticalOrder) {
    auto c = sample();
    c.tx.rate = 1250000;
    c.tx.ceil = 2500000;
    c.tx.burst = 65536;
    c.rx.rate = 125000;
    c.sockets = pm::stats::SocketSummary{3, 1, pm::stats::RttPercentiles{10, 20, 30, 40, 5}};
    c.snmp = std::vector<pm::stats::SnmpSection>{{"Tcp", {{"RetransSegs", 7}}}};
    auto s = pm::stats::statistics_json(c);
    std::string previous;
    for (auto it = s.begin(); it != s.end(); ++it) {
        EXPECT_LT(previous, it.key());
        previous = it.key();
    }
    EXPECT_EQ(s["net_tx_rate_limit"], 1250000u);
    EXPECT_EQ(s["net_tx_burst_rate_limit"], 2500000u);
    EXPECT_EQ(s["net_tx_burst_size"], 65536u);
    EXPECT_EQ(s["net_rx_rate_limit"], 125000u);
    EXPECT_FALSE(s.contains("net_rx_burst_rate_limit"));
    EXPECT_EQ(s["net_tcp_active_connections"], 3u);
    EXPECT_EQ(s["net_tcp_time_wait_connections"], 1u);
    EXPECT_EQ(s["net_tcp_rtt_microsecs_p99"], 40u);
    EXPECT_EQ(s["net_snmp_statistics"]["tcp_stats"]["RetransSegs"], 7);
}

TEST(StatsJson, OptionalPartsAreLeftOut) {
    pm::stats::ContainerStats c;
    c.id = "bare";
    auto s = pm::stats::statistics_json(c);
    for (const char* k : {"net_traffic_control_statistics", "net_ephemeral_ports", "net_tx_rate_limit", "net_rx_rate_limit",
                          "net_tcp_active_connections", "net_tcp_rtt_microsecs_p50", "net_snmp_statistics"})
        EXPECT_FALSE(s.contains(k)) << k;
    EXPECT_EQ(s["net_rx_bytes"], 0u);
    EXPECT_EQ(pm::stats::mesos_json({}), pm::Json::array());
}

TEST(StatsJson, SocketsWithoutRttHaveNoPercentiles) {
    pm::stats::ContainerStats c;
    c.id = "x";
    c.sockets = pm::stats::SocketSummary{0, 0, std::nullopt};
    auto s = pm::stats::statistics_json(c);
    EXPECT_EQ(s["net_tcp_active_connections"], 0u);
    EXPECT_FALSE(s.contains("net_tcp_rtt_microsecs_p50"));
}
