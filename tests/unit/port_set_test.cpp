#include <gtest/gtest.h>

#include "core/error.hpp"
#include "ports/port_set.hpp"

using pm::PortSet;

TEST(PortSetParse, AcceptedForms) {
    EXPECT_EQ(PortSet::parse("32768-33791").to_string(), "32768-33791");
    EXPECT_EQ(PortSet::parse("31000-31009,31050").to_string(), "31000-31009,31050");
    EXPECT_EQ(PortSet::parse("[31000-32000]").to_string(), "31000-32000");
    EXPECT_EQ(PortSet::parse("[31000-31009, 31050-31050]").to_string(), "31000-31009,31050");
    EXPECT_EQ(PortSet::parse(" 80 ").to_string(), "80");
    EXPECT_EQ(PortSet::parse("65535").to_string(), "65535");
    EXPECT_EQ(PortSet::parse("1-65535").size(), 65535u);
    EXPECT_TRUE(PortSet::parse("").empty());
    EXPECT_TRUE(PortSet::parse("[]").empty());
}

TEST(PortSetParse, NormalizesOverlapAndAdjacency) {
    EXPECT_EQ(PortSet::parse("10-20,15-30,31,40").to_string(), "10-31,40");
    EXPECT_EQ(PortSet::parse("40,10-20").to_string(), "10-20,40");
}

TEST(PortSetParse, RejectsBadInput) {
    for (const char* bad : {"0", "65536", "70000", "10-5", "a-b", "10-", "-10", "10,,20", "[10-20", "1.5", "10 20",
                            "99999999999999999999", "10-20-30", ","}) {
        try {
            PortSet::parse(bad);
            ADD_FAILURE() << "accepted " << bad;
        } catch (const pm::Error& e) {
            EXPECT_EQ(e.code(), pm::Exit::bad_value) << bad;
        }
    }
}

TEST(PortSetAlgebra, UnionDifferenceIntersection) {
    auto a = PortSet::parse("100-200,300-400");
    auto b = PortSet::parse("150-350");
    EXPECT_EQ(a.unite(b).to_string(), "100-400");
    EXPECT_EQ(a.subtract(b).to_string(), "100-149,351-400");
    EXPECT_EQ(b.subtract(a).to_string(), "201-299");
    EXPECT_EQ(a.intersect(b).to_string(), "150-200,300-350");
    EXPECT_TRUE(a.overlaps(b));
    EXPECT_FALSE(a.overlaps(PortSet::parse("201-299")));
    EXPECT_TRUE(a.contains(PortSet::parse("120-130,400")));
    EXPECT_FALSE(a.contains(PortSet::parse("120-230")));
    EXPECT_TRUE(a.subtract(a).empty());
    EXPECT_EQ(PortSet::parse("1-65535").subtract(PortSet::parse("2-65534")).to_string(), "1,65535");
}

TEST(PortSetJson, RoundTrip) {
    auto a = PortSet::parse("31000-31009,31050");
    EXPECT_EQ(PortSet::from_json(a.to_json()), a);
    EXPECT_EQ(PortSet::from_json(pm::Json("31000-31009,31050")), a);
    EXPECT_THROW(PortSet::from_json(pm::Json::parse(R"([{"begin":0,"end":3}])")), pm::Error);
    EXPECT_THROW(PortSet::from_json(pm::Json::parse(R"([{"begin":5}])")), pm::Error);
}
