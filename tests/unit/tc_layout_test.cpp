// Pure steering logic: handles, buckets, u32 keys, table layout, update diffs.
#include <gtest/gtest.h>
#include <linux/if_ether.h>

#include <set>
#include <tuple>

#include "core/error.hpp"
#include "nl/tc_handle.hpp"
#include "ports/port_blocks.hpp"
#include "tc/layout.hpp"
#include "tc/records.hpp"

using pm::PortBlock;
using pm::PortRange;
using pm::PortSet;
namespace tc = pm::tc;
namespace nl = pm::nl;

namespace {
tc::HostFacts host() { return tc::HostFacts::parse("198.51.100.10/24", "02:00:00:aa:bb:cc"); }
PortBlock block(uint32_t first, uint32_t size) { return {static_cast<uint16_t>(first), static_cast<uint16_t>(~(size - 1) & 0xffff)}; }
}  // namespace

TEST(TcHandle, FormatAndParseLikeTc) {
    EXPECT_EQ(nl::format_u32_handle(nl::u32_handle(0x800, 0, 1)), "800::1");
    EXPECT_EQ(nl::format_u32_handle(nl::u32_handle(0x30, 0x7a, 0x801)), "30:7a:801");
    EXPECT_EQ(nl::format_u32_handle(nl::u32_handle(0x30, 0, 0)), "30:");
    EXPECT_EQ(nl::format_u32_handle(0), "0");
    EXPECT_EQ(nl::format_tc_handle(nl::kIngressParent), "ffff:");
    EXPECT_EQ(nl::format_tc_handle(nl::tc_handle(1, 0x10)), "1:10");
    for (uint32_t h : {nl::u32_handle(0x800, 0, 1), nl::u32_handle(0x30, 0x7a, 0x801), nl::u32_handle(0x30, 0, 0),
                       nl::u32_handle(0xfff, 0xff, 0xfff), nl::u32_handle(0x10, 0, 0x500)})
        EXPECT_EQ(nl::parse_u32_handle(nl::format_u32_handle(h)), h) << nl::format_u32_handle(h);
    EXPECT_EQ(nl::parse_tc_handle("ffff:"), nl::kIngressParent);
    EXPECT_EQ(nl::parse_tc_handle("1:10"), nl::tc_handle(1, 0x10));
    for (const char* bad : {"", "x", "1000:", "30:100:1", "30:1:1000", "30:1:2:3", "g:"})
        EXPECT_THROW(nl::parse_u32_handle(bad), pm::Error) << bad;
    for (const char* bad : {"", "ffff", ":1", "10000:", "1:2:3"}) EXPECT_THROW(nl::parse_tc_handle(bad), pm::Error) << bad;
}

TEST(TcLayout, BucketsCoverTheHighBytesOfABlock) {
    EXPECT_EQ(tc::buckets(block(32768, 1024)), (std::vector<uint32_t>{128, 129, 130, 131}));
    EXPECT_EQ(tc::buckets(block(31000, 8)), (std::vector<uint32_t>{121}));
    EXPECT_EQ(tc::buckets(block(31232, 256)), (std::vector<uint32_t>{122}));
    // Ranges ending at 65535: the last bucket is 255, with no overflow.
    EXPECT_EQ(tc::buckets(block(65535, 1)), (std::vector<uint32_t>{255}));
    auto top = tc::buckets(block(32768, 32768));
    ASSERT_EQ(top.size(), 128u);
    EXPECT_EQ(top.front(), 128u);
    EXPECT_EQ(top.back(), 255u);
}

TEST(TcLayout, LeafNodesAreUniqueForDisjointAlignedBlocks) {
    EXPECT_EQ(tc::leaf_node(block(31000, 8)), 1u + (3u << 8) + (31000u & 0xff));
    EXPECT_EQ(tc::leaf_node(block(32768, 1024)), 1u + (10u << 8));
    EXPECT_EQ(tc::leaf_node(block(32768, 32768)), 1u + (15u << 8));  // the largest possible block
    EXPECT_EQ(tc::leaf_node(block(65535, 1)), 256u);
    // Every aligned block inside one bucket, all sizes: distinct nodes, all <= 0xfff.
    std::set<uint32_t> seen;
    for (uint32_t size = 1; size <= 256; size *= 2)
        for (uint32_t first = 0x7a00; first < 0x7b00; first += size) {
            uint32_t node = tc::leaf_node(block(first, size));
            EXPECT_TRUE(seen.insert(node).second) << first << "/" << size;
            EXPECT_GE(node, 1u);
            EXPECT_LE(node, 0xfffu);
        }
    // Blocks bigger than a bucket differ by size (so update can add before it removes).
    EXPECT_NE(tc::leaf_node(block(32768, 512)), tc::leaf_node(block(32768, 1024)));
}

