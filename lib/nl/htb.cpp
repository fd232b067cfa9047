#include "nl/htb.hpp"

#include <linux/pkt_sched.h>
#include <netlink/errno.h>
#include <netlink/route/class.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/qdisc/htb.h>
#include <netlink/route/tc.h>

#include "nl/qdisc.hpp"

namespace pm::nl {

void add_htb_root(Socket& sock, int ifindex, uint32_t handle, uint32_t default_minor, const std::string& what) {
    auto q = new_qdisc(ifindex, TC_H_ROOT, handle);
    check(rtnl_tc_set_kind(TC_CAST(q.get()), "htb"), "cannot select the htb qdisc");
    check(rtnl_htb_set_defcls(q.get(), TC_H_MAKE(handle, default_minor)), "cannot set the htb default class");
    int rc = rtnl_qdisc_add(sock.get(), q.get(), NLM_F_CREATE | NLM_F_EXCL);
    if (rc == -NLE_OBJ_NOTFOUND)
        throw Error(Exit::unsupported, "the kernel has no htb qdisc (module sch_htb) for " + what);
    if (rc < 0) throw error("cannot add the htb qdisc to " + what, rc);
}

Object<rtnl_class> make_htb_class(int ifindex, uint32_t parent, uint32_t classid, const HtbClass& c) {
    Object<rtnl_class> cls(rtnl_class_alloc());
    if (!cls) throw Error(Exit::failure, "out of memory allocating a class");
    rtnl_tc_set_ifindex(TC_CAST(cls.get()), ifindex);
    rtnl_tc_set_parent(TC_CAST(cls.get()), parent);
    rtnl_tc_set_handle(TC_CAST(cls.get()), classid);
    check(rtnl_tc_set_kind(TC_CAST(cls.get()), "htb"), "cannot select the htb class");
    check(rtnl_htb_set_rate64(cls.get(), c.rate), "cannot set the htb rate");
    check(rtnl_htb_set_ceil64(cls.get(), c.ceil ? c.ceil : c.rate), "cannot set the htb ceil");
    if (c.burst) check(rtnl_htb_set_rbuffer(cls.get(), c.burst), "cannot set the htb burst");
    if (c.cburst) check(rtnl_htb_set_cbuffer(cls.get(), c.cburst), "cannot set the htb cburst");
    if (c.quantum) check(rtnl_htb_set_quantum(cls.get(), c.quantum), "cannot set the htb quantum");
    return cls;
}

void set_htb_class(Socket& sock, int ifindex, uint32_t parent, uint32_t classid, const HtbClass& c, bool create,
                   const std::string& what) {
    auto cls = make_htb_class(ifindex, parent, classid, c);
    const int rc = rtnl_class_add(sock.get(), cls.get(), create ? NLM_F_CREATE | NLM_F_EXCL : 0);
    if (rc < 0) throw error(std::string(create ? "cannot add" : "cannot change") + " the htb class of " + what, rc);
}

std::optional<HtbClass> get_htb_class(Socket& sock, int ifindex, uint32_t classid) {
    nl_cache* raw = nullptr;
    check(rtnl_class_alloc_cache(sock.get(), ifindex, &raw), "cannot list classes");
    Cache cache(raw);
    Object<rtnl_class> cls(rtnl_class_get(cache.get(), ifindex, classid));
    if (!cls) return std::nullopt;
    const char* kind = rtnl_tc_get_kind(TC_CAST(cls.get()));
    if (!kind || std::string(kind) != "htb") return std::nullopt;
    HtbClass c;
    check(rtnl_htb_get_rate64(cls.get(), &c.rate), "cannot read the htb rate");
    check(rtnl_htb_get_ceil64(cls.get(), &c.ceil), "cannot read the htb ceil");
    c.burst = rtnl_htb_get_rbuffer(cls.get());
    c.cburst = rtnl_htb_get_cbuffer(cls.get());
    c.quantum = rtnl_htb_get_quantum(cls.get());
    return c;
}

}  // namespace pm::nl
