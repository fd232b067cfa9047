// The inside of a container's namespace (Mesos reference §1.5, done through
// netlink, ioctl and /proc/sys instead of a shell script): IPv6 off; lo up
// with the host MAC and MTU; eth0 up with rx checksum offload off, the host's
// IPv4 address and a default route via the host's gateway; the ephemeral port
// range; accept_local / route_localnet; the host's tuning replayed.
// Call it from inside the namespace (NetnsGuard).
#pragma once
#include <filesystem>
#include <string>

#include "netns/host_facts.hpp"
#include "netns/tuning.hpp"
#include "core/undo.hpp"
#include "ports/port_set.hpp"

namespace pm::netns {

struct ContainerPlan {
    const HostFacts* host = nullptr;
    std::string ifname;           // the container end of the veth (named like host eth0)
    PortRange ephemeral;
    SysctlValues tuning;          // host snapshot to replay
    // Set when the namespace was adopted (--pid): every change inside gets an
    // undo that re-enters it.  A namespace created by this call just goes away.
    std::filesystem::path restore_in;
    std::string where = "container";  // for -v messages
};

struct ContainerLinks {
    int eth0_ifindex = 0;
    std::string lo;
    int lo_ifindex = 0;
};

ContainerLinks configure_container(const ContainerPlan& plan, UndoStack& undo);

}  // namespace pm::netns
