// pm-alloc's pure logic: aligned first fit, capacity, pool and port rules.
#include <gtest/gtest.h>

#include <random>

#include "alloc/allocator.hpp"
#include "alloc/host_range.hpp"
#include "core/error.hpp"
#include "output/port_text.hpp"

using pm::AllocRecord;
using pm::PoolConfig;
using pm::PortRange;
using pm::PortSet;
namespace alloc = pm::alloc;

namespace {

PortSet P(const char* text) { return PortSet::parse(text); }

PoolConfig pool(const char* ephemeral, uint32_t n, const char* ports = "") { return PoolConfig{P(ephemeral), n, P(ports)}; }

pm::Exit code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const pm::Error& e) {
        return e.code();
    }
    return pm::Exit::ok;
}

}  // namespace

// Mesos reference §2: pool 30001-30999 with N=512 yields only 30208-30719.
TEST(Alloc, ReferenceExampleAlignment) {
    auto first = alloc::first_fit(P("30001-30999"), 512);
    ASSERT_TRUE(first);
    EXPECT_EQ(*first, (PortRange{30208, 30719}));
    EXPECT_EQ(alloc::capacity(P("30001-30999"), 512), 1u);
    EXPECT_FALSE(alloc::first_fit(P("30001-30999"), 512, PortSet{*first}));
    // With 16 per container (the Mesos tests' setting) the first block is 30016-30031.
    EXPECT_EQ(*alloc::first_fit(P("30001-30999"), 16), (PortRange{30016, 30031}));
    EXPECT_EQ(alloc::capacity(P("30001-30999"), 16), 61u);  // 30016 .. 30991 (30992-30999 is short)
}

TEST(Alloc, FirstFitIsLowestAlignedFreeBlock) {
    PortSet pool = P("32768-36863");
    PortSet used;
    std::vector<PortRange> got;
    while (auto b = alloc::first_fit(pool, 1024, used)) {
        got.push_back(*b);
        used.add(*b);
    }
    EXPECT_EQ(got, (std::vector<PortRange>{{32768, 33791}, {33792, 34815}, {34816, 35839}, {35840, 36863}}));
    // Freeing the second block makes it the next choice, before any higher one.
    used = used.subtract(PortSet{{33792, 34815}});
    EXPECT_EQ(*alloc::first_fit(pool, 1024, used), (PortRange{33792, 34815}));
}

TEST(Alloc, SkipsFreeIntervalsTooSmallAfterAlignment) {
    // 40000 = 625 * 64 is already aligned.
    EXPECT_EQ(*alloc::first_fit(P("40000-40100"), 64), (PortRange{40000, 40063}));
    // 40001-40127: rounded up to 40064, which fits exactly.
    EXPECT_EQ(*alloc::first_fit(P("40001-40127"), 64), (PortRange{40064, 40127}));
    // Several intervals: the first one is too short, the second fits.
    EXPECT_EQ(*alloc::first_fit(P("40001-40100,50000-51000"), 64), (PortRange{50048, 50111}));
    EXPECT_EQ(alloc::capacity(P("40001-40100,50000-51000"), 64), 14u);  // 50048 .. 50943
}

TEST(Alloc, BlocksAreAlwaysAlignedAndDisjoint) {
    std::mt19937 rng(42);
    for (int round = 0; round < 200; ++round) {
        uint32_t n = 16u << (rng() % 8);
        uint32_t a = 1024 + rng() % 60000, b = std::min<uint32_t>(65535, a + rng() % 9000);
        PortSet pool{{a, b}};
        PortSet used;
        uint64_t expected = alloc::capacity(pool, n), count = 0;
        while (auto blk = alloc::first_fit(pool, n, used)) {
            EXPECT_EQ(blk->first % n, 0u);
            EXPECT_EQ(blk->size(), n);
            EXPECT_TRUE(pool.contains(PortSet{*blk}));
            EXPECT_FALSE(used.overlaps(PortSet{*blk}));
            used.add(*blk);
            EXPECT_EQ(alloc::capacity(pool, n, used), expected - ++count);
        }
        EXPECT_EQ(count, expected) << pool.to_string() << " n=" << n;
    }
}

