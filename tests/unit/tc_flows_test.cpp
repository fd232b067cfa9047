// Unique flows, the pure parts: the flow classifiers of a container, the
// eth0-egress tables, and their records.
#include <gtest/gtest.h>
#include <linux/if_ether.h>
#include <linux/pkt_sched.h>

#include <set>
#include <tuple>

#include "nl/tc_handle.hpp"
#include "ports/port_blocks.hpp"
#include "tc/flows.hpp"

namespace tc = pm::tc;
namespace nl = pm::nl;

TEST(TcFlows, LeavesClassifyEveryBlockInEveryBucketItCovers) {
    pm::PortSet ports{{31000, 31009}, {40000, 41023}};
    auto blocks = pm::port_blocks(ports);
    auto leaves = tc::flow_leaves(blocks, nl::tc_handle(1, 7));
    size_t expected = 0;
    for (const auto& b : blocks) expected += tc::buckets(b).size();
    ASSERT_EQ(leaves.size(), expected);
    std::set<std::tuple<uint16_t, uint32_t>> places;
    for (const auto& l : leaves) {
        EXPECT_EQ(l.dev, tc::Dev::eth0_out);
        EXPECT_EQ(l.act, tc::Act::classify);
        EXPECT_EQ(l.classid, 0x10007u);
        EXPECT_EQ(l.prio, tc::kPrioOut);
        EXPECT_EQ(nl::u32_htid(l.handle), tc::kHtOut);
        EXPECT_EQ(l.keys.size(), 1u);
        EXPECT_EQ(l.keys[0].mask & 0xffff, 0u);  // source port: the high half of word 20
        EXPECT_TRUE(places.insert({l.prio, l.handle}).second) << l.match;
    }
    EXPECT_TRUE(tc::flow_leaves(blocks, 0).empty());
}

TEST(TcFlows, TablesHaveDistinctIdsAndPriorities) {
    std::set<uint32_t> htids;
    std::set<uint16_t> prios;
    for (const auto& t : tc::flow_tables()) {
        EXPECT_EQ(t.dev, tc::Dev::eth0_out);
        EXPECT_TRUE(htids.insert(t.htid).second) << t.name;
        EXPECT_TRUE(prios.insert(t.prio).second) << t.name;
        EXPECT_LT(t.htid, 0x800u);
    }
    // The last resort (host flow) matches every protocol, after everything else.
    EXPECT_EQ(tc::flow_tables().back().protocol, ETH_P_ALL);
    EXPECT_EQ(*prios.rbegin(), tc::kPrioDefault);
}

TEST(TcFlows, ConfigLivesInHostJson) {
    tc::HostRecord h;
    EXPECT_FALSE(tc::flow_config(h));
    tc::FlowConfig c{nl::tc_handle(1, 1), nl::tc_handle(2, 0), 16};
    tc::set_flow_config(h, c);
    auto back = tc::HostRecord::from_json(h.to_json());
    ASSERT_TRUE(tc::flow_config(back));
    EXPECT_EQ(*tc::flow_config(back), c);
    EXPECT_EQ(h.to_json()["unique_flows"]["parent"], "1:1");
    tc::set_flow_config(h, tc::FlowConfig{TC_H_ROOT, nl::tc_handle(1, 0), 1024});
    EXPECT_EQ(h.to_json()["unique_flows"]["parent"], "root");
    tc::set_flow_config(h, std::nullopt);
    EXPECT_FALSE(h.to_json().contains("unique_flows"));
}

TEST(TcFlows, ContainerFlowAndClassifiersRoundTripThroughTcJson) {
    tc::TcRecord r;
    r.id = "c1";
    r.state = "attached";
    r.ephemeral = {32768, 33791};
    r.flow = nl::tc_handle(1, 12);
    r.filters = tc::flow_leaves(pm::port_blocks(pm::PortSet{{32768, 33791}}), r.flow);
    auto j = r.to_json();
    EXPECT_EQ(j["flow"], "1:c");
    EXPECT_EQ(j["filters"][0]["action"], "classify");
    EXPECT_EQ(j["filters"][0]["classid"], "1:c");
    EXPECT_EQ(j["filters"][0]["dev"], "eth0-egress");
    auto back = tc::TcRecord::from_json(j);
    EXPECT_EQ(back.flow, r.flow);
    ASSERT_EQ(back.filters.size(), r.filters.size());
    EXPECT_EQ(back.filters[0].classid, r.flow);
    EXPECT_EQ(back.filters[0].dev, tc::Dev::eth0_out);
    EXPECT_FALSE(back.extra.contains("flow"));
    r.flow = 0;
    EXPECT_FALSE(r.to_json().contains("flow"));
}
