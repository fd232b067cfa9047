// Creating a veth pair in ONE netlink request (RTM_NEWLINK, NLM_F_CREATE|
// NLM_F_EXCL): the peer is created directly in another namespace
// (IFLA_NET_NS_FD) and both ends carry their MAC and MTU from creation, so no
// udev/systemd race can reassign the MAC (kernel-notes pitfall 1, MESOS-10243).
#pragma once
#include <string>

#include "nl/socket.hpp"

namespace pm::nl {

struct VethSpec {
    std::string name;       // end in the socket's namespace
    std::string peer_name;  // end created in peer_netns_fd
    int peer_netns_fd = -1;
    std::string mac;        // both ends, "aa:bb:cc:dd:ee:ff"
    unsigned mtu = 0;       // both ends; 0 = kernel default
};

// true when created; false when "already exists" (either name is taken in its
// namespace).  Other refusals throw.
bool create_veth(Socket& sock, const VethSpec& spec);

}  // namespace pm::nl
