#include <gtest/gtest.h>
#include <linux/pkt_sched.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/route/class.h>

#include "core/error.hpp"
#include "nl/htb.hpp"
#include "tc/rate_config.hpp"

using pm::Exit;
using pm::tc::Bloat;
using pm::tc::Limit;
using pm::tc::parse_shaping;
using pm::tc::Shaping;
using pm::tc::ShapingChange;
using pm::tc::ShapingOptions;

namespace {

ShapingOptions egress(std::string rate, std::string ceil = "", std::string burst = "") {
    ShapingOptions o;
    o.egress = {std::move(rate), std::move(ceil), std::move(burst)};
    return o;
}

Exit code_of(const ShapingOptions& o) {
    try {
        parse_shaping(o);
    } catch (const pm::Error& e) {
        return e.code();
    }
    return Exit::ok;
}

}  // namespace

TEST(TcShaping, ExplicitRates) {
    auto c = parse_shaping(egress("10mbit", "20mbit", "64KB"));
    EXPECT_EQ(c.egress, ShapingChange::Op::set);
    EXPECT_EQ(c.ingress, ShapingChange::Op::keep);
    EXPECT_EQ(c.egress_limit, (Limit{1250000, 2500000, 65536}));
    EXPECT_FALSE(c.bloat);
    ShapingOptions o;
    o.ingress.rate = "5MB";
    o.bloat = "none";
    c = parse_shaping(o);
    EXPECT_EQ(c.ingress_limit.rate, 5u * 1024 * 1024);
    EXPECT_EQ(*c.bloat, Bloat::none);
}

TEST(TcShaping, NoneRemovesAndKeepMerges) {
    Shaping cur;
    cur.egress = Limit{1250000, 0, 0};
    cur.ingress = Limit{2500000, 0, 0};
    ShapingOptions o;
    o.egress.rate = "none";
    const Shaping next = parse_shaping(o).apply_to(cur);
    EXPECT_FALSE(next.egress);
    EXPECT_EQ(next.ingress, cur.ingress);
    EXPECT_TRUE(parse_shaping(ShapingOptions{}).empty());
}

TEST(TcShaping, Clamps) {
    auto o = egress("100kbit");
    EXPECT_EQ(parse_shaping(o).egress_limit.rate, pm::tc::kDefaultMinRate);  // Mesos's 1 Mbit/s minimum
    o.min_rate = "10kbit";
    EXPECT_EQ(parse_shaping(o).egress_limit.rate, 12500u);
    o = egress("1gbit", "2gbit");
    o.max_rate = "100mbit";
    auto l = parse_shaping(o).egress_limit;
    EXPECT_EQ(l.rate, 12500000u);
    EXPECT_EQ(l.ceil, 250000000u);  // the ceil is not clamped by the maximum
    o = egress("1mbit", "2mbit");
    o.min_rate = "5mbit";
    l = parse_shaping(o).egress_limit;
    EXPECT_EQ(l.rate, 625000u);
    EXPECT_EQ(l.ceil, 625000u);  // raised with the rate
}

TEST(TcShaping, PerCpuScaling) {
    ShapingOptions o;
    o.rate_per_cpu = "10mbit";
    o.cpus = "2.9";
    auto c = parse_shaping(o);
    EXPECT_EQ(c.egress_limit.rate, 2500000u);  // floor(2.9) = 2
    EXPECT_EQ(c.ingress_limit.rate, 2500000u);
    o.ingress.rate = "none";
    o.egress.rate = "3mbit";  // an explicit rate wins
    c = parse_shaping(o);
    EXPECT_EQ(c.egress_limit.rate, 375000u);
    EXPECT_EQ(c.ingress, ShapingChange::Op::remove);
    o = {};
    o.rate_per_cpu = "10mbit";
    o.cpus = "0.5";  // 0 whole CPUs -> the minimum
    EXPECT_EQ(parse_shaping(o).egress_limit.rate, pm::tc::kDefaultMinRate);
    o.cpus = "0";
    o.min_rate = "3mbit";
    EXPECT_EQ(parse_shaping(o).egress_limit.rate, 375000u);
}

TEST(TcShaping, BadCombinationsAreUsage) {
    EXPECT_EQ(code_of(egress("10mbit", "", "10KB")), Exit::usage);  // burst without ceil
    EXPECT_EQ(code_of(egress("", "10mbit")), Exit::usage);          // ceil without rate
    EXPECT_EQ(code_of(egress("none", "10mbit")), Exit::usage);
    ShapingOptions o;
    o.cpus = "4";
    EXPECT_EQ(code_of(o), Exit::usage);
    o = {};
    o.rate_per_cpu = "1mbit";
    EXPECT_EQ(code_of(o), Exit::usage);
    o = {};
    o.min_rate = "1mbit";
    EXPECT_EQ(code_of(o), Exit::usage);
}

