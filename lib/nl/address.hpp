// IPv4 interface addresses over libnl: list a link's addresses, add one.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "nl/socket.hpp"

namespace pm::nl {

struct Ipv4Net {
    std::string address;  // "a.b.c.d"
    unsigned prefix = 32;
    std::string to_string() const { return address + "/" + std::to_string(prefix); }
    // Whether `ip` ("a.b.c.d") lies in this network.
    bool contains(const std::string& ip) const;
    // "a.b.c.d/len" (len optional, 32 by default); nullopt when malformed.
    static std::optional<Ipv4Net> parse(const std::string& text);
    bool operator==(const Ipv4Net&) const = default;
};

// The link's IPv4 addresses in kernel order (primary first).
std::vector<Ipv4Net> ipv4_addresses(Socket& sock, int ifindex);
// true when added, false when the address is already there.
bool add_ipv4_address(Socket& sock, int ifindex, const Ipv4Net& net, const std::string& link_name);
// true when deleted, false when it was not there.
bool delete_ipv4_address(Socket& sock, int ifindex, const Ipv4Net& net, const std::string& link_name);

}  // namespace pm::nl
