#include "nl/address.hpp"

#include <arpa/inet.h>
#include <netlink/errno.h>
#include <netlink/route/addr.h>

#include "nl/nl_addr.hpp"

namespace pm::nl {
namespace {

std::optional<uint32_t> to_u32(const std::string& ip) {
    in_addr a{};
    if (inet_pton(AF_INET, ip.c_str(), &a) != 1) return std::nullopt;
    return ntohl(a.s_addr);
}

}  // namespace

std::optional<Ipv4Net> Ipv4Net::parse(const std::string& text) {
    Ipv4Net net;
    auto slash = text.find('/');
    net.address = text.substr(0, slash);
    if (!to_u32(net.address)) return std::nullopt;
    if (slash != std::string::npos) {
        std::string len = text.substr(slash + 1);
        if (len.empty() || len.size() > 2 || len.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
        net.prefix = static_cast<unsigned>(std::stoul(len));
        if (net.prefix > 32) return std::nullopt;
    }
    return net;
}

bool Ipv4Net::contains(const std::string& ip) const {
    auto a = to_u32(address), b = to_u32(ip);
    if (!a || !b) return false;
    uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
    return (*a & mask) == (*b & mask);
}

std::vector<Ipv4Net> ipv4_addresses(Socket& sock, int ifindex) {
    nl_cache* raw = nullptr;
    check(rtnl_addr_alloc_cache(sock.get(), &raw), "cannot list addresses");
    Cache cache(raw);
    std::vector<Ipv4Net> out;
    for (nl_object* o = nl_cache_get_first(cache.get()); o; o = nl_cache_get_next(o)) {
        auto* a = reinterpret_cast<rtnl_addr*>(o);
        if (rtnl_addr_get_family(a) != AF_INET || rtnl_addr_get_ifindex(a) != ifindex) continue;
        Ipv4Net net;
        net.address = addr_to_string(rtnl_addr_get_local(a));
        net.prefix = static_cast<unsigned>(rtnl_addr_get_prefixlen(a));
        if (!net.address.empty()) out.push_back(net);
    }
    return out;
}

namespace {

Object<rtnl_addr> make_addr(int ifindex, const Ipv4Net& net) {
    Object<rtnl_addr> addr(rtnl_addr_alloc());
    if (!addr) throw Error(Exit::failure, "out of memory");
    Addr local = parse_addr(net.to_string(), AF_INET, "IPv4 address");
    rtnl_addr_set_ifindex(addr.get(), ifindex);
    rtnl_addr_set_family(addr.get(), AF_INET);
    check(rtnl_addr_set_local(addr.get(), local.get()), "cannot prepare address " + net.to_string());
    rtnl_addr_set_prefixlen(addr.get(), static_cast<int>(net.prefix));
    return addr;
}

}  // namespace

bool add_ipv4_address(Socket& sock, int ifindex, const Ipv4Net& net, const std::string& link_name) {
    auto addr = make_addr(ifindex, net);
    int rc = rtnl_addr_add(sock.get(), addr.get(), NLM_F_EXCL);
    if (rc == -NLE_EXIST) return false;
    check(rc, "cannot add address " + net.to_string() + " to " + link_name);
    return true;
}

bool delete_ipv4_address(Socket& sock, int ifindex, const Ipv4Net& net, const std::string& link_name) {
    auto addr = make_addr(ifindex, net);
    int rc = rtnl_addr_delete(sock.get(), addr.get(), 0);
    if (rc == -NLE_NOADDR || rc == -NLE_OBJ_NOTFOUND) return false;
    check(rc, "cannot delete address " + net.to_string() + " from " + link_name);
    return true;
}

}  // namespace pm::nl
