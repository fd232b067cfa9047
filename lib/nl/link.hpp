// Typed link (network interface) operations over libnl: lookups by name or
// index, the loopback device, and changes of MAC/MTU/up in one request.
// Missing links are std::nullopt / false, in the Mesos routing-library spirit;
// every other kernel refusal throws pm::Error with context.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "nl/socket.hpp"

namespace pm::nl {

struct Link {
    std::string name;
    int ifindex = 0;
    std::string mac;   // "aa:bb:cc:dd:ee:ff", "" when the link has none
    unsigned mtu = 0;
    unsigned flags = 0;  // IFF_*
    std::string kind;  // rtnetlink "kind" ("veth", ...), "" for plain devices
    // For a link whose peer lives in another namespace (veth): that
    // namespace's id here; -1 when the kernel could not give it one, which
    // happens when that namespace is being dismantled.
    std::optional<int> link_netnsid;

    bool up() const;
    bool loopback() const;
    // The peer's namespace is going away, and this link with it.
    bool peer_namespace_dying() const { return link_netnsid && *link_netnsid < 0; }
};

// A valid interface name as the kernel accepts it: 1-15 bytes, no '/', ':' or
// whitespace, not "." or "..".
bool is_valid_ifname(const std::string& name);

std::optional<Link> find_link(Socket& sock, const std::string& name);
std::optional<Link> find_link(Socket& sock, int ifindex);
// Every link in the socket's namespace (one dump).
std::vector<Link> list_links(Socket& sock);
// The first link with IFF_LOOPBACK (normally "lo", ifindex 1).
std::optional<Link> find_loopback(Socket& sock);

struct LinkChange {
    std::optional<std::string> mac;
    std::optional<unsigned> mtu;
    std::optional<bool> up;
    bool empty() const { return !mac && !mtu && !up; }
};
// Applies `change` to link `ifindex` in one RTM_NEWLINK; `what` names the link in errors.
void change_link(Socket& sock, int ifindex, const LinkChange& change, const std::string& what);

// Deletes link `name`; false when it does not exist.
bool delete_link(Socket& sock, const std::string& name);

}  // namespace pm::nl
