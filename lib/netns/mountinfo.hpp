// /proc/self/mountinfo, parsed: enough to tell whether a directory is a mount
// point and which peer group it propagates in.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pm::netns {

struct MountEntry {
    int id = 0;
    int parent = 0;
    std::string mount_point;         // unescaped (\040 -> ' ')
    std::optional<int> shared;       // "shared:N" peer group
    std::optional<int> master;       // "master:N" (a slave of group N)
};

std::vector<MountEntry> parse_mountinfo(std::string_view text);
// The top-most mount at `path` (the last entry with that mount point), or null.
const MountEntry* find_mount(const std::vector<MountEntry>& mounts, const std::string& path);
const MountEntry* find_mount_by_id(const std::vector<MountEntry>& mounts, int id);
std::vector<MountEntry> read_mountinfo();  // of the calling process

}  // namespace pm::netns
