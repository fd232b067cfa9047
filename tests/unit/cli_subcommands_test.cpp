// Which subcommands a run builds (lib/cli/subcommands): only the one the
// command line names, or all when that cannot be told without CLI11.
#include <gtest/gtest.h>

#include <set>

#include "cli/subcommands.hpp"
#include "cli/tool.hpp"

namespace {

// The subcommands built for `args` (after the program name) of a tool with
// the common options and subcommands "attach" and "detach".
std::set<std::string> built_for(std::vector<std::string> args) {
    args.insert(args.begin(), "pm-test");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    CLI::App app("test", "pm-test");
    app.set_version_flag("--version", "pm-test 0");
    pm::CommonOptions common;
    pm::add_common_options(app, common);
    std::set<std::string> built;
    auto sub = [&](const std::string& name) {
        return pm::Subcommand{name, name + " it", [&built, name](CLI::App&) { built.insert(name); }};
    };
    pm::add_subcommands(app, static_cast<int>(argv.size()), argv.data(), {sub("attach"), sub("detach")});
    return built;
}

const std::set<std::string> kAll{"attach", "detach"};
const std::set<std::string> kAttach{"attach"};

TEST(Subcommands, NamedOneOnly) {
    EXPECT_EQ(built_for({"attach", "c1"}), kAttach);
    EXPECT_EQ(built_for({"attach", "--help"}), kAttach);  // the subcommand's own help
    EXPECT_EQ(built_for({"attach", "c1", "--json"}), kAttach);
}

TEST(Subcommands, TopLevelOptionsAndTheirValuesAreSkipped) {
    EXPECT_EQ(built_for({"--state-dir", "detach", "attach", "c1"}), kAttach);  // "detach" is the directory
    EXPECT_EQ(built_for({"--state-dir=/tmp/x", "attach"}), kAttach);
    EXPECT_EQ(built_for({"-j", "-v", "--wait", "3", "attach"}), kAttach);
}

TEST(Subcommands, AllWhenItCannotBeTold) {
    EXPECT_EQ(built_for({}), kAll);
    EXPECT_EQ(built_for({"bogus"}), kAll);  // CLI11's own error names it
    EXPECT_EQ(built_for({"--help", "attach"}), kAll);  // the top-level help lists every subcommand
    EXPECT_EQ(built_for({"--version"}), kAll);
    EXPECT_EQ(built_for({"-jv", "attach"}), kAll);  // combined short flags: left to CLI11
    EXPECT_EQ(built_for({"--bogus", "attach"}), kAll);
    EXPECT_EQ(built_for({"--", "attach"}), kAll);
    EXPECT_EQ(built_for({"--wait"}), kAll);  // a value missing
}

}  // namespace
