#include <gtest/gtest.h>

#include <sys/resource.h>

#include "core/error.hpp"
#include "rlimit/limits.hpp"
#include "rlimit/request.hpp"
#include "rlimit/value.hpp"

using namespace pm::rlimit;

namespace {

const LimitInfo& L(const char* name) {
    const LimitInfo* limit = find_limit(name);
    if (!limit) throw std::runtime_error(std::string("no limit ") + name);
    return *limit;
}

// The message of the pm::Error (bad_value) that parsing `text` throws.
std::string error_of(const char* name, const std::string& text) {
    try {
        parse_spec(L(name), text);
    } catch (const pm::Error& e) {
        EXPECT_EQ(e.code(), pm::Exit::bad_value) << text;
        return e.what();
    }
    ADD_FAILURE() << name << "=" << text << " was accepted";
    return "";
}

}  // namespace

TEST(RlimitNames, AllSixteenInEveryForm) {
    ASSERT_EQ(all_limits().size(), 16u);
    for (const auto& limit : all_limits()) {
        std::string upper;
        for (char c : limit.name) upper += static_cast<char>(std::toupper(c));
        EXPECT_EQ(find_limit(limit.name), &limit);
        EXPECT_EQ(find_limit(upper), &limit);
        EXPECT_EQ(find_limit("RLIMIT_" + upper), &limit);
        EXPECT_EQ(find_limit("RLMT_" + upper), &limit);
        EXPECT_EQ(find_limit("Limit" + upper), &limit);
        EXPECT_EQ(find_mesos_type("RLMT_" + upper), &limit);
        EXPECT_EQ(find_oci_type("RLIMIT_" + upper), &limit);
        EXPECT_GE(limit.resource, 0) << limit.name;
    }
    EXPECT_EQ(L("nofile").resource, RLIMIT_NOFILE);
    EXPECT_EQ(L("rttime").resource, RLIMIT_RTTIME);
}

TEST(RlimitNames, UnknownAndSuggestions) {
    EXPECT_EQ(find_limit("nofiles"), nullptr);
    EXPECT_EQ(find_limit(""), nullptr);
    EXPECT_EQ(find_limit("RLIMIT_"), nullptr);
    EXPECT_EQ(find_mesos_type("RLMT_nofile"), nullptr);  // JSON enum names are exact
    EXPECT_EQ(find_mesos_type("RLIMIT_NOFILE"), nullptr);
    EXPECT_EQ(find_oci_type("RLMT_NOFILE"), nullptr);
    EXPECT_EQ(suggest_limit("nofiles").value_or(""), "nofile");
    EXPECT_EQ(suggest_limit("RLIMIT_NOFLIE").value_or(""), "nofile");
    EXPECT_EQ(suggest_limit("stak").value_or(""), "stack");
    EXPECT_FALSE(suggest_limit("bandwidth").has_value());
}

TEST(RlimitValue, PlainAndUnlimited) {
    EXPECT_EQ(parse_value(L("nofile"), "4096"), 4096u);
    EXPECT_EQ(parse_value(L("nofile"), "0"), 0u);
    EXPECT_EQ(parse_value(L("nofile"), "unlimited"), kInfinity);
    EXPECT_EQ(parse_value(L("nofile"), "infinity"), kInfinity);
    EXPECT_EQ(parse_value(L("nofile"), "-1"), kInfinity);
    EXPECT_EQ(parse_value(L("nofile"), "18446744073709551615"), kInfinity);
    EXPECT_EQ(parse_value(L("as"), "18446744073709551614"), 18446744073709551614u);
}

TEST(RlimitValue, ByteSuffixesBase1024) {
    EXPECT_EQ(parse_value(L("as"), "4G"), 4ULL << 30);
    EXPECT_EQ(parse_value(L("as"), "4g"), 4ULL << 30);
    EXPECT_EQ(parse_value(L("as"), "4GB"), 4ULL << 30);
    EXPECT_EQ(parse_value(L("as"), "4GiB"), 4ULL << 30);
    EXPECT_EQ(parse_value(L("stack"), "8192K"), 8ULL << 20);
    EXPECT_EQ(parse_value(L("core"), "0B"), 0u);
    EXPECT_EQ(parse_value(L("fsize"), "2T"), 2ULL << 40);
    EXPECT_EQ(parse_value(L("memlock"), "15E"), 15ULL << 60);
    EXPECT_NE(error_of("memlock", "16E").find("out of range"), std::string::npos);
}

TEST(RlimitValue, TimeUnits) {
    std::string note;
    EXPECT_EQ(parse_value(L("cpu"), "10"), 10u);
    EXPECT_EQ(parse_value(L("cpu"), "2min"), 120u);
    EXPECT_EQ(parse_value(L("cpu"), "1h"), 3600u);
    EXPECT_EQ(parse_value(L("cpu"), "2000ms", &note), 2u);
    EXPECT_TRUE(note.empty());
    EXPECT_EQ(parse_value(L("cpu"), "1500ms", &note), 2u);  // rounded up, and said so
    EXPECT_NE(note.find("rounded up to 2 s"), std::string::npos);
    EXPECT_EQ(parse_value(L("rttime"), "500"), 500u);
    EXPECT_EQ(parse_value(L("rttime"), "5ms"), 5000u);
    EXPECT_EQ(parse_value(L("rttime"), "2s"), 2000000u);
    EXPECT_NE(error_of("cpu", "1.5").find("fractional seconds need a unit"), std::string::npos);
    EXPECT_NE(error_of("cpu", "10m").find("trailing or invalid"), std::string::npos);  // minutes or milli? refuse
    EXPECT_NE(error_of("rttime", "1K").find("trailing or invalid"), std::string::npos);
}

