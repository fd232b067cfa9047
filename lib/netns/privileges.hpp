// The privileges every namespace-changing subcommand needs, checked before
// anything is touched (exit 77 instead of a half-applied EPERM).
#pragma once
#include <string>

namespace pm::netns {

// Error(permission) unless CAP_SYS_ADMIN (namespaces, mounts) and CAP_NET_ADMIN
// (links, addresses, routes, sysctls) are held; `what` names the action.
void require_netns_privileges(const std::string& what);

}  // namespace pm::netns
