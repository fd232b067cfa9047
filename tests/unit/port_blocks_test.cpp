#include <gtest/gtest.h>

#include <random>

#include "ports/port_blocks.hpp"

using pm::PortBlock;
using pm::PortRange;

namespace {
std::vector<std::pair<unsigned, unsigned>> as_pairs(const std::vector<PortBlock>& blocks) {
    std::vector<std::pair<unsigned, unsigned>> out;
    for (const auto& b : blocks) out.emplace_back(b.value, b.mask);
    return out;
}
}  // namespace

// Worked examples from the Mesos reference §1.6.
TEST(PortBlocks, ReferenceExamples) {
    EXPECT_EQ(as_pairs(pm::port_blocks(PortRange{32768, 33791})), (std::vector<std::pair<unsigned, unsigned>>{{32768, 0xfc00}}));
    EXPECT_EQ(as_pairs(pm::port_blocks(PortRange{31000, 31499})),
              (std::vector<std::pair<unsigned, unsigned>>{{31000, 0xfff8},
                                                          {31008, 0xffe0},
                                                          {31040, 0xffc0},
                                                          {31104, 0xff80},
                                                          {31232, 0xff00},
                                                          {31488, 0xfff8},
                                                          {31496, 0xfffc}}));
    auto tail = pm::port_blocks(PortRange{31500, 32000});
    EXPECT_EQ(tail.size(), 7u);
    EXPECT_EQ(tail.back().value, 32000);
    EXPECT_EQ(tail.back().mask, 0xffff);
}

TEST(PortBlocks, RangesEndingAt65535) {
    EXPECT_EQ(as_pairs(pm::port_blocks(PortRange{32768, 65535})), (std::vector<std::pair<unsigned, unsigned>>{{32768, 0x8000}}));
    EXPECT_EQ(as_pairs(pm::port_blocks(PortRange{65535, 65535})), (std::vector<std::pair<unsigned, unsigned>>{{65535, 0xffff}}));
    EXPECT_EQ(as_pairs(pm::port_blocks(PortRange{65024, 65535})), (std::vector<std::pair<unsigned, unsigned>>{{65024, 0xfe00}}));
    auto all = pm::port_blocks(PortRange{1, 65535});
    EXPECT_EQ(all.front().value, 1);
    EXPECT_EQ(all.back().last(), 65535u);
    EXPECT_EQ(all.size(), 16u);  // 1,2-3,4-7,...,32768-65535
}

TEST(PortBlocks, SinglePortAndSmallRanges) {
    EXPECT_EQ(as_pairs(pm::port_blocks(PortRange{80, 80})), (std::vector<std::pair<unsigned, unsigned>>{{80, 0xffff}}));
    EXPECT_EQ(as_pairs(pm::port_blocks(PortRange{4, 7})), (std::vector<std::pair<unsigned, unsigned>>{{4, 0xfffc}}));
}

// Property: blocks are aligned powers of two, contiguous, and cover exactly the range.
TEST(PortBlocks, RandomRangesAreCoveredExactly) {
    std::mt19937 rng(42);
    std::uniform_int_distribution<uint32_t> port(1, 65535);
    for (int i = 0; i < 20000; ++i) {
        uint32_t a = port(rng), b = port(rng);
        if (a > b) std::swap(a, b);
        uint32_t next = a;
        for (const auto& blk : pm::port_blocks(PortRange{a, b})) {
            ASSERT_EQ(blk.value, next);
            uint32_t size = blk.size();
            ASSERT_EQ(size & (size - 1), 0u);
            ASSERT_EQ(blk.value % size, 0u);
            // every port p in the block satisfies (p & mask) == value
            ASSERT_EQ((blk.last() & blk.mask), blk.value);
            next = blk.last() + 1;
        }
        ASSERT_EQ(next, b + 1);
    }
}

TEST(PortBlocks, PortSetConcatenatesRanges) {
    auto blocks = pm::port_blocks(pm::PortSet::parse("80,443,8080-8081"));
    EXPECT_EQ(as_pairs(blocks), (std::vector<std::pair<unsigned, unsigned>>{{80, 0xffff}, {443, 0xffff}, {8080, 0xfffe}}));
}