TEST(Alloc, RangesEndingAt65535) {
    EXPECT_EQ(*alloc::first_fit(P("32768-65535"), 32768), (PortRange{32768, 65535}));
    EXPECT_EQ(alloc::capacity(P("61440-65535"), 1024), 4u);
    EXPECT_EQ(*alloc::first_fit(P("65520-65535"), 16), (PortRange{65520, 65535}));
}

TEST(Alloc, CapacityCountsAroundUnalignedUsedRanges) {
    // A used range that is not a block (e.g. from an older pool) still leaves the aligned slots around it.
    EXPECT_EQ(alloc::capacity(P("32768-36863"), 1024, P("33000-33100")), 3u);
    EXPECT_EQ(*alloc::first_fit(P("32768-36863"), 1024, P("33000-33100")), (PortRange{33792, 34815}));
}

TEST(Alloc, LargestBlock) {
    EXPECT_EQ(alloc::largest_block(P("30001-30999")), 512u);
    EXPECT_EQ(alloc::largest_block(P("32768-65535")), 32768u);
    EXPECT_EQ(alloc::largest_block(P("40001-40015")), 0u);
}

TEST(Alloc, BlockSizeRules) {
    for (uint64_t ok : {16, 32, 1024, 32768}) EXPECT_NO_THROW(alloc::validate_block_size(ok)) << ok;
    for (uint64_t bad : std::initializer_list<uint64_t>{0, 1, 8, 15, 17, 1000, 1023, 65536, 4294967296ull})
        EXPECT_EQ(code_of([&] { alloc::validate_block_size(bad); }), pm::Exit::bad_value) << bad;
}

TEST(Alloc, PoolValidation) {
    const PortRange host{32768, 60999};
    EXPECT_NO_THROW(alloc::validate_pool(pool("30001-30999", 512, "31000-32000"), host));
    EXPECT_NO_THROW(alloc::validate_pool(pool("61440-65535", 1024), host));
    // Values: 65.
    EXPECT_EQ(code_of([&] { alloc::validate_pool(pool("", 1024), host); }), pm::Exit::bad_value);
    EXPECT_EQ(code_of([&] { alloc::validate_pool(pool("20000-29999", 1000), host); }), pm::Exit::bad_value);
    EXPECT_EQ(code_of([&] { alloc::validate_pool(pool("20000-29999", 8), host); }), pm::Exit::bad_value);
    EXPECT_EQ(code_of([&] { alloc::validate_pool(pool("30001-30999", 1024), host); }), pm::Exit::bad_value);
    // Conflicts: 73.
    EXPECT_EQ(code_of([&] { alloc::validate_pool(pool("512-2047", 512), host); }), pm::Exit::conflict);
    EXPECT_EQ(code_of([&] { alloc::validate_pool(pool("20000-29999", 1024, "29000-29010"), host); }), pm::Exit::conflict);
    EXPECT_EQ(code_of([&] { alloc::validate_pool(pool("30000-33000", 1024), host); }), pm::Exit::conflict);
    EXPECT_EQ(code_of([&] { alloc::validate_pool(pool("60999-65535", 1024), host); }), pm::Exit::conflict);
    // Without a host range only the pool's own rules apply.
    EXPECT_NO_THROW(alloc::validate_pool(pool("30000-33000", 1024), std::nullopt));
    try {
        alloc::validate_pool(pool("30000-33000", 1024), host);
    } catch (const pm::Error& e) {
        EXPECT_NE(std::string(e.what()).find("ip_local_port_range 32768-60999"), std::string::npos) << e.what();
    }
}

