// The state directory (CONVENTIONS.md "State directory"): resolution order
// --state-dir, $PORTMAP_STATE_DIR, /run/portmap; layout helpers; symlink safety.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace pm {

inline constexpr const char* kDefaultStateDir = "/run/portmap";

class StateDir {
public:
    // `cli_value` is the --state-dir option ("" when not given).
    static StateDir resolve(const std::string& cli_value);
    explicit StateDir(std::filesystem::path root) : root_(std::move(root)) {}

    const std::filesystem::path& root() const { return root_; }
    std::filesystem::path lock_file() const { return root_ / "lock"; }
    std::filesystem::path pool_file() const { return root_ / "pool.json"; }
    std::filesystem::path host_file() const { return root_ / "host.json"; }
    std::filesystem::path containers_dir() const { return root_ / "containers"; }
    // containers/ID.  Error(failure) when containers/ or containers/ID is a
    // symlink: every tool reaches container files through here, so none reads,
    // writes or removes through a planted link.
    std::filesystem::path container_dir(const std::string& id) const;
    std::filesystem::path container_file(const std::string& id, const char* name) const {
        return container_dir(id) / name;
    }
    std::filesystem::path netns_dir() const { return root_ / "netns"; }
    std::filesystem::path netns_handle(const std::string& id) const { return netns_dir() / id; }

    // Create root (0755) if missing; refuse when it, or any part we own, is a symlink.
    void ensure() const;
    // Create containers/ID (validated) if missing.
    std::filesystem::path ensure_container_dir(const std::string& id) const;
    // IDs that have a containers/ID directory, sorted. Entries that are not plain
    // directories with a valid ID (e.g. planted symlinks) are ignored.
    std::vector<std::string> container_ids() const;
    bool exists() const;

private:
    std::filesystem::path root_;
};

// mkdir that refuses an existing symlink at `path` (never follows one we did not create).
void make_private_dir(const std::filesystem::path& path, unsigned mode = 0755);

}  // namespace pm