TEST(TcShaping, BadValues) {
    for (const char* bad : {"10", "10furlongs", "-1mbit", "0mbit", "0", "mbit"})
        EXPECT_EQ(code_of(egress(bad)), Exit::bad_value) << bad;
    EXPECT_EQ(code_of(egress("10mbit", "5mbit")), Exit::bad_value);              // ceil below rate
    EXPECT_EQ(code_of(egress("10mbit", "20mbit", "5GB")), Exit::bad_value);      // burst > 32 bits
    EXPECT_EQ(code_of(egress("10mbit", "20mbit", "0B")), Exit::bad_value);
    auto o = egress("10mbit");
    o.min_rate = "20mbit";
    o.max_rate = "5mbit";
    EXPECT_EQ(code_of(o), Exit::bad_value);
    o = {};
    o.rate_per_cpu = "1mbit";
    for (const char* cpus : {"-1", "x", "1e400", "nan", "inf"}) {
        o.cpus = cpus;
        EXPECT_EQ(code_of(o), Exit::bad_value) << cpus;
    }
    o = egress("1mbit");
    o.bloat = "sfq";
    EXPECT_EQ(code_of(o), Exit::bad_value);
}

TEST(TcShaping, SixtyFourBitRates) {
    auto c = parse_shaping(egress("40gbit", "100gbit"));
    EXPECT_EQ(c.egress_limit.rate, 5000000000u);
    EXPECT_EQ(c.egress_limit.ceil, 12500000000u);
    ShapingOptions o;
    o.rate_per_cpu = "10gbit";
    o.cpus = "64";
    EXPECT_EQ(parse_shaping(o).egress_limit.rate, 80000000000u);  // 640 Gbit/s, no wrap
    const auto h = pm::tc::htb_class_for(c.egress_limit);
    EXPECT_EQ(h.rate, 5000000000u);
    EXPECT_EQ(h.ceil, 12500000000u);
    EXPECT_EQ(h.burst, 5000000u);  // 1 ms at the rate
    EXPECT_EQ(h.quantum, 200000u);

    // The netlink message carries the full rate in TCA_HTB_RATE64/CEIL64.
    auto cls = pm::nl::make_htb_class(1, 0x10000, 0x10001, h);
    nl_msg* raw = nullptr;
    ASSERT_EQ(rtnl_class_build_add_request(cls.get(), NLM_F_CREATE, &raw), 0);
    std::unique_ptr<nl_msg, void (*)(nl_msg*)> msg(raw, nlmsg_free);
    nlattr* opts = nlmsg_find_attr(nlmsg_hdr(msg.get()), sizeof(tcmsg), TCA_OPTIONS);
    ASSERT_NE(opts, nullptr);
    nlattr* r64 = nla_find(static_cast<nlattr*>(nla_data(opts)), nla_len(opts), TCA_HTB_RATE64);
    nlattr* c64 = nla_find(static_cast<nlattr*>(nla_data(opts)), nla_len(opts), TCA_HTB_CEIL64);
    ASSERT_NE(r64, nullptr);
    ASSERT_NE(c64, nullptr);
    EXPECT_EQ(nla_get_u64(r64), 5000000000u);
    EXPECT_EQ(nla_get_u64(c64), 12500000000u);
}

TEST(TcShaping, DefaultBurstAndQuantum) {
    const auto h = pm::tc::htb_class_for(Limit{1250000, 0, 0});  // 10mbit
    EXPECT_EQ(h.ceil, 1250000u);
    EXPECT_EQ(h.burst, 1600u);  // 1 ms would be 1250 B: at least 1600
    EXPECT_EQ(h.quantum, 125000u);
    EXPECT_EQ(pm::tc::htb_class_for(Limit{125000, 0, 0}).quantum, 12500u);
    EXPECT_EQ(pm::tc::htb_class_for(Limit{12500, 0, 0}).quantum, 2000u);
    EXPECT_EQ(pm::tc::htb_class_for(Limit{1250000, 2500000, 65536}).burst, 65536u);
}

TEST(TcShaping, RecordRoundTrip) {
    Shaping s;
    s.bloat = Bloat::none;
    s.egress = Limit{1250000, 2500000, 65536};
    const auto j = s.to_json();
    EXPECT_EQ(j.dump(), R"({"bloat_reduction":"none","egress":{"rate":1250000,"ceil":2500000,"burst":65536}})");
    EXPECT_EQ(j["egress"]["rate"], 1250000);
    EXPECT_FALSE(j.contains("ingress"));
    const Shaping back = Shaping::from_json(j);
    EXPECT_TRUE(back.same(s));
    EXPECT_EQ(back.bloat, Bloat::none);
    EXPECT_THROW(Shaping::from_json(pm::Json{{"egress", {{"rate", "fast"}}}}), pm::Error);
    EXPECT_THROW(Shaping::from_json(pm::Json{{"bloat_reduction", "red"}}), pm::Error);
    // Leaf kind only matters when something is shaped.
    Shaping a, b;
    b.bloat = Bloat::none;
    EXPECT_TRUE(a.same(b));
}
