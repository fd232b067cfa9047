#include <gtest/gtest.h>

#include <filesystem>

#include "core/container_id.hpp"
#include "core/error.hpp"
#include "output/table.hpp"
#include "state/json_file.hpp"
#include "state/records.hpp"
#include "sys/sysctl.hpp"
#include "sys/sysctl_dirs.hpp"

TEST(ContainerId, Rules) {
    const std::string max_len(64, 'x'), too_long(65, 'x');
    for (const std::string ok : {"a", "web-1", "A.b_c-9", "0abc", max_len.c_str()}) EXPECT_TRUE(pm::is_valid_container_id(ok)) << ok;
    for (const std::string bad : {"", ".", "..", "../x", "-a", "_a", ".a", "a/b", "a b", "é", too_long.c_str()})
        EXPECT_FALSE(pm::is_valid_container_id(bad)) << bad;
    EXPECT_THROW(pm::validate_container_id("../../etc"), pm::Error);
}

TEST(Table, HumanAndJsonFromTheSameRows) {
    pm::Table t({{"id", "ID"}, {"n", "COUNT", true}});
    t.add_row({{"id", "alpha"}, {"n", 5}});
    t.add_row({{"id", "b"}, {"n", 12345}, {"extra", true}});
    EXPECT_EQ(t.to_text(), "ID     COUNT\nalpha      5\nb      12345\n");
    auto j = t.to_json();
    ASSERT_EQ(j.size(), 2u);
    EXPECT_EQ(j[1]["extra"], true);
    EXPECT_EQ(pm::record_to_text({{"a", 1}, {"long", "x"}}), "a:    1\nlong: x\n");
}

TEST(JsonFile, AtomicWriteAndCorruptRead) {
    auto dir = std::filesystem::temp_directory_path() / ("pm-unit-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto f = dir / "x.json";
    pm::write_json_atomic(f, {{"k", 1}});
    EXPECT_EQ((*pm::read_json_file(f))["k"], 1);
    EXPECT_FALSE(pm::read_json_file(dir / "missing.json").has_value());
    {
        FILE* fp = fopen(f.c_str(), "w");
        fputs("{broken", fp);
        fclose(fp);
    }
    try {
        pm::read_json_file(f);
        FAIL();
    } catch (const pm::Error& e) {
        EXPECT_EQ(e.code(), pm::Exit::bad_value);
    }
    std::filesystem::create_symlink(f, dir / "link.json");
    EXPECT_THROW(pm::read_json_file(dir / "link.json"), pm::Error);
    std::filesystem::remove_all(dir);
}

TEST(Records, PoolAndAllocRoundTrip) {
    pm::PoolConfig p{pm::PortSet::parse("32768-40959"), 1024, pm::PortSet::parse("31000-32000")};
    EXPECT_EQ(pm::PoolConfig::from_json(p.to_json()), p);
    pm::AllocRecord a{"web", {32768, 33791}, pm::PortSet::parse("31000-31009")};
    auto b = pm::AllocRecord::from_json(a.to_json());
    EXPECT_EQ(b.id, "web");
    EXPECT_EQ(b.ephemeral, a.ephemeral);
    EXPECT_EQ(b.all_ports().to_string(), "31000-31009,32768-33791");
    EXPECT_THROW(pm::AllocRecord::from_json(pm::Json::parse(R"({"id":"x"})")), pm::Error);
}

TEST(Sysctl, PathsAndNormalize) {
    EXPECT_EQ(pm::sysctl::path("net.ipv4.ip_local_port_range"), "/proc/sys/net/ipv4/ip_local_port_range");
    EXPECT_EQ(pm::sysctl::path(std::vector<std::string>{"net", "ipv4", "conf", "eth0.5", "rp_filter"}),
              "/proc/sys/net/ipv4/conf/eth0.5/rp_filter");
    EXPECT_THROW(pm::sysctl::path(std::vector<std::string>{"net", ".."}), pm::Error);
    EXPECT_EQ(pm::sysctl::normalize("32768\t60999\n"), "32768 60999");
    EXPECT_TRUE(pm::sysctl::read("/proc/sys/net/ipv4/ip_local_port_range").has_value());
    EXPECT_FALSE(pm::sysctl::read("/proc/sys/net/nope").has_value());
}

// Read-only: never writes this machine's sysctls.
TEST(Sysctl, DirsReadWhatAPathReads) {
    pm::sysctl::Dirs dirs;
    for (const char* key : {"/proc/sys/net/ipv4/ip_local_port_range", "/proc/sys/net/ipv4/tcp_rmem", "/proc/sys/net/core/somaxconn"})
        EXPECT_EQ(dirs.read(key), pm::sysctl::read(key)) << key;
    EXPECT_FALSE(dirs.read("/proc/sys/net/ipv4/nope").has_value());        // a missing key in a known directory
    EXPECT_FALSE(dirs.read("/proc/sys/net/nope/nope").has_value());        // a missing directory
    EXPECT_FALSE(dirs.write_if_present("/proc/sys/net/nope/nope", "1"));  // nothing to write to
    EXPECT_THROW(dirs.read("nope"), pm::Error);
}