TEST(TcLayout, MirrorNodeFromTheEphemeralBlock) {
    EXPECT_EQ(tc::mirror_node(PortRange{32768, 33791}), 2048u);
    EXPECT_EQ(tc::mirror_node(PortRange{16, 31}), 1u);
    EXPECT_EQ(tc::mirror_node(PortRange{65520, 65535}), 4095u);
    EXPECT_THROW(tc::mirror_node(PortRange{32768, 32775}), pm::Error);  // 8 ports: too small
    EXPECT_THROW(tc::mirror_node(PortRange{32769, 33792}), pm::Error);  // not aligned
    EXPECT_THROW(tc::mirror_node(PortRange{32768, 33767}), pm::Error);  // not a power of two
}

TEST(TcLayout, KeysMatchTheReferenceEncoding) {
    using K = nl::U32Key;
    EXPECT_EQ(tc::keys::dport(block(32768, 1024)), (K{32768, 0xfc00, 20}));
    EXPECT_EQ(tc::keys::sport(block(32768, 1024)), (K{32768u << 16, 0xfc000000u, 20}));
    EXPECT_EQ(tc::keys::dport(block(65535, 1)), (K{0xffff, 0xffff, 20}));
    EXPECT_EQ(tc::keys::sport(block(65535, 1)), (K{0xffff0000u, 0xffff0000u, 20}));
    EXPECT_EQ(tc::keys::ihl5(), (K{0x05000000, 0x0f000000, 0}));
    EXPECT_EQ(tc::keys::proto(17), (K{0x00110000, 0x00ff0000, 8}));
    EXPECT_EQ(tc::keys::dst(0xc633640a), (K{0xc633640a, 0xffffffff, 16}));
    auto mac = tc::keys::dst_mac({0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc});
    EXPECT_EQ(mac[0], (K{0x0200, 0x0000ffff, -16}));
    EXPECT_EQ(mac[1], (K{0x00aabbcc, 0xffffffff, -12}));
    auto h = host();
    EXPECT_EQ(h.ip, 0xc633640au);
    EXPECT_THROW(tc::HostFacts::parse("198.51.100.300/24", "02:00:00:aa:bb:cc"), pm::Error);
    EXPECT_THROW(tc::HostFacts::parse("198.51.100.10/24", "02:00:00:aa:bb"), pm::Error);
}

TEST(TcLayout, TablesUseDistinctIdsPerDeviceAndPriority) {
    auto all = tc::host_tables(host());
    auto c = tc::container_tables(host());
    all.insert(all.end(), c.begin(), c.end());
    std::set<std::pair<tc::Dev, uint32_t>> htids;
    std::set<std::pair<tc::Dev, uint16_t>> prios;
    for (const auto& t : all) {
        EXPECT_TRUE(htids.insert({t.dev, t.htid}).second) << t.name;
        EXPECT_TRUE(prios.insert({t.dev, t.prio}).second) << t.name;
        EXPECT_LT(t.htid, 0x800u) << t.name;  // never a kernel root table id
        EXPECT_FALSE(t.links.empty()) << t.name;
        EXPECT_EQ(t.divisor == 256, t.hash_mask != 0) << t.name;
    }
}

TEST(TcLayout, EveryLeafHasAPlaceOfItsOwn) {
    // An ephemeral block, a large block that spans buckets, small odd ranges and one ending at 65535.
    PortSet ports{{31000, 31499}, {40000, 41023}, {65535, 65535}};
    auto blocks = pm::port_blocks(ports.unite(PortSet{{32768, 33791}}));
    auto leaves = tc::container_leaves(host(), blocks, tc::mirror_node({32768, 33791}));
    std::set<std::tuple<tc::Dev, uint16_t, uint32_t>> places;
    for (const auto& l : leaves) {
        EXPECT_TRUE(places.insert({l.dev, l.prio, l.handle}).second) << l.role << " " << l.match;
        EXPECT_NE(nl::u32_node(l.handle), 0u);
        EXPECT_EQ(l.protocol, l.role.find("arp") != std::string::npos ? ETH_P_ARP : ETH_P_IP) << l.role;
    }
    // Application order: veth, container, host.
    for (size_t i = 1; i < leaves.size(); ++i) EXPECT_LE(tc::phase(leaves[i - 1].dev), tc::phase(leaves[i].dev));
    // 1024-port blocks land in 4 buckets on each of 6 port tables.
    size_t in_eth0 = 0;
    for (const auto& l : leaves)
        if (l.dev == tc::Dev::eth0 && l.role == "in") ++in_eth0;
    size_t expected = 0;
    for (const auto& b : blocks) expected += tc::buckets(b).size();
    EXPECT_EQ(in_eth0, expected);
    // The port 65535 leaf sits in bucket 255.
    bool top = false;
    for (const auto& l : leaves) top |= l.role == "in" && nl::u32_bucket(l.handle) == 255 && l.keys[0].value == 0xffff;
    EXPECT_TRUE(top);
}

