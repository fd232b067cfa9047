#include <gtest/gtest.h>

#include "core/error.hpp"
#include "units/units.hpp"

TEST(Units, BitRatesBase1000) {
    EXPECT_EQ(pm::parse_rate("10mbit"), 1250000u);
    EXPECT_EQ(pm::parse_rate("10Mbit"), 1250000u);
    EXPECT_EQ(pm::parse_rate("1gbit"), 125000000u);
    EXPECT_EQ(pm::parse_rate("8bit"), 1u);
    EXPECT_EQ(pm::parse_rate("1.5Gbit"), 187500000u);
    EXPECT_EQ(pm::parse_rate("40gbit"), 5000000000u);  // above 32 bits
}

TEST(Units, ByteRatesBase1024) {
    EXPECT_EQ(pm::parse_rate("1MB"), 1048576u);
    EXPECT_EQ(pm::parse_rate("125000B"), 125000u);
    EXPECT_EQ(pm::parse_rate("2KB"), 2048u);
    EXPECT_EQ(pm::parse_rate("1TB"), 1099511627776u);
}

TEST(Units, RejectsBadRates) {
    for (const char* bad : {"100", "", "mbit", "-5mbit", "0mbit", "10mb", "10 mbit", "10xbit", "1..5mbit", "10Mbps", "abc"}) {
        try {
            pm::parse_rate(bad);
            ADD_FAILURE() << "accepted " << bad;
        } catch (const pm::Error& e) {
            EXPECT_EQ(e.code(), pm::Exit::bad_value) << bad;
        }
    }
    EXPECT_EQ(pm::parse_rate("0mbit", true), 0u);
}

TEST(Units, BareNumberHint) {
    try {
        pm::parse_rate("100");
        FAIL();
    } catch (const pm::Error& e) {
        EXPECT_NE(std::string(e.what()).find("unit is required"), std::string::npos);
    }
}

TEST(Units, Sizes) {
    EXPECT_EQ(pm::parse_size("1514B"), 1514u);
    EXPECT_EQ(pm::parse_size("64KB"), 65536u);
    EXPECT_EQ(pm::parse_size("8kbit"), 1000u);
    EXPECT_THROW(pm::parse_size("64"), pm::Error);
}

TEST(Units, Formatting) {
    EXPECT_EQ(pm::format_rate(1250000), "10Mbit");
    EXPECT_EQ(pm::format_rate(187500000), "1.5Gbit");
    EXPECT_EQ(pm::format_rate(5000000000), "40Gbit");
    EXPECT_EQ(pm::format_size(65536), "64KB");
    EXPECT_EQ(pm::format_size(1514), "1514B");
}
