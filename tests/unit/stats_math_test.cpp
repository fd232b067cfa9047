// pm-stats' arithmetic: --watch rates and RTT percentiles.
#include <gtest/gtest.h>

#include "stats/percentile.hpp"
#include "stats/rates.hpp"
#include "stats/render.hpp"

namespace {
pm::stats::ContainerStats at(double t, uint64_t rx_bytes, uint64_t tx_packets, uint64_t tc_drops = 0) {
    pm::stats::ContainerStats c;
    c.id = "a";
    c.monotonic = t;
    c.link.rx_bytes = rx_bytes;
    c.link.tx_packets = tx_packets;
    if (tc_drops) c.tc.push_back({"bw_limit", 0, 0, tc_drops, 0, 0, 0, 0, 0, 0});
    return c;
}
}  // namespace

TEST(StatsRates, PerSecondOverTheInterval) {
    auto r = pm::stats::compute_rates(at(10.0, 1000, 5, 10), at(12.0, 5000, 25, 30));
    ASSERT_TRUE(r);
    EXPECT_DOUBLE_EQ(r->rx_bytes, 2000.0);
    EXPECT_DOUBLE_EQ(r->tx_packets, 10.0);
    EXPECT_DOUBLE_EQ(r->tx_bytes, 0.0);
    EXPECT_DOUBLE_EQ(r->tc_drops, 10.0);
    EXPECT_DOUBLE_EQ(r->seconds, 2.0);
}

TEST(StatsRates, NoRateWithoutTimeOrAfterAReset) {
    EXPECT_FALSE(pm::stats::compute_rates(at(5, 0, 0), at(5, 10, 10)));
    EXPECT_FALSE(pm::stats::compute_rates(at(6, 0, 0), at(5, 10, 10)));
    EXPECT_FALSE(pm::stats::compute_rates(at(1, 5000, 0), at(2, 10, 0))) << "recreated container";
    // A shaper re-attached (its drops restart) does not hide the link rates.
    auto r = pm::stats::compute_rates(at(1, 0, 0, 50), at(2, 100, 0, 5));
    ASSERT_TRUE(r);
    EXPECT_DOUBLE_EQ(r->rx_bytes, 100.0);
    EXPECT_DOUBLE_EQ(r->tc_drops, 0.0);
}

TEST(StatsRates, WatchTable) {
    std::map<std::string, pm::stats::ContainerStats> before{{"a", at(1, 0, 0)}};
    auto b = at(1, 0, 0);
    b.id = "b";
    auto t = pm::stats::rates_table(before, {at(2, 1536, 3), b});
    auto text = t.to_text();
    EXPECT_NE(text.find("1.5KB/s"), std::string::npos) << text;
    EXPECT_NE(text.find("3.0"), std::string::npos) << text;
    EXPECT_NE(text.find("\nb "), std::string::npos) << "new container listed without rates:\n" << text;
}

TEST(StatsRates, ByteRateFormat) {
    EXPECT_EQ(pm::stats::format_byte_rate(0), "0B/s");
    EXPECT_EQ(pm::stats::format_byte_rate(512), "512B/s");
    EXPECT_EQ(pm::stats::format_byte_rate(1536), "1.5KB/s");
    EXPECT_EQ(pm::stats::format_byte_rate(10.0 * 1024 * 1024), "10.0MB/s");
}

TEST(StatsPercentile, NearestRank) {
    std::vector<uint32_t> one{7};
    EXPECT_EQ(pm::stats::nearest_rank(one, 50), 7u);
    EXPECT_EQ(pm::stats::nearest_rank(one, 99), 7u);
    std::vector<uint32_t> ten{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    EXPECT_EQ(pm::stats::nearest_rank(ten, 50), 5u);
    EXPECT_EQ(pm::stats::nearest_rank(ten, 90), 9u);
    EXPECT_EQ(pm::stats::nearest_rank(ten, 95), 10u);
    EXPECT_EQ(pm::stats::nearest_rank(ten, 100), 10u);
    std::vector<uint32_t> twenty;
    for (uint32_t i = 1; i <= 20; ++i) twenty.push_back(i * 10);
    EXPECT_EQ(pm::stats::nearest_rank(twenty, 95), 190u) << "0.95*20 is exactly 19, not 20";
    EXPECT_EQ(pm::stats::nearest_rank(twenty, 99), 200u);
}

TEST(StatsPercentile, RttPercentilesSortAndCount) {
    std::vector<uint32_t> none;
    EXPECT_FALSE(pm::stats::rtt_percentiles(none));
    std::vector<uint32_t> s;
    for (uint32_t i = 100; i >= 1; --i) s.push_back(i);
    auto p = pm::stats::rtt_percentiles(s);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->p50, 50u);
    EXPECT_EQ(p->p90, 90u);
    EXPECT_EQ(p->p95, 95u);
    EXPECT_EQ(p->p99, 99u);
    EXPECT_EQ(p->samples, 100u);
}