TEST(RlimitValue, NiceRawAndLevels) {
    EXPECT_EQ(parse_value(L("nice"), "0"), 0u);
    EXPECT_EQ(parse_value(L("nice"), "40"), 40u);
    EXPECT_EQ(parse_value(L("nice"), "-5"), 25u);  // systemd: nice level -5
    EXPECT_EQ(parse_value(L("nice"), "+5"), 15u);
    EXPECT_EQ(parse_value(L("nice"), "-20"), 40u);
    EXPECT_EQ(parse_value(L("nice"), "+19"), 1u);
    EXPECT_EQ(parse_value(L("nice"), "-1"), 21u);  // a nice level here, not "unlimited"
    EXPECT_EQ(parse_value(L("nice"), "unlimited"), kInfinity);
    for (const char* bad : {"41", "-21", "+20", "1K", "x", "+", "-"})
        EXPECT_NE(error_of("nice", bad).find("0..40"), std::string::npos) << bad;
}

TEST(RlimitValue, ReferenceBadInputs) {
    EXPECT_EQ(error_of("nofile", "abc"), "invalid value 'abc' for nofile: expected a non-negative integer or 'unlimited'");
    EXPECT_EQ(error_of("nofile", ""), "empty value for nofile");
    EXPECT_EQ(error_of("nofile", ":"), "empty value for nofile");
    EXPECT_EQ(error_of("nofile", "4096:1024"), "nofile: soft limit 4096 exceeds hard limit 1024");
    EXPECT_NE(error_of("nofile", "1:2:3").find("too many ':'-separated values"), std::string::npos);
    EXPECT_NE(error_of("nofile", "-5").find("negative values are not allowed"), std::string::npos);
    EXPECT_NE(error_of("nofile", "-01").find("negative values are not allowed"), std::string::npos);
    EXPECT_NE(error_of("nofile", "18446744073709551616").find("out of range (max 18446744073709551615)"), std::string::npos);
    for (const char* junk : {"1x", "0x400", " 12", "12 ", "+12", "1,000"})
        EXPECT_NE(error_of("nofile", junk).find(std::string("trailing or invalid characters in '") + junk + "'"),
                  std::string::npos)
            << junk;
    EXPECT_NE(error_of("nofile", "1K").find("nofile takes a count; size suffixes are only valid for byte limits"),
              std::string::npos);
    EXPECT_NE(error_of("nproc", "1.5").find("fractional values are not allowed"), std::string::npos);
    EXPECT_EQ(error_of("core", "unlimited:0"), "core: soft limit unlimited exceeds hard limit 0");
    EXPECT_NE(error_of("stack", "10ms").find("is a time"), std::string::npos);
    EXPECT_NE(error_of("as", "4X").find("trailing or invalid"), std::string::npos);
}

TEST(RlimitValue, SpecForms) {
    Spec both = parse_spec(L("nofile"), "100:200");
    EXPECT_EQ(both.soft, 100u);
    EXPECT_EQ(both.hard, 200u);
    Spec single = parse_spec(L("nofile"), "300");
    EXPECT_EQ(single.soft, 300u);
    EXPECT_EQ(single.hard, 300u);
    Spec soft_only = parse_spec(L("nofile"), "50:");
    EXPECT_EQ(soft_only.soft, 50u);
    EXPECT_FALSE(soft_only.hard.has_value());
    Spec hard_only = parse_spec(L("nofile"), ":500");
    EXPECT_FALSE(hard_only.soft.has_value());
    EXPECT_EQ(hard_only.hard, 500u);
    Spec mixed = parse_spec(L("stack"), "8M:unlimited");
    EXPECT_EQ(mixed.soft, 8ULL << 20);
    EXPECT_EQ(mixed.hard, kInfinity);
}

TEST(RlimitValue, Formatting) {
    EXPECT_EQ(format_value(kInfinity), "unlimited");
    EXPECT_EQ(format_pair(1, kInfinity), "1:unlimited");
    EXPECT_EQ(value_json(kInfinity), "unlimited");
    EXPECT_EQ(value_json(5), 5);
}

TEST(RlimitRequest, OptionAndAssignment) {
    auto r = request_from_assignment("RLIMIT_NOFILE=10:20");
    EXPECT_EQ(r.limit, find_limit("nofile"));
    EXPECT_EQ(r.soft, 10u);
    EXPECT_EQ(r.hard, 20u);
    EXPECT_EQ(r.source, "cli");
    EXPECT_EQ(request_from_option(L("cpu"), "1500ms").notes.size(), 1u);
    for (const char* bad : {"nofile", "", "--", "=5", "nofiles=5"}) {
        EXPECT_THROW(request_from_assignment(bad), pm::Error) << bad;
    }
    try {
        request_from_assignment("nofiles=5");
    } catch (const pm::Error& e) {
        EXPECT_NE(std::string(e.what()).find("unknown resource 'nofiles' (did you mean 'nofile'?)"), std::string::npos);
    }
    EXPECT_THROW(request_from_option(L("nofile"), "--"), pm::Error);  // "--nofile= -- cmd"
}
