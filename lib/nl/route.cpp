#include "nl/route.hpp"

#include <linux/rtnetlink.h>
#include <netlink/errno.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>

#include "nl/nl_addr.hpp"

namespace pm::nl {

std::optional<DefaultRoute> find_default_route(Socket& sock, int oif) {
    nl_cache* raw = nullptr;
    check(rtnl_route_alloc_cache(sock.get(), AF_INET, 0, &raw), "cannot list IPv4 routes");
    Cache cache(raw);
    for (nl_object* o = nl_cache_get_first(cache.get()); o; o = nl_cache_get_next(o)) {
        auto* r = reinterpret_cast<rtnl_route*>(o);
        if (rtnl_route_get_table(r) != RT_TABLE_MAIN || rtnl_route_get_type(r) != RTN_UNICAST) continue;
        nl_addr* dst = rtnl_route_get_dst(r);
        if (dst && nl_addr_get_prefixlen(dst) != 0) continue;
        if (rtnl_route_get_nnexthops(r) != 1) continue;
        rtnl_nexthop* nh = rtnl_route_nexthop_n(r, 0);
        nl_addr* gw = nh ? rtnl_route_nh_get_gateway(nh) : nullptr;
        if (!gw) continue;
        if (oif > 0 && rtnl_route_nh_get_ifindex(nh) != oif) continue;
        return DefaultRoute{rtnl_route_nh_get_ifindex(nh), addr_to_string(gw),
                            (rtnl_route_nh_get_flags(nh) & RTNH_F_ONLINK) != 0};
    }
    return std::nullopt;
}

bool add_default_route(Socket& sock, const DefaultRoute& route, const std::string& link_name) {
    Object<rtnl_route> r(rtnl_route_alloc());
    if (!r) throw Error(Exit::failure, "out of memory");
    Addr dst = parse_addr("0.0.0.0/0", AF_INET, "destination");
    Addr gw = parse_addr(route.gateway, AF_INET, "gateway");
    rtnl_route_set_family(r.get(), AF_INET);
    rtnl_route_set_table(r.get(), RT_TABLE_MAIN);
    rtnl_route_set_type(r.get(), RTN_UNICAST);
    rtnl_route_set_protocol(r.get(), RTPROT_BOOT);
    rtnl_route_set_scope(r.get(), RT_SCOPE_UNIVERSE);
    check(rtnl_route_set_dst(r.get(), dst.get()), "cannot prepare default route");
    // The route owns the nexthop once added.
    rtnl_nexthop* nh = rtnl_route_nh_alloc();
    if (!nh) throw Error(Exit::failure, "out of memory");
    rtnl_route_nh_set_ifindex(nh, route.ifindex);
    rtnl_route_nh_set_gateway(nh, gw.get());
    if (route.onlink) rtnl_route_nh_set_flags(nh, RTNH_F_ONLINK);
    rtnl_route_add_nexthop(r.get(), nh);
    int rc = rtnl_route_add(sock.get(), r.get(), NLM_F_EXCL);
    if (rc == -NLE_EXIST) return false;
    check(rc, "cannot add default route via " + route.gateway + " dev " + link_name);
    return true;
}

}  // namespace pm::nl
