#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "state/read_beneath.hpp"
#include "state/state_dir.hpp"

namespace fs = std::filesystem;

namespace {
void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

fs::path fresh_root(const char* name) {
    const fs::path root = fs::temp_directory_path() / (std::string(name) + std::to_string(::getpid()));
    fs::remove_all(root);
    return root;
}
}  // namespace

TEST(StateDirIds, OnlyPlainDirectoriesWithValidIdsSorted) {
    const fs::path root = fresh_root("pm-unit-ids-");
    pm::StateDir state(root);
    EXPECT_TRUE(state.container_ids().empty());  // no state dir yet
    state.ensure();
    for (const char* id : {"web-2", "a", "Z.9", "db_1"}) fs::create_directories(root / "containers" / id);
    fs::create_directories(root / "elsewhere");
    fs::create_directory_symlink(root / "elsewhere", root / "containers/planted");  // symlink: ignored
    write(root / "containers/file", "x");                                             // not a directory
    fs::create_directories(root / "containers/-bad");                                 // invalid ID
    fs::create_directories(root / "containers/.hidden");
    EXPECT_EQ(state.container_ids(), (std::vector<std::string>{"Z.9", "a", "db_1", "web-2"}));
    fs::remove_all(root);
}

TEST(ReadBeneath, ReadsWholeFilesAndRefusesSymlinksOnTheWay) {
    const fs::path root = fresh_root("pm-unit-beneath-");
    fs::create_directories(root / "c/a");
    fs::create_directories(root / "real");
    const std::string big(10000, 'x');  // more than one read
    write(root / "c/a/alloc.json", "{\"id\":\"a\"}");
    write(root / "c/a/big", big);
    write(root / "real/alloc.json", "{}");
    fs::create_directory_symlink(root / "real", root / "c/link");
    fs::create_symlink(root / "real/alloc.json", root / "c/a/sym.json");

    pm::UniqueFd dir = pm::open_dir_nofollow(root / "c");
    ASSERT_TRUE(dir.valid());
    std::string out;
    EXPECT_EQ(pm::read_beneath(dir.get(), "a/alloc.json", out), pm::ReadBeneath::ok);
    EXPECT_EQ(out, "{\"id\":\"a\"}");
    EXPECT_EQ(pm::read_beneath(dir.get(), "a/big", out), pm::ReadBeneath::ok);
    EXPECT_EQ(out, big);
    EXPECT_EQ(pm::read_beneath(dir.get(), "a/none.json", out), pm::ReadBeneath::missing);
    EXPECT_EQ(pm::read_beneath(dir.get(), "link/alloc.json", out), pm::ReadBeneath::other);
    EXPECT_EQ(pm::read_beneath(dir.get(), "a/sym.json", out), pm::ReadBeneath::other);
    EXPECT_EQ(pm::read_beneath(dir.get(), "../real/alloc.json", out), pm::ReadBeneath::other);
    EXPECT_FALSE(pm::open_dir_nofollow(root / "c/link").valid());
    fs::remove_all(root);
}
