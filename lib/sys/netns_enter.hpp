// Temporarily enter a network namespace (setns) and come back when the guard
// ends.  Netlink sockets and /proc/sys writes done meanwhile act on the entered
// namespace; a socket created inside keeps working there after leaving.
#pragma once
#include <filesystem>

#include "core/unique_fd.hpp"

namespace pm {

class NetnsGuard {
public:
    // Error(not_found) when the handle is missing, Error(permission) without CAP_SYS_ADMIN.
    explicit NetnsGuard(const std::filesystem::path& netns_handle);
    ~NetnsGuard();  // returns to the original namespace
    NetnsGuard(const NetnsGuard&) = delete;
    NetnsGuard& operator=(const NetnsGuard&) = delete;

private:
    UniqueFd original_;
};

// Opens a netns handle (a bind mount or /proc/PID/ns/net) for setns/CLONE_NEWNET use.
UniqueFd open_netns(const std::filesystem::path& handle);

}  // namespace pm
