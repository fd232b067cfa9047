#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "state/stale_temps.hpp"

namespace fs = std::filesystem;

namespace {
void touch(const fs::path& p) { std::ofstream(p) << "x"; }
}  // namespace

TEST(StaleTemps, RemovesOnlyTheNamedRecordsTempsAndEmptiedDirs) {
    const fs::path root = fs::temp_directory_path() / ("pm-unit-temps-" + std::to_string(::getpid()));
    fs::remove_all(root);
    pm::StateDir state(root);
    state.ensure();
    fs::create_directories(root / "containers/a");
    fs::create_directories(root / "containers/b");
    touch(root / "containers/a/.tc.json.Ab12Cd");     // a killed first write: dir goes too
    touch(root / "containers/b/tc.json");
    touch(root / "containers/b/.tc.json.zzzzzz");     // removed, b/ stays (tc.json)
    touch(root / "containers/b/.alloc.json.Ab12Cd");  // another tool's temp: kept
    touch(root / "containers/b/.tc.json.toolong1");   // not mkostemp's shape: kept
    touch(root / ".host.json.QWERTY");
    touch(root / ".pool.json.QWERTY");

    EXPECT_EQ(pm::remove_stale_record_temps(state, {"tc.json"}, {state.host_file()}), 3);
    EXPECT_FALSE(fs::exists(root / "containers/a"));
    EXPECT_TRUE(fs::exists(root / "containers/b/tc.json"));
    EXPECT_FALSE(fs::exists(root / "containers/b/.tc.json.zzzzzz"));
    EXPECT_TRUE(fs::exists(root / "containers/b/.alloc.json.Ab12Cd"));
    EXPECT_TRUE(fs::exists(root / "containers/b/.tc.json.toolong1"));
    EXPECT_FALSE(fs::exists(root / ".host.json.QWERTY"));
    EXPECT_TRUE(fs::exists(root / ".pool.json.QWERTY"));
    EXPECT_EQ(pm::remove_stale_record_temps(state, {"tc.json"}, {state.host_file()}), 0);
    fs::remove_all(root);
    EXPECT_EQ(pm::remove_stale_record_temps(state, {"tc.json"}), 0);  // no state dir: nothing to do
}
