#include "nl/qdisc.hpp"

#include <linux/pkt_sched.h>
#include <netlink/errno.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/tc.h>

namespace pm::nl {

Object<rtnl_qdisc> new_qdisc(int ifindex, uint32_t parent, uint32_t handle) {
    Object<rtnl_qdisc> q(rtnl_qdisc_alloc());
    if (!q) throw Error(Exit::failure, "out of memory allocating a qdisc");
    rtnl_tc_set_ifindex(TC_CAST(q.get()), ifindex);
    rtnl_tc_set_parent(TC_CAST(q.get()), parent);
    if (handle) rtnl_tc_set_handle(TC_CAST(q.get()), handle);
    return q;
}

namespace {

template <typename Get>
std::optional<QdiscEntry> lookup(Socket& sock, Get get) {
    nl_cache* raw = nullptr;
    check(rtnl_qdisc_alloc_cache(sock.get(), &raw), "cannot list qdiscs");
    Cache cache(raw);
    rtnl_qdisc* q = get(cache.get());
    if (!q) return std::nullopt;
    Object<rtnl_qdisc> owned(q);  // get_by_parent took a reference
    QdiscEntry e;
    if (const char* kind = rtnl_tc_get_kind(TC_CAST(q))) e.kind = kind;
    e.handle = rtnl_tc_get_handle(TC_CAST(q));
    e.parent = rtnl_tc_get_parent(TC_CAST(q));
    return e;
}

}  // namespace

std::optional<QdiscEntry> find_qdisc(Socket& sock, int ifindex, uint32_t parent) {
    return lookup(sock, [&](nl_cache* cache) { return rtnl_qdisc_get_by_parent(cache, ifindex, parent); });
}

std::optional<QdiscEntry> find_qdisc_by_handle(Socket& sock, int ifindex, uint32_t handle) {
    return lookup(sock, [&](nl_cache* cache) { return rtnl_qdisc_get(cache, ifindex, handle); });
}

bool ensure_ingress_qdisc(Socket& sock, int ifindex, const std::string& what) {
    auto check_existing = [&]() -> bool {
        auto existing = find_qdisc(sock, ifindex, TC_H_INGRESS);
        if (!existing) return false;
        if (existing->kind != "ingress")
            throw Error(Exit::conflict, what + " already has a '" + existing->kind +
                                            "' qdisc on its ingress hook; pm-tc needs an 'ingress' qdisc there");
        return true;
    };
    if (check_existing()) return false;
    auto q = new_qdisc(ifindex, TC_H_INGRESS);
    rtnl_tc_set_handle(TC_CAST(q.get()), TC_H_MAKE(TC_H_INGRESS, 0));
    check(rtnl_tc_set_kind(TC_CAST(q.get()), "ingress"), "cannot select the ingress qdisc");
    int rc = rtnl_qdisc_add(sock.get(), q.get(), NLM_F_CREATE | NLM_F_EXCL);
    if (rc == -NLE_EXIST && check_existing()) return false;  // raced with another creator
    if (rc < 0) throw error("cannot add an ingress qdisc to " + what, rc);
    return true;
}

bool delete_qdisc(Socket& sock, int ifindex, uint32_t parent, const std::string& what) {
    auto q = new_qdisc(ifindex, parent);
    int rc = rtnl_qdisc_delete(sock.get(), q.get());
    if (rc == -NLE_OBJ_NOTFOUND || rc == -NLE_NODEV || rc == -NLE_INVAL) {
        // The kernel answers EINVAL for "no qdisc at this parent"; confirm before calling it gone.
        if (rc != -NLE_INVAL || !find_qdisc(sock, ifindex, parent)) return false;
    }
    if (rc < 0) throw error("cannot delete the qdisc of " + what, rc);
    return true;
}

}  // namespace pm::nl
