// Optional visibility for iproute2: a symlink /run/netns/pm-ID -> the handle,
// so `ip netns list` and `ip netns exec pm-ID ...` see the container.
#pragma once
#include <filesystem>
#include <string>

#include "core/undo.hpp"

namespace pm::netns {

inline constexpr const char* kIpNetnsDir = "/run/netns";

// Error(conflict) unless /run/netns/pm-ID is free or already links to `handle`.
void check_ip_netns_free(const std::string& id, const std::filesystem::path& handle);
// Creates the link (and /run/netns if missing); an existing link to the same
// handle is kept.  Error(conflict) when the name is taken otherwise.
std::filesystem::path link_ip_netns(const std::string& id, const std::filesystem::path& handle, UndoStack& undo);
// Removes `link` if it is a symlink to `handle`; true when removed.
bool unlink_ip_netns(const std::filesystem::path& link, const std::filesystem::path& handle);

}  // namespace pm::netns
