#include "nl/veth.hpp"

#include <netlink/errno.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>

#include "nl/nl_addr.hpp"

namespace pm::nl {

bool create_veth(Socket& sock, const VethSpec& spec) {
    Object<rtnl_link> link(rtnl_link_veth_alloc());
    if (!link) throw Error(Exit::failure, "cannot allocate a veth link object");
    // An extra reference to the peer object, which the link owns and frees with it.
    Object<rtnl_link> peer(rtnl_link_veth_get_peer(link.get()));
    if (!peer) throw Error(Exit::failure, "cannot allocate a veth peer object");

    Addr mac = parse_addr(spec.mac, AF_LLC, "MAC address");
    rtnl_link_set_name(link.get(), spec.name.c_str());
    rtnl_link_set_addr(link.get(), mac.get());
    rtnl_link_set_name(peer.get(), spec.peer_name.c_str());
    rtnl_link_set_addr(peer.get(), mac.get());
    rtnl_link_set_ns_fd(peer.get(), spec.peer_netns_fd);
    if (spec.mtu) {
        rtnl_link_set_mtu(link.get(), spec.mtu);
        rtnl_link_set_mtu(peer.get(), spec.mtu);
    }
    int rc = rtnl_link_add(sock.get(), link.get(), NLM_F_CREATE | NLM_F_EXCL);
    if (rc == -NLE_EXIST) return false;
    check(rc, "cannot create veth pair " + spec.name + "/" + spec.peer_name);
    return true;
}

}  // namespace pm::nl
