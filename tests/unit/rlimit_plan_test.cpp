#include <gtest/gtest.h>

#include <sys/resource.h>

#include <map>

#include "core/error.hpp"
#include "rlimit/limits.hpp"
#include "rlimit/plan.hpp"
#include "rlimit/request.hpp"

using namespace pm::rlimit;

namespace {

struct FakeEnv {
    std::map<std::string, Pair, std::less<>> limits;
    bool privileged = true;
    std::optional<uint64_t> nr_open = 1048576;
    int nr_open_reads = 0;

    Environment env() {
        return Environment{
            [this](const LimitInfo& l) {
                auto it = limits.find(l.name);
                return it == limits.end() ? Pair{1024, 4096} : it->second;
            },
            [this] { return privileged ? std::string() : std::string("needs CAP_SYS_RESOURCE"); },
            [this] {
                ++nr_open_reads;
                return nr_open;
            },
        };
    }
};

Request req(const char* assignment) { return request_from_assignment(assignment); }

std::string error_of(FakeEnv& fake, const std::vector<Request>& requests, pm::Exit code = pm::Exit::bad_value) {
    try {
        build_plan(requests, fake.env());
    } catch (const pm::Error& e) {
        EXPECT_EQ(e.code(), code);
        return e.what();
    }
    ADD_FAILURE() << "plan accepted";
    return "";
}

}  // namespace

TEST(RlimitPlan, ResolvesAgainstCurrent) {
    FakeEnv fake;
    auto plan = build_plan({req("nofile=512:"), req("core=:2048"), req("cpu=5")}, fake.env());
    ASSERT_EQ(plan.size(), 3u);
    // table order, not option order
    EXPECT_EQ(plan[0].limit->name, "core");
    EXPECT_EQ(plan[1].limit->name, "cpu");
    EXPECT_EQ(plan[2].limit->name, "nofile");
    EXPECT_EQ(plan[2].current.soft, 1024u);
    EXPECT_EQ(plan[2].wanted.soft, 512u);
    EXPECT_EQ(plan[2].wanted.hard, 4096u);
    EXPECT_EQ(plan[2].source, "cli");
    EXPECT_EQ(plan[0].wanted.soft, 1024u);
    EXPECT_EQ(plan[0].wanted.hard, 2048u);
    EXPECT_EQ(fake.nr_open_reads, 1);
}

TEST(RlimitPlan, NrOpenOnlyReadForNofile) {
    FakeEnv fake;
    build_plan({req("cpu=5")}, fake.env());
    EXPECT_EQ(fake.nr_open_reads, 0);
    EXPECT_EQ(error_of(fake, {req("nofile=2000000")}),
              "nofile hard 2000000 exceeds fs.nr_open (1048576); the kernel refuses this even for root");
    EXPECT_NE(error_of(fake, {req("nofile=unlimited")}).find("nofile hard unlimited exceeds fs.nr_open"), std::string::npos);
}

TEST(RlimitPlan, SoftAboveHardAfterResolving) {
    FakeEnv fake;
    EXPECT_EQ(error_of(fake, {req("nofile=:512")}),
              "nofile: resulting soft 1024 (the current soft limit) would exceed new hard 512; give both (e.g. 512:512)");
    EXPECT_NE(error_of(fake, {req("nofile=8192:")}).find("new soft 8192 would exceed the current hard limit 4096"),
              std::string::npos);
}

TEST(RlimitPlan, Duplicates) {
    FakeEnv fake;
    EXPECT_EQ(error_of(fake, {req("nofile=1"), req("NOFILE=2")}), "nofile given more than once (cli, cli)");
    Request json = req("nofile=3");
    json.source = "mesos-json";
    EXPECT_EQ(error_of(fake, {req("nofile=1"), json}), "nofile given more than once (cli, mesos-json)");
}

TEST(RlimitPlan, RaisingHardNeedsCapability) {
    FakeEnv fake;
    fake.privileged = false;
    EXPECT_NO_THROW(build_plan({req("nofile=100:200"), req("cpu=10")}, fake.env()));  // lowering is fine
    EXPECT_NO_THROW(build_plan({req("nofile=4096")}, fake.env()));                   // soft up to hard is fine
    EXPECT_EQ(error_of(fake, {req("core=0"), req("nofile=1024:8192")}, pm::Exit::permission),
              "cannot raise hard nofile from 4096 to 8192: needs CAP_SYS_RESOURCE (EPERM)");
    fake.privileged = true;
    EXPECT_NO_THROW(build_plan({req("nofile=1024:8192")}, fake.env()));
}

TEST(RlimitPlan, Warnings) {
    FakeEnv fake;
    auto plan = build_plan({req("locks=5"), req("rss=1G"), req("nproc=100"), req("stack=64K"), req("as=1M"),
                            req("nofile=2"), req("rtprio=150"), req("cpu=1500ms")},
                           fake.env());
    std::string all;
    for (const auto& e : plan)
        for (const auto& w : e.warnings) all += w + "\n";
    for (const char* expected : {"locks: the kernel ignores", "rss: the kernel ignores", "nproc: counted per real user",
                                 "stack: soft limit 65536 bytes will probably break the exec",
                                 "as: soft limit 1048576 bytes", "nofile: soft limit 2 leaves the dynamic loader",
                                 "rtprio: real-time priorities above 99", "cpu: 1500ms rounded up to 2 s"})
        EXPECT_NE(all.find(expected), std::string::npos) << expected << "\n" << all;
    auto quiet = build_plan({req("nofile=64"), req("stack=8M")}, fake.env());
    for (const auto& e : quiet) EXPECT_TRUE(e.warnings.empty()) << e.limit->name;
}

TEST(RlimitPlan, CurrentPlanListsAll) {
    FakeEnv fake;
    auto plan = current_plan(fake.env());
    EXPECT_EQ(plan.size(), 16u);
    for (const auto& e : plan) EXPECT_EQ(e.source, "current");
}
