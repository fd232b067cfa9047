#include "nl/qdisc.hpp"

#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/tc.h>

#include <memory>

#include "nl/request.hpp"

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

struct Reply {
    std::optional<QdiscEntry> entry;
};

int on_qdisc(nl_msg* msg, void* arg) {
    nlmsghdr* hdr = nlmsg_hdr(msg);
    if (hdr->nlmsg_type != RTM_NEWQDISC || !nlmsg_valid_hdr(hdr, sizeof(tcmsg))) return NL_SKIP;
    const auto* tcm = static_cast<const tcmsg*>(nlmsg_data(hdr));
    nlattr* tb[TCA_MAX + 1] = {};
    if (nlmsg_parse(hdr, sizeof(tcmsg), tb, TCA_MAX, nullptr) < 0) return NL_SKIP;
    QdiscEntry e;
    if (tb[TCA_KIND]) e.kind = nla_get_string(tb[TCA_KIND]);
    e.handle = tcm->tcm_handle;
    e.parent = tcm->tcm_parent;
    static_cast<Reply*>(arg)->entry = e;
    return NL_OK;
}

// The kernel's own lookup (RTM_GETQDISC without NLM_F_DUMP) of the qdisc at
// the root or the ingress hook of one link: one reply, where a cache would
// dump every qdisc of every link (two or more per container veth on a busy
// host).  The outer nullopt means "no clear answer" (the kernel reports a
// built-in qdisc, e.g. noop after a delete, as EINVAL): ask the dump then.
std::optional<std::optional<QdiscEntry>> ask_kernel(Socket& sock, int ifindex, uint32_t parent) {
    // NLM_F_ECHO: the kernel answers a qdisc get as a notification, sent back
    // to the asker only when it asks for an echo.
    Msg msg(nlmsg_alloc_simple(RTM_GETQDISC, NLM_F_ECHO));
    if (!msg) throw Error(Exit::failure, "out of memory");
    tcmsg hdr{};
    hdr.tcm_family = AF_UNSPEC;
    hdr.tcm_ifindex = ifindex;
    hdr.tcm_parent = parent;
    check(nlmsg_append(msg.get(), &hdr, sizeof(hdr), NLMSG_ALIGNTO), "cannot build a qdisc request");
    Reply reply;
    int rc = exchange(sock, msg.get(), false, on_qdisc, &reply);
    if (rc == -NLE_OBJ_NOTFOUND || rc == -NLE_NODEV) return std::optional<QdiscEntry>{};
    if (rc == -NLE_INVAL) return std::nullopt;
    check(rc, "cannot look up the qdiscs of ifindex " + std::to_string(ifindex));
    if (!reply.entry) return std::nullopt;
    return reply.entry;
}

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
    if (parent == TC_H_INGRESS || parent == TC_H_ROOT)
        if (auto answer = ask_kernel(sock, ifindex, parent)) return *answer;
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
    // Add first (a new link has none): the kernel refuses with EEXIST when any
    // qdisc holds the hook, and only then is it worth looking at which one.
    auto q = new_qdisc(ifindex, TC_H_INGRESS, TC_H_MAKE(TC_H_INGRESS, 0));
    check(rtnl_tc_set_kind(TC_CAST(q.get()), "ingress"), "cannot select the ingress qdisc");
    int rc = rtnl_qdisc_add(sock.get(), q.get(), NLM_F_CREATE | NLM_F_EXCL);
    if (rc >= 0) return true;
    if (check_existing()) return false;  // ours already, or another creator's
    throw error("cannot add an ingress qdisc to " + what, rc);
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
