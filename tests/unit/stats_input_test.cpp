// pm-stats' readers: /proc/net/snmp text, tc.json limits, shaping qdiscs,
// and the --listen address / HTTP routing rules.
#include <gtest/gtest.h>
#include <linux/pkt_sched.h>

#include "core/error.hpp"
#include "stats/http_route.hpp"
#include "stats/shaping_elements.hpp"
#include "stats/snmp.hpp"
#include "stats/tc_record.hpp"

TEST(StatsSnmp, ParsesTheFourSections) {
    const char* text =
        "Ip: Forwarding DefaultTTL InReceives\n"
        "Ip: 2 64 12\n"
        "Icmp: InMsgs InErrors\n"
        "Icmp: 3 0\n"
        "IcmpMsg: InType3 OutType3\n"
        "IcmpMsg: 1 1\n"
        "Tcp: RtoAlgorithm MaxConn RetransSegs\n"
        "Tcp: 1 -1 9\n"
        "Udp: InDatagrams NoPorts\n"
        "Udp: 100 4\n"
        "UdpLite: InDatagrams\n"
        "UdpLite: 0\n";
    auto s = pm::stats::parse_snmp(text);
    ASSERT_EQ(s.size(), 4u);
    EXPECT_EQ(s[0].name, "Ip");
    EXPECT_EQ(s[0].fields[2], (std::pair<std::string, int64_t>{"InReceives", 12}));
    EXPECT_EQ(s[2].name, "Tcp");
    EXPECT_EQ(s[2].fields[1].second, -1);
    EXPECT_EQ(s[3].fields[1], (std::pair<std::string, int64_t>{"NoPorts", 4}));
}

TEST(StatsSnmp, RefusesMalformedText) {
    for (const char* bad : {"Ip: a b\n", "Ip: a b\nIp: 1\n", "Ip: a\nTcp: 1\n", "Ip: a\nIp: x\n", "no colon\nx\n"})
        EXPECT_THROW(pm::stats::parse_snmp(bad), pm::Error) << bad;
    EXPECT_TRUE(pm::stats::parse_snmp("").empty());
}

TEST(StatsTcRecord, ReadsLimitsDefensively) {
    auto r = pm::stats::shaping_from_tc_json(
        pm::Json::parse(R"({"shaping":{"egress":{"rate":1250000,"ceil":"20mbit","burst":"64KB"},"ingress":{"rate":"1MB"}}})"));
    EXPECT_EQ(r.egress.rate, 1250000u);
    EXPECT_EQ(r.egress.ceil, 2500000u);
    EXPECT_EQ(r.egress.burst, 65536u);
    EXPECT_EQ(r.ingress.rate, 1048576u);
    EXPECT_FALSE(r.ingress.ceil);
    auto nested = pm::stats::shaping_from_tc_json(pm::Json::parse(R"({"egress":{"rate_bytes":100}})"));
    EXPECT_EQ(nested.egress.rate, 100u);
    auto flat = pm::stats::shaping_from_tc_json(
        pm::Json::parse(R"({"shaping":{"egress_rate":125000,"egress_ceil_bytes":250000,"ingress_burst":"4KB"}})"));
    EXPECT_EQ(flat.egress.rate, 125000u);
    EXPECT_EQ(flat.egress.ceil, 250000u);
    EXPECT_EQ(flat.ingress.burst, 4096u);
    EXPECT_FALSE(flat.ingress.rate);
    for (const char* odd : {R"([])", R"("x")", R"({"egress":5})", R"({"egress":{"rate":"fast","burst":-3}})", R"({})"}) {
        auto o = pm::stats::shaping_from_tc_json(pm::Json::parse(odd));
        EXPECT_TRUE(o.egress.empty() && o.ingress.empty()) << odd;
    }
}

TEST(StatsShaping, RootHtbAndFqCodelUnderItsFirstClass) {
    using pm::stats::QdiscSample;
    QdiscSample htb{TC_H_MAKE(1u << 16, 0), TC_H_ROOT, "htb", {}};
    htb.counters.bytes = 10;
    QdiscSample codel{TC_H_MAKE(10u << 16, 0), TC_H_MAKE(1u << 16, 1), "fq_codel", {}};
    codel.counters.backlog = 5;
    QdiscSample ingress{TC_H_MAKE(0xffffu << 16, 0), TC_H_INGRESS, "ingress", {}};
    QdiscSample stray{TC_H_MAKE(20u << 16, 0), TC_H_MAKE(1u << 16, 2), "fq_codel", {}};

    auto e = pm::stats::shaping_elements({ingress, stray, codel, htb}, "");
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].id, "bw_limit");
    EXPECT_EQ(e[0].bytes, 10u);
    EXPECT_EQ(e[1].id, "bloat_reduction");
    EXPECT_EQ(e[1].backlog, 5u);

    auto i = pm::stats::shaping_elements({htb}, "ingress_");
    ASSERT_EQ(i.size(), 1u);
    EXPECT_EQ(i[0].id, "ingress_bw_limit");

    QdiscSample pfifo_root{TC_H_MAKE(1u << 16, 0), TC_H_ROOT, "pfifo", {}};
    EXPECT_TRUE(pm::stats::shaping_elements({pfifo_root, ingress}, "").empty()) << "no shaper, no entry";
    EXPECT_TRUE(pm::stats::shaping_elements({codel}, "").empty()) << "fq_codel without the HTB root";
}

TEST(StatsHttp, ListenAddresses) {
    using pm::stats::parse_listen;
    EXPECT_EQ(parse_listen("9273").to_string(), "127.0.0.1:9273");
    EXPECT_EQ(parse_listen(":9273").to_string(), "127.0.0.1:9273");
    EXPECT_EQ(parse_listen("0.0.0.0:80").to_string(), "0.0.0.0:80");
    EXPECT_EQ(parse_listen("localhost:1").to_string(), "127.0.0.1:1");
    EXPECT_EQ(parse_listen("[::1]:9273").to_string(), "[::1]:9273");
    EXPECT_EQ(parse_listen("127.0.0.1:0").port, 0);
    EXPECT_EQ(parse_listen("65535").port, 65535);
    for (const char* bad : {"", "x", "65536", "-1", "1.2.3:80", "300.1.1.1:80", "::1:80", "[::1]", "[nope]:80",
                            "127.0.0.1:", "127.0.0.1:8x", "host.example:80", "[::1]:99999"}) {
        try {
            parse_listen(bad);
            ADD_FAILURE() << "accepted '" << bad << "'";
        } catch (const pm::Error& e) {
            EXPECT_EQ(e.code(), pm::Exit::bad_value) << bad;
        }
    }
}

TEST(StatsHttp, Routes) {
    using pm::stats::Route;
    using pm::stats::route;
    EXPECT_EQ(route("GET", "/monitor/statistics"), Route::statistics);
    EXPECT_EQ(route("HEAD", "/metrics"), Route::metrics);
    EXPECT_EQ(route("GET", "/metrics"), Route::metrics);
    for (const char* m : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) EXPECT_EQ(route(m, "/metrics"), Route::method_not_allowed);
    for (const char* p : {"/", "/metrics/", "/monitor", "/monitor/statistics.json", "/METRICS", ""})
        EXPECT_EQ(route("GET", p), Route::not_found) << p;
    EXPECT_EQ(route("POST", "/nope"), Route::not_found);
}
