// The host's own ephemeral ports: net.ipv4.ip_local_port_range of the calling
// process's network namespace (run inside the host's netns to check that host).
#pragma once
#include <optional>
#include <string>

#include "ports/port_set.hpp"

namespace pm::alloc {

// "32768 60999" (any whitespace) -> 32768-60999; Error(failure) on another format.
PortRange parse_local_port_range(const std::string& value);
// nullopt when the kernel has no IPv4 sysctls (nothing to overlap with).
std::optional<PortRange> read_host_ephemeral_range();

}  // namespace pm::alloc
