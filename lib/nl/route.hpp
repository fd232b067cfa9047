// IPv4 default routes over libnl: discover the host's default gateway, add a
// default route.
#pragma once
#include <optional>
#include <string>

#include "nl/socket.hpp"

namespace pm::nl {

struct DefaultRoute {
    int ifindex = 0;
    std::string gateway;  // "a.b.c.d"
    bool onlink = false;  // nexthop flagged RTNH_F_ONLINK
};

// The first main-table IPv4 unicast route with no destination (0.0.0.0/0) and
// a single nexthop with a gateway, as Mesos picks it.  With `oif` > 0 only
// routes out of that link count.
std::optional<DefaultRoute> find_default_route(Socket& sock, int oif = 0);

// Adds "default via GATEWAY dev IFINDEX [onlink]" to the main table; false
// when such a route already exists.
bool add_default_route(Socket& sock, const DefaultRoute& route, const std::string& link_name);

}  // namespace pm::nl