TEST(TcLayout, UpdateDiffTouchesOnlyChangedBlocks) {
    auto h = host();
    const PortRange eph{32768, 33791};
    auto leaves_for = [&](PortSet ports) {
        return tc::container_leaves(h, pm::port_blocks(ports.unite(PortSet{eph})), tc::mirror_node(eph));
    };
    auto before = leaves_for(PortSet{{31000, 31007}, {31050, 31050}});
    auto after = leaves_for(PortSet{{31000, 31007}, {31060, 31060}});
    auto d = tc::diff_leaves(before, after);
    EXPECT_EQ(d.add.size(), 6u);  // one single-port block on six port tables
    EXPECT_EQ(d.remove.size(), 6u);
    EXPECT_EQ(d.kept, before.size() - 6);
    for (const auto& l : d.add) EXPECT_NE(l.match.find("31060"), std::string::npos);
    for (const auto& l : d.remove) EXPECT_NE(l.match.find("31050"), std::string::npos);
    // Same ports, nothing to do.
    auto same = tc::diff_leaves(before, leaves_for(PortSet{{31000, 31007}, {31050, 31050}}));
    EXPECT_TRUE(same.add.empty());
    EXPECT_TRUE(same.remove.empty());
    // A range that grows changes its block shape: 31008-31009 (2) -> 31008-31015 (8) etc.
    auto grown = tc::diff_leaves(leaves_for(PortSet{{31000, 31009}}), leaves_for(PortSet{{31000, 31019}}));
    for (const auto& a : grown.add)
        for (const auto& r : grown.remove) EXPECT_FALSE(a.same_place(r));
    EXPECT_FALSE(grown.add.empty());
    EXPECT_FALSE(grown.remove.empty());
}

TEST(TcRecords, TcRecordRoundTrip) {
    tc::TcRecord r;
    r.id = "web-1";
    r.state = "attached";
    r.netns = "/run/portmap/netns/web-1";
    r.veth = {"pm0123", 7, true};
    r.c_lo = {"lo", 1, true};
    r.c_eth0 = {"eth0", 2, false};
    r.eth0 = {"eth0", 2, false};
    r.lo = {"lo", 1, false};
    r.address = "198.51.100.10/24";
    r.mac = "02:00:00:aa:bb:cc";
    r.ephemeral = {32768, 33791};
    r.ports = PortSet{{31000, 31009}};
    r.mirror = tc::mirror_node(r.ephemeral);
    r.filters = tc::container_leaves(host(), r.blocks(), r.mirror);
    r.tables.push_back({"veth-out", tc::Dev::veth, 771, ETH_P_IP, 0x50, 256, 0xff000000, 0x803, {nl::u32_handle(0x803, 0, 1)}});
    r.extra = {{"future", {{"x", 1}}}};              // unknown keys are kept
    r.shaping.egress = tc::Limit{125000, 0, 0};     // shaping is typed (rate_config.hpp)
    auto j = r.to_json();
    auto back = tc::TcRecord::from_json(j);
    EXPECT_EQ(back.to_json(), j);
    EXPECT_EQ(back.filters.size(), r.filters.size());
    EXPECT_TRUE(back.filters[5].same_place(r.filters[5]));
    EXPECT_EQ(j["shaping"]["egress"]["rate"], 125000);
    EXPECT_EQ(j["future"]["x"], 1);
    EXPECT_EQ(j["blocks"][0], "31000-31007");
    EXPECT_THROW(tc::TcRecord::from_json(pm::Json::array()), pm::Error);
    auto broken = j;
    broken["filters"][0]["dev"] = "wlan0";
    EXPECT_THROW(tc::TcRecord::from_json(broken), pm::Error);
}
