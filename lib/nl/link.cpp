#include "nl/link.hpp"

#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/route/link.h>
#include <sys/socket.h>


#include "nl/nl_addr.hpp"

namespace pm::nl {
namespace {

bool is_missing(int rc) { return rc == -NLE_OBJ_NOTFOUND || rc == -NLE_NODEV; }

Link to_link(rtnl_link* l) {
    Link out;
    if (const char* name = rtnl_link_get_name(l)) out.name = name;
    out.ifindex = rtnl_link_get_ifindex(l);
    out.mac = addr_to_string(rtnl_link_get_addr(l));
    out.mtu = rtnl_link_get_mtu(l);
    out.flags = rtnl_link_get_flags(l);
    if (const char* kind = rtnl_link_get_type(l)) out.kind = kind;
    if (int32_t id = 0; rtnl_link_get_link_netnsid(l, &id) == 0) out.link_netnsid = id;
    return out;
}

std::optional<Link> get(Socket& sock, int ifindex, const char* name, const std::string& what) {
    rtnl_link* raw = nullptr;
    int rc = rtnl_link_get_kernel(sock.get(), ifindex, name, &raw);
    Object<rtnl_link> link(raw);
    if (is_missing(rc)) return std::nullopt;
    check(rc, "cannot look up link " + what);
    return to_link(link.get());
}

}  // namespace

bool Link::up() const { return (flags & IFF_UP) != 0; }
bool Link::loopback() const { return (flags & IFF_LOOPBACK) != 0; }

bool is_valid_ifname(const std::string& name) {
    if (name.empty() || name.size() >= IFNAMSIZ || name == "." || name == "..") return false;
    for (unsigned char c : name)
        if (c == '/' || c == ':' || c <= ' ' || c == 0x7f) return false;
    return true;
}

std::optional<Link> find_link(Socket& sock, const std::string& name) {
    if (!is_valid_ifname(name)) return std::nullopt;
    return get(sock, 0, name.c_str(), "'" + name + "'");
}

std::optional<Link> find_link(Socket& sock, int ifindex) {
    if (ifindex <= 0) return std::nullopt;
    return get(sock, ifindex, nullptr, "#" + std::to_string(ifindex));
}

std::vector<Link> list_links(Socket& sock) {
    nl_cache* raw = nullptr;
    check(rtnl_link_alloc_cache(sock.get(), AF_UNSPEC, &raw), "cannot list links");
    Cache cache(raw);
    std::vector<Link> out;
    for (nl_object* o = nl_cache_get_first(cache.get()); o; o = nl_cache_get_next(o))
        out.push_back(to_link(reinterpret_cast<rtnl_link*>(o)));
    return out;
}

std::optional<Link> find_loopback(Socket& sock) {
    // The kernel registers loopback first in every namespace; check that cheaply
    // before falling back to a dump.
    if (auto first = find_link(sock, 1); first && first->loopback()) return first;
    for (auto& link : list_links(sock))
        if (link.loopback()) return link;
    return std::nullopt;
}

void change_link(Socket& sock, int ifindex, const LinkChange& change, const std::string& what) {
    if (change.empty()) return;
    Object<rtnl_link> orig(rtnl_link_alloc());
    Object<rtnl_link> delta(rtnl_link_alloc());
    if (!orig || !delta) throw Error(Exit::failure, "out of memory");
    rtnl_link_set_ifindex(orig.get(), ifindex);
    Addr mac;
    if (change.mac) {
        mac = parse_addr(*change.mac, AF_LLC, "MAC address");
        rtnl_link_set_addr(delta.get(), mac.get());
    }
    if (change.mtu) rtnl_link_set_mtu(delta.get(), *change.mtu);
    if (change.up) *change.up ? rtnl_link_set_flags(delta.get(), IFF_UP) : rtnl_link_unset_flags(delta.get(), IFF_UP);
    std::string parts;
    if (change.mac) parts += " address " + *change.mac;
    if (change.mtu) parts += " mtu " + std::to_string(*change.mtu);
    if (change.up) parts += *change.up ? " up" : " down";
    check(rtnl_link_change(sock.get(), orig.get(), delta.get(), 0), "cannot set " + what + parts);
}

bool delete_link(Socket& sock, const std::string& name) {
    if (!is_valid_ifname(name)) return false;
    Object<rtnl_link> link(rtnl_link_alloc());
    if (!link) throw Error(Exit::failure, "out of memory");
    rtnl_link_set_name(link.get(), name.c_str());
    int rc = rtnl_link_delete(sock.get(), link.get());
    if (is_missing(rc)) return false;
    check(rc, "cannot delete link " + name);
    return true;
}

}  // namespace pm::nl
