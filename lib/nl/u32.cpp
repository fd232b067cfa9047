#include "nl/u32.hpp"

#include <arpa/inet.h>
#include <linux/gen_stats.h>
#include <linux/rtnetlink.h>
#include <netlink/errno.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/route/act/mirred.h>
#include <netlink/route/classifier.h>
#include <netlink/route/cls/u32.h>
#include <netlink/route/tc.h>

#include <fmt/format.h>

#include <cstring>
#include <memory>

#include <unistd.h>

#include "nl/request.hpp"

namespace pm::nl {
namespace {

std::string where(const FilterAddr& a, uint32_t handle) {
    return fmt::format("u32 filter {} (ifindex {}, parent {}, prio {})", format_u32_handle(handle), a.ifindex,
                       format_tc_handle(a.parent), a.prio);
}

Object<rtnl_cls> new_cls(const FilterAddr& a, uint32_t handle) {
    Object<rtnl_cls> cls(rtnl_cls_alloc());
    if (!cls) throw Error(Exit::failure, "out of memory allocating a classifier");
    auto* tc = TC_CAST(cls.get());
    rtnl_tc_set_ifindex(tc, a.ifindex);
    rtnl_tc_set_parent(tc, a.parent);
    rtnl_tc_set_handle(tc, handle);
    rtnl_cls_set_prio(cls.get(), a.prio);
    rtnl_cls_set_protocol(cls.get(), a.protocol);
    check(rtnl_tc_set_kind(tc, "u32"), "cannot select the u32 classifier");
    return cls;
}

void add_keys(rtnl_cls* cls, const std::vector<U32Key>& keys, const std::string& what) {
    for (const auto& k : keys)
        check(rtnl_u32_add_key(cls, htonl(k.value & k.mask), htonl(k.mask), k.offset, 0), what + ": bad key");
}

Added send_add(Socket& sock, rtnl_cls* cls, const std::string& what) {
    int rc = rtnl_cls_add(sock.get(), cls, NLM_F_CREATE | NLM_F_EXCL);
    if (rc == -NLE_EXIST) return Added::existed;
    if (rc < 0) throw error("cannot add " + what, rc);
    return Added::created;
}

bool gone(int rc) { return rc == -NLE_OBJ_NOTFOUND || rc == -NLE_NODEV; }

FilterEntry entry_from(rtnl_cls* cls) {
    FilterEntry e;
    auto* tc = TC_CAST(cls);
    e.prio = rtnl_cls_get_prio(cls);
    e.protocol = rtnl_cls_get_protocol(cls);
    e.handle = rtnl_tc_get_handle(tc);
    if (const char* kind = rtnl_tc_get_kind(tc)) e.kind = kind;
    if (e.kind != "u32") return e;
    uint32_t val = 0, mask = 0;
    int off = 0, offmask = 0;
    for (uint8_t i = 0; rtnl_u32_get_key(cls, i, &val, &mask, &off, &offmask) == 0; ++i)
        e.keys.push_back({ntohl(val), ntohl(mask), off});
    if (rtnl_u32_get_classid(cls, &val) == 0) e.classid = val;
    for (rtnl_act* act = rtnl_u32_get_action(cls); act; act = rtnl_act_next(act)) {
        ActionEntry a;
        auto* atc = TC_CAST(act);
        if (const char* kind = rtnl_tc_get_kind(atc)) a.kind = kind;
        if (a.kind == "mirred") {
            a.mirred_action = rtnl_mirred_get_action(act);
            a.ifindex = static_cast<int>(rtnl_mirred_get_ifindex(act));
            a.control = rtnl_mirred_get_policy(act);
        }
        a.packets = rtnl_tc_get_stat(atc, RTNL_TC_PACKETS);
        a.bytes = rtnl_tc_get_stat(atc, RTNL_TC_BYTES);
        e.actions.push_back(a);
    }
    return e;
}

struct Collect {
    std::vector<FilterEntry>* out;
    int error = 0;
};

void parsed(nl_object* obj, void* arg) {
    auto* c = static_cast<Collect*>(arg);
    c->out->push_back(entry_from(reinterpret_cast<rtnl_cls*>(obj)));
}

// libnl 3.7 does not keep an action's statistics when it parses a
// classifier, so read TCA_U32_ACT -> [i] -> TCA_ACT_STATS -> TCA_STATS_BASIC
// from the message itself.
void read_action_stats(nl_msg* msg, FilterEntry& e) {
    nlattr* tb[TCA_MAX + 1] = {};
    if (nlmsg_parse(nlmsg_hdr(msg), sizeof(tcmsg), tb, TCA_MAX, nullptr) < 0 || !tb[TCA_OPTIONS]) return;
    nlattr* opts[TCA_U32_MAX + 1] = {};
    if (nla_parse_nested(opts, TCA_U32_MAX, tb[TCA_OPTIONS], nullptr) < 0 || !opts[TCA_U32_ACT]) return;
    nlattr* acts[TCA_ACT_MAX_PRIO + 1] = {};
    if (nla_parse_nested(acts, TCA_ACT_MAX_PRIO, opts[TCA_U32_ACT], nullptr) < 0) return;
    size_t i = 0;
    for (int prio = 1; prio <= TCA_ACT_MAX_PRIO && i < e.actions.size(); ++prio) {
        if (!acts[prio]) continue;
        nlattr* act[TCA_ACT_MAX + 1] = {};
        nlattr* stats[TCA_STATS_MAX + 1] = {};
        if (nla_parse_nested(act, TCA_ACT_MAX, acts[prio], nullptr) == 0 && act[TCA_ACT_STATS] &&
            nla_parse_nested(stats, TCA_STATS_MAX, act[TCA_ACT_STATS], nullptr) == 0 && stats[TCA_STATS_BASIC] &&
            nla_len(stats[TCA_STATS_BASIC]) >= static_cast<int>(sizeof(gnet_stats_basic))) {
            gnet_stats_basic basic{};
            std::memcpy(&basic, nla_data(stats[TCA_STATS_BASIC]), sizeof(basic));
            e.actions[i].bytes = basic.bytes;
            e.actions[i].packets = basic.packets;
        }
        ++i;
    }
}

int on_valid(nl_msg* msg, void* arg) {
    auto* c = static_cast<Collect*>(arg);
    size_t before = c->out->size();
    int rc = nl_msg_parse(msg, parsed, arg);
    if (rc < 0) c->error = rc;
    if (c->out->size() == before + 1) read_action_stats(msg, c->out->back());
    return NL_OK;
}

// Sends a RTM_GETTFILTER request and collects the classifiers in the reply.
int request(Socket& sock, const tcmsg& hdr, int flags, std::vector<FilterEntry>& out) {
    Msg msg(nlmsg_alloc_simple(RTM_GETTFILTER, flags));
    if (!msg) return -NLE_NOMEM;
    if (int rc = nlmsg_append(msg.get(), const_cast<tcmsg*>(&hdr), sizeof(hdr), NLMSG_ALIGNTO); rc < 0) return rc;
    if (!(flags & NLM_F_DUMP) && nla_put_string(msg.get(), TCA_KIND, "u32") < 0) return -NLE_NOMEM;
    Collect collect{&out};
    if (int rc = exchange(sock, msg.get(), flags & NLM_F_DUMP, on_valid, &collect); rc < 0) return rc;
    return collect.error;
}

}  // namespace

Added add_table(Socket& sock, const U32Table& t) {
    uint32_t handle = u32_handle(t.htid, 0, 0);
    auto cls = new_cls(t.addr, handle);
    check(rtnl_u32_set_divisor(cls.get(), t.divisor), "bad u32 divisor");
    return send_add(sock, cls.get(), fmt::format("u32 table {} (divisor {})", format_u32_handle(handle), t.divisor) +
                                         " to " + where(t.addr, handle));
}

Added add_link(Socket& sock, const U32Link& l) {
    auto cls = new_cls(l.addr, l.handle);
    std::string what = where(l.addr, l.handle);
    add_keys(cls.get(), l.keys.empty() ? std::vector<U32Key>{U32Key{}} : l.keys, what);
    check(rtnl_u32_set_link(cls.get(), u32_handle(l.target_htid, 0, 0)), what + ": bad link");
    if (l.hash_mask) check(rtnl_u32_set_hashmask(cls.get(), l.hash_mask, l.hash_offset), what + ": bad hash");
    return send_add(sock, cls.get(), what);
}

Added add_leaf(Socket& sock, const U32Leaf& l) {
    auto cls = new_cls(l.addr, l.handle);
    std::string what = where(l.addr, l.handle);
    // The bucket is chosen by TCA_U32_HASH (table + bucket), the node by the handle.
    check(rtnl_u32_set_hashtable(cls.get(), l.handle & 0xfffff000u), what + ": bad table");
    add_keys(cls.get(), l.keys.empty() ? std::vector<U32Key>{U32Key{}} : l.keys, what);
    check(rtnl_u32_set_cls_terminal(cls.get()), what + ": cannot mark terminal");
    if (l.classid) check(rtnl_u32_set_classid(cls.get(), *l.classid), what + ": bad classid");
    for (const auto& m : l.actions) {
        Object<rtnl_act> act(rtnl_act_alloc());
        if (!act) throw Error(Exit::failure, "out of memory allocating an action");
        check(rtnl_tc_set_kind(TC_CAST(act.get()), "mirred"), "cannot select the mirred action");
        check(rtnl_mirred_set_action(act.get(), m.kind == MirredKind::redirect ? TCA_EGRESS_REDIR : TCA_EGRESS_MIRROR),
              what + ": bad mirred action");
        check(rtnl_mirred_set_policy(act.get(), m.control), what + ": bad mirred control");
        check(rtnl_mirred_set_ifindex(act.get(), static_cast<uint32_t>(m.ifindex)), what + ": bad mirred target");
        check(rtnl_u32_add_action(cls.get(), act.get()), what + ": cannot attach the action");
    }
    return send_add(sock, cls.get(), what);
}

bool delete_u32(Socket& sock, const FilterAddr& a, uint32_t handle) {
    auto cls = new_cls(a, handle);
    int rc = rtnl_cls_delete(sock.get(), cls.get(), 0);
    if (gone(rc)) return false;
    if (rc < 0) throw error("cannot delete " + where(a, handle), rc);
    return true;
}

bool delete_u32_table(Socket& sock, const FilterAddr& a, uint32_t htid, int busy_wait_ms) {
    const uint32_t handle = u32_handle(htid, 0, 0);
    auto cls = new_cls(a, handle);
    for (int waited = 0;; waited += 5) {
        int rc = rtnl_cls_delete(sock.get(), cls.get(), 0);
        if (gone(rc)) return false;
        if (rc == -NLE_BUSY && waited < busy_wait_ms) {
            ::usleep(5000);
            continue;
        }
        if (rc < 0) throw error("cannot delete " + where(a, handle), rc);
        return true;
    }
}

bool delete_priority(Socket& sock, const FilterAddr& a) {
    auto cls = new_cls(a, 0);
    int rc = rtnl_cls_delete(sock.get(), cls.get(), 0);
    if (gone(rc)) return false;
    if (rc < 0)
        throw error(fmt::format("cannot delete filter priority {} (ifindex {}, parent {})", a.prio, a.ifindex,
                                format_tc_handle(a.parent)),
                    rc);
    return true;
}

std::vector<FilterEntry> dump_filters(Socket& sock, int ifindex, uint32_t parent) {
    tcmsg hdr{};
    hdr.tcm_family = AF_UNSPEC;
    hdr.tcm_ifindex = ifindex;
    hdr.tcm_parent = parent;
    std::vector<FilterEntry> out;
    if (int rc = request(sock, hdr, NLM_F_DUMP, out); rc < 0)
        throw error(fmt::format("cannot list the filters of ifindex {} parent {}", ifindex, format_tc_handle(parent)), rc);
    return out;
}

std::optional<FilterEntry> get_u32(Socket& sock, const FilterAddr& a, uint32_t handle) {
    tcmsg hdr{};
    hdr.tcm_family = AF_UNSPEC;
    hdr.tcm_ifindex = a.ifindex;
    hdr.tcm_parent = a.parent;
    hdr.tcm_handle = handle;
    hdr.tcm_info = TC_H_MAKE(static_cast<uint32_t>(a.prio) << 16, htons(a.protocol));
    std::vector<FilterEntry> out;
    int rc = request(sock, hdr, 0, out);
    if (gone(rc)) return std::nullopt;
    if (rc < 0) throw error("cannot read " + where(a, handle), rc);
    if (out.empty()) return std::nullopt;
    return out.front();
}

std::string describe_keys(const std::vector<U32Key>& keys) {
    std::string out;
    for (const auto& k : keys) {
        if (!out.empty()) out += " ";
        out += fmt::format("{:08x}/{:08x}@{}", k.value, k.mask, k.offset);
    }
    return out;
}

}  // namespace pm::nl
