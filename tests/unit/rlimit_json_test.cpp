#include <gtest/gtest.h>

#include "core/error.hpp"
#include "rlimit/json_input.hpp"
#include "rlimit/limits.hpp"

using namespace pm::rlimit;

namespace {

std::vector<Request> parse(const std::string& text) { return requests_from_json(parse_json_text(text, "test")); }

std::string error_of(const std::string& text) {
    try {
        parse(text);
    } catch (const pm::Error& e) {
        EXPECT_EQ(e.code(), pm::Exit::bad_value) << text;
        return e.what();
    }
    ADD_FAILURE() << text << " was accepted";
    return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST(RlimitJson, MesosRLimitInfoSeedExample) {
    auto r = parse(R"({"rlimits":[{"type":"RLMT_CORE"},{"type":"RLMT_STACK","soft":8192,"hard":32768}]})");
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].limit, find_limit("core"));
    EXPECT_EQ(r[0].soft, kInfinity);  // neither soft nor hard: unlimited
    EXPECT_EQ(r[0].hard, kInfinity);
    EXPECT_EQ(r[0].source, "mesos-json");
    EXPECT_EQ(r[1].limit, find_limit("stack"));
    EXPECT_EQ(r[1].soft, 8192u);
    EXPECT_EQ(r[1].hard, 32768u);
}

TEST(RlimitJson, AllShapes) {
    const std::string list = R"([{"type":"RLMT_NOFILE","soft":"100","hard":200}])";
    for (const std::string& doc : {
             R"({"rlimits":)" + list + "}",                                         // RLimitInfo
             R"({"type":"MESOS","rlimit_info":{"rlimits":)" + list + "}}",          // ContainerInfo
             R"({"name":"t","container":{"type":"MESOS","rlimit_info":{"rlimits":)" + list + "}}}",  // TaskInfo
             R"({"rlimits":{"rlimits":)" + list + "}}",                             // ContainerLaunchInfo
         }) {
        auto r = parse(doc);
        ASSERT_EQ(r.size(), 1u) << doc;
        EXPECT_EQ(r[0].limit, find_limit("nofile"));
        EXPECT_EQ(r[0].soft, 100u);
        EXPECT_EQ(r[0].hard, 200u);
    }
    auto oci = parse(R"({"ociVersion":"1.0.2","process":{"args":["sh"],"rlimits":[
        {"type":"RLIMIT_NOFILE","soft":1024,"hard":2048},{"type":"RLIMIT_CORE","soft":0,"hard":18446744073709551615}]}})");
    ASSERT_EQ(oci.size(), 2u);
    EXPECT_EQ(oci[0].source, "oci-json");
    EXPECT_EQ(oci[1].hard, kInfinity);
    EXPECT_EQ(parse(R"([{"type":"RLIMIT_CPU","soft":1,"hard":2}])").size(), 1u);  // bare process.rlimits
    EXPECT_TRUE(parse(R"({"rlimits":[]})").empty());
    EXPECT_TRUE(parse(R"({"process":{"args":["sh"]}})").empty());
    EXPECT_TRUE(parse(R"({"container":{"type":"MESOS"}})").empty());
}

TEST(RlimitJson, ReferenceBadInputs) {
    EXPECT_EQ(error_of(R"({"rlimits":[{"type":"RLMT_CORE","soft":1}]})"),
              "rlimits[0]: RLMT_CORE: Mesos requires both 'soft' and 'hard' or neither");
    EXPECT_EQ(error_of(R"({"rlimits":[{"type":"RLMT_CORE"},{"type":"RLMT_CPU"},{"type":"RLMT_NOFILES"}]})"),
              "rlimits[2]: unknown rlimit type 'RLMT_NOFILES' (did you mean 'RLMT_NOFILE'?)");
    EXPECT_EQ(error_of(R"({"rlimits":[{"soft":1,"hard":1}]})"), "rlimits[0]: missing 'type'");
    EXPECT_TRUE(contains(error_of(R"({"rlimits":[{"type":"UNKNOWN"}]})"), "unknown rlimit type 'UNKNOWN'"));
    EXPECT_TRUE(contains(error_of(R"({"rlimits":[{"type":7}]})"), "rlimits[0].type: expected a string"));
    EXPECT_EQ(error_of(R"({"rlimits":[{"type":"RLMT_CPU","soft":1.5,"hard":2}]})"),
              "rlimits[0].soft: expected unsigned integer (got 1.5)");
    EXPECT_EQ(error_of(R"({"rlimits":[{"type":"RLMT_CPU","soft":-1,"hard":2}]})"),
              "rlimits[0].soft: expected unsigned integer (got -1)");
    EXPECT_EQ(error_of(R"({"rlimits":[{"type":"RLMT_CPU","soft":"abc","hard":2}]})"),
              "rlimits[0].soft: expected unsigned integer (got \"abc\")");
    EXPECT_EQ(error_of(R"({"rlimits":[{"type":"RLMT_CPU","soft":"","hard":2}]})"), "rlimits[0].soft: empty value");
    EXPECT_TRUE(contains(error_of(R"({"rlimits":[{"type":"RLMT_CPU","soft":"18446744073709551616","hard":"1"}]})"),
                         "out of range"));
    EXPECT_TRUE(contains(error_of(R"({"rlimits":[{"type":"RLMT_CPU","soft":100,"hard":1}]})"),
                         "rlimits[0]: RLMT_CPU: soft limit 100 exceeds hard limit 1"));
    EXPECT_EQ(error_of(R"({"process":{"rlimits":[{"type":"RLIMIT_NOFILE","soft":1}]}})"),
              "process.rlimits[0]: RLIMIT_NOFILE: OCI requires 'type', 'soft' and 'hard'");
    EXPECT_EQ(error_of(R"({"process":{"rlimits":[{"type":"RLIMIT_nofile","soft":1,"hard":1}]}})"),
              "process.rlimits[0].type: 'RLIMIT_nofile' does not match ^RLIMIT_[A-Z]+$");
    EXPECT_TRUE(contains(error_of(R"({"process":{"rlimits":[{"type":"RLIMIT_FOO","soft":1,"hard":1}]}})"),
                         "process.rlimits[0]: unknown rlimit type 'RLIMIT_FOO'"));
    EXPECT_EQ(error_of(R"({"rlimits":[{"type":"RLMT_CORE","sfot":1}]})"), "rlimits[0]: unknown key 'sfot'");
    EXPECT_TRUE(contains(error_of(R"({"rlimits":5})"), "rlimits: expected an array"));
    EXPECT_TRUE(contains(error_of(R"({"foo":1})"), "no rlimits found"));
    EXPECT_TRUE(contains(error_of(R"("rlimits")"), "expected an object or an array"));
    EXPECT_TRUE(contains(error_of(R"({"container":{"rlimit_info":{"rlimits":[{"type":"RLMT_X"}]}}})"),
                         "container.rlimit_info.rlimits[0]: unknown rlimit type 'RLMT_X'"));
}

TEST(RlimitJson, SyntaxErrorsWithLineAndColumn) {
    try {
        parse_json_text("{\"rlimits\": [\n  {\"type\": \"RLMT_CORE\",}\n]}", "f.json");
        FAIL();
    } catch (const pm::Error& e) {
        EXPECT_TRUE(contains(e.what(), "f.json: json: 2:24: ")) << e.what();
    }
    try {
        parse_json_text("{\"rlimits\": []} trailing", "f.json");
        FAIL();
    } catch (const pm::Error& e) {
        EXPECT_TRUE(contains(e.what(), "f.json: json: 1:")) << e.what();
    }
}