TEST(Alloc, PortsMustBeManagedAndUnowned) {
    PoolConfig p = pool("32768-36863", 1024, "31000-32000");
    std::vector<AllocRecord> records{{"a", {32768, 33791}, P("31000-31009")}, {"b", {33792, 34815}, P("31050")}};
    EXPECT_NO_THROW(alloc::check_ports(p, "c", P("31010-31049,31051"), records));
    EXPECT_NO_THROW(alloc::check_ports(p, "a", P("31000-31020"), records));  // its own ports are fine
    EXPECT_EQ(code_of([&] { alloc::check_ports(p, "c", P("80"), records); }), pm::Exit::bad_value);
    EXPECT_EQ(code_of([&] { alloc::check_ports(p, "c", P("32000-32001"), records); }), pm::Exit::bad_value);
    EXPECT_EQ(code_of([&] { alloc::check_ports(p, "c", P("31005"), records); }), pm::Exit::conflict);
    try {
        alloc::check_ports(p, "c", P("31040-31060"), records);
        FAIL();
    } catch (const pm::Error& e) {
        EXPECT_EQ(std::string(e.what()), "port 31050 already belongs to container 'b'");
    }
}

TEST(Alloc, PlaceAndExhaustion) {
    PoolConfig p = pool("30001-30999", 512);
    std::vector<AllocRecord> records;
    AllocRecord first = alloc::place(p, "a", {}, records);
    EXPECT_EQ(first.ephemeral, (PortRange{30208, 30719}));
    records.push_back(first);
    try {
        alloc::place(p, "b", {}, records);
        FAIL();
    } catch (const pm::Error& e) {
        EXPECT_EQ(e.code(), pm::Exit::temporary);
        EXPECT_NE(std::string(e.what()).find("fit 1 container "), std::string::npos) << e.what();
    }
    auto u = alloc::usage(p, records);
    EXPECT_EQ(u.blocks_total, 1u);
    EXPECT_EQ(u.blocks_used, 1u);
    EXPECT_EQ(u.blocks_free, 0u);
    EXPECT_EQ(u.ephemeral_free, P("30001-30207,30720-30999"));
}

TEST(Alloc, Misfit) {
    PoolConfig p = pool("32768-36863", 1024, "31000-32000");
    EXPECT_FALSE(alloc::misfit(p, {"a", {32768, 33791}, P("31000")}));
    EXPECT_TRUE(alloc::misfit(p, {"a", {40960, 41983}, {}}));          // outside
    EXPECT_TRUE(alloc::misfit(p, {"a", {32768, 33279}, {}}));          // other size
    EXPECT_TRUE(alloc::misfit(p, {"a", {33000, 34023}, {}}));          // misaligned
    EXPECT_TRUE(alloc::misfit(p, {"a", {32768, 33791}, P("30000")}));  // ports unmanaged
}

TEST(Alloc, HostRangeFormat) {
    EXPECT_EQ(alloc::parse_local_port_range("32768\t60999\n"), (PortRange{32768, 60999}));
    EXPECT_EQ(alloc::parse_local_port_range("1024 1024"), (PortRange{1024, 1024}));
    for (const char* bad : {"", "32768", "a b", "32768 60999 1", "0 100", "60999 32768", "1 65536"})
        EXPECT_EQ(code_of([&] { alloc::parse_local_port_range(bad); }), pm::Exit::failure) << bad;
}

TEST(PortText, RendersRangesForHumans) {
    EXPECT_EQ(pm::port_text(pm::Json{{"begin", 1}, {"end", 5}}), "1-5");
    EXPECT_EQ(pm::port_text(P("80,443,31000-31009").to_json()), "80,443,31000-31009");
    EXPECT_EQ(pm::port_text(pm::Json::array()), "-");
    EXPECT_EQ(pm::port_text(pm::Json("x")), "x");
    auto human = pm::with_port_text({{"id", "a"}, {"ephemeral_ports", {{"begin", 2}, {"end", 3}}}, {"n", 4}});
    EXPECT_EQ(human, (pm::Json{{"id", "a"}, {"ephemeral_ports", "2-3"}, {"n", 4}}));
}
