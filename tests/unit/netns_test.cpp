// Pure parts of pm-netns: derived names, mountinfo parsing, IPv4 prefixes,
// interface-name rules, the undo stack, the host record.
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <vector>

#include "core/error.hpp"
#include "netns/host_settings.hpp"
#include "netns/mountinfo.hpp"
#include "netns/names.hpp"
#include "netns/tuning.hpp"
#include "core/undo.hpp"
#include "nl/address.hpp"
#include "nl/link.hpp"

using namespace pm;
using namespace pm::netns;

TEST(NetnsNames, HostVethNameIsShortHexAndStable) {
    for (const std::string& id : std::vector<std::string>{"a", "c1", std::string(64, 'x'), "web.frontend-01_a"}) {
        auto name = host_veth_name(id);
        EXPECT_LE(name.size(), 15u) << id;
        EXPECT_EQ(name.size(), 14u);
        EXPECT_EQ(name.substr(0, 2), "pm");
        EXPECT_EQ(name.find_first_not_of("0123456789abcdef", 2), std::string::npos) << name;
        EXPECT_TRUE(nl::is_valid_ifname(name));
        EXPECT_EQ(name, host_veth_name(id));  // deterministic
    }
}

TEST(NetnsNames, HostVethNamesDifferAcrossIds) {
    std::set<std::string> seen;
    for (int i = 0; i < 10000; ++i) seen.insert(host_veth_name("c" + std::to_string(i)));
    EXPECT_EQ(seen.size(), 10000u);
    EXPECT_NE(host_veth_name("ab"), host_veth_name("ba"));
}

TEST(NetnsNames, KnownValue) {
    // Pinned: records and running hosts depend on the derivation never changing.
    EXPECT_EQ(host_veth_name("c1"), "pm4ad219d4c239");
    EXPECT_EQ(host_veth_name("c2"), "pme14ffa8740c6");  // one byte apart, no digit shared
    EXPECT_EQ(ip_netns_name("c1"), "pm-c1");
}

TEST(Mountinfo, ParsesPropagationAndEscapes) {
    const char* text =
        "22 1 0:21 / /run rw,nosuid shared:5 - tmpfs tmpfs rw\n"
        "48 22 254:0 /x /run/my\\040dir rw shared:7 master:5 - ext4 /dev/vda rw\n"
        "49 48 0:4 net:[4026532385] /run/my\\040dir/c1 rw - nsfs nsfs rw\n"
        "garbage line\n";
    auto m = parse_mountinfo(text);
    ASSERT_EQ(m.size(), 3u);
    EXPECT_EQ(m[0].mount_point, "/run");
    EXPECT_EQ(m[0].shared, 5);
    EXPECT_FALSE(m[0].master);
    EXPECT_EQ(m[1].mount_point, "/run/my dir");
    EXPECT_EQ(m[1].shared, 7);
    EXPECT_EQ(m[1].master, 5);
    EXPECT_EQ(m[1].parent, 22);
    EXPECT_FALSE(m[2].shared);
    EXPECT_EQ(find_mount(m, "/run/my dir/c1"), &m[2]);
    EXPECT_EQ(find_mount(m, "/nope"), nullptr);
    EXPECT_EQ(find_mount_by_id(m, 22), &m[0]);
}

TEST(Mountinfo, TopMostMountWins) {
    auto m = parse_mountinfo("30 1 0:1 / /a rw - tmpfs t rw\n31 30 0:2 / /a rw shared:9 - tmpfs t rw\n");
    ASSERT_NE(find_mount(m, "/a"), nullptr);
    EXPECT_EQ(find_mount(m, "/a")->id, 31);
}

TEST(Ipv4Net, ParseAndContains) {
    auto n = nl::Ipv4Net::parse("198.51.100.10/24");
    ASSERT_TRUE(n);
    EXPECT_EQ(n->address, "198.51.100.10");
    EXPECT_EQ(n->prefix, 24u);
    EXPECT_EQ(n->to_string(), "198.51.100.10/24");
    EXPECT_TRUE(n->contains("198.51.100.1"));
    EXPECT_FALSE(n->contains("198.51.101.1"));
    EXPECT_FALSE(n->contains("not an ip"));
    EXPECT_EQ(nl::Ipv4Net::parse("203.0.113.5")->prefix, 32u);
    EXPECT_TRUE(nl::Ipv4Net::parse("0.0.0.0/0")->contains("203.0.113.7"));
    for (const char* bad : {"", "1.2.3", "1.2.3.4/33", "1.2.3.4/", "1.2.3.4/x", "256.1.1.1/8", "1.2.3.4/-1"})
        EXPECT_FALSE(nl::Ipv4Net::parse(bad)) << bad;
}

TEST(Ifname, KernelRules) {
    EXPECT_TRUE(nl::is_valid_ifname("eth0"));
    EXPECT_TRUE(nl::is_valid_ifname("a234567890abcde"));  // 15
    EXPECT_FALSE(nl::is_valid_ifname("a234567890abcdef"));  // 16
    for (const char* bad : {"", ".", "..", "a/b", "a b", "a:b", "tab\t"}) EXPECT_FALSE(nl::is_valid_ifname(bad)) << bad;
}

TEST(UndoStack, RollsBackInReverseUnlessCommitted) {
    std::string order;
    {
        UndoStack undo;
        undo.push("a", [&] { order += "a"; });
        undo.push("b", [&] { order += "b"; });
        undo.push("c", [&] { order += "c"; });
    }
    EXPECT_EQ(order, "cba");
    order.clear();
    {
        UndoStack undo;
        undo.push("a", [&] { order += "a"; });
        undo.commit();
    }
    EXPECT_EQ(order, "");
}

TEST(UndoStack, FailingStepDoesNotStopTheRest) {
    std::string order;
    {
        UndoStack undo;
        undo.push("a", [&] { order += "a"; });
        undo.push("b", [&] { throw Error(Exit::failure, "boom"); });
        undo.push("c", [&] { order += "c"; });
        EXPECT_FALSE(undo.failed());
        undo.rollback();
        EXPECT_EQ(undo.size(), 0u);
        EXPECT_TRUE(undo.failed());
    }
    EXPECT_EQ(order, "ca");
}

TEST(HostRecord, RoundTrip) {
    HostRecord r;
    r.eth0 = "eth0";
    r.eth0_ifindex = 2;
    r.lo = "lo";
    r.lo_ifindex = 1;
    r.mac = "76:40:90:6f:f2:18";
    r.mtu = 1500;
    r.settings["net.ipv4.conf.lo.route_localnet"] = "1";
    r.previous["net.ipv4.conf.lo.route_localnet"] = "0";
    EXPECT_EQ(HostRecord::from_json(r.to_json()), r);
    EXPECT_THROW(HostRecord::from_json(Json{{"eth0", 3}}), Error);
}

TEST(Tuning, KeysAreDottedNetSysctls) {
    ASSERT_FALSE(tuning_keys().empty());
    for (const auto& k : tuning_keys()) EXPECT_EQ(k.rfind("net.", 0), 0u) << k;
}
