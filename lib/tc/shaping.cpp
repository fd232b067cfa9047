#include "tc/shaping.hpp"

#include <fmt/format.h>
#include <linux/pkt_sched.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/tc.h>

#include "core/diag.hpp"
#include "core/error.hpp"
#include "nl/fq_codel.hpp"
#include "nl/htb.hpp"
#include "nl/link.hpp"
#include "nl/qdisc.hpp"
#include "output/table.hpp"
#include "units/units.hpp"

namespace pm::tc {
namespace {

bool is_ours(const std::optional<nl::QdiscEntry>& root) {
    return root && root->kind == "htb" && root->handle == kShaperHandle;
}
// The kernel's own default root qdisc (noqueue, pfifo_fast, mq) has handle 0.
bool is_default(const std::optional<nl::QdiscEntry>& root) { return !root || root->handle == 0; }

void add_leaf(const ShapePlace& p, Bloat bloat, bool replace) {
    if (bloat == Bloat::fq_codel) nl::add_fq_codel(*p.sock, p.ifindex, kShaperClass, kShaperLeaf, p.what, replace);
}

// A whole new shaper: root, class, leaf; one undo step removes all of it.
void create(const ShapePlace& p, const Limit& l, Bloat bloat, UndoStack& undo) {
    nl::add_htb_root(*p.sock, p.ifindex, kShaperHandle, 1, p.what);
    undo.push("remove the shaper of " + p.what, [p] { remove_shaper(*p.sock, p.ifindex, p.what); });
    nl::set_htb_class(*p.sock, p.ifindex, kShaperHandle, kShaperClass, htb_class_for(l), true, p.what);
    add_leaf(p, bloat, false);
    diag::info(fmt::format("shaped {}: htb {} leaf {}", p.what, l.text(), bloat_key(bloat)));
}

Json counters(nl_cache* cache, int ifindex, uint32_t parent, const char* kind) {
    nl::Object<rtnl_qdisc> q(rtnl_qdisc_get_by_parent(cache, ifindex, parent));
    if (!q) return nullptr;
    const char* k = rtnl_tc_get_kind(TC_CAST(q.get()));
    if (kind && (!k || std::string(k) != kind)) return nullptr;
    auto* tc = TC_CAST(q.get());
    return {{"kind", k ? k : ""},
            {"bytes", rtnl_tc_get_stat(tc, RTNL_TC_BYTES)},
            {"packets", rtnl_tc_get_stat(tc, RTNL_TC_PACKETS)},
            {"drops", rtnl_tc_get_stat(tc, RTNL_TC_DROPS)},
            {"overlimits", rtnl_tc_get_stat(tc, RTNL_TC_OVERLIMITS)},
            {"backlog", rtnl_tc_get_stat(tc, RTNL_TC_BACKLOG)},
            {"qlen", rtnl_tc_get_stat(tc, RTNL_TC_QLEN)}};
}

Json direction_status(const Limit& l, Bloat bloat, nl::Socket* sock, int ifindex, const std::string& dev) {
    Json j = l.to_json();
    j["dev"] = dev;
    j["bw_limit"] = nullptr;
    j["bloat_reduction"] = nullptr;
    if (!sock || ifindex <= 0) return j;
    nl_cache* raw = nullptr;
    nl::check(rtnl_qdisc_alloc_cache(sock->get(), &raw), "cannot list qdiscs");
    nl::Cache cache(raw);
    j["bw_limit"] = counters(cache.get(), ifindex, TC_H_ROOT, "htb");
    if (bloat == Bloat::fq_codel) j["bloat_reduction"] = counters(cache.get(), ifindex, kShaperClass, "fq_codel");
    return j;
}

}  // namespace

void require_kernel_support(const Shaping& want) {
    if (want.needs_fq_codel()) nl::require_fq_codel("use --bloat-reduction=none to shape with HTB alone");
}

void apply_direction(const ShapePlace& p, const std::optional<Limit>& old, Bloat old_bloat,
                     const std::optional<Limit>& now, Bloat now_bloat, UndoStack& undo) {
    const auto root = nl::find_qdisc(*p.sock, p.ifindex, TC_H_ROOT);
    const bool ours = old && is_ours(root);
    if (!is_default(root) && !ours)
        throw Error(Exit::conflict, fmt::format("{} already has a root '{}' qdisc that pm-tc did not make; remove it "
                                                "first",
                                                p.what, root->kind));
    if (!now) {
        if (!ours) return;
        remove_shaper(*p.sock, p.ifindex, p.what);
        diag::info("removed the shaper of " + p.what);
        undo.push("restore the shaper of " + p.what, [p, l = *old, old_bloat] {
            UndoStack inner;
            create(p, l, old_bloat, inner);
            inner.commit();
        });
        return;
    }
    if (!ours) {
        create(p, *now, now_bloat, undo);
        return;
    }
    // Change in place: the class keeps its queue; the leaf only when its kind changes.
    const auto current = nl::get_htb_class(*p.sock, p.ifindex, kShaperClass);
    if (!current) throw Error(Exit::failure, "the shaper of " + p.what + " has no class 1:1 (run pm-tc detach and attach)");
    if (*old != *now) {
        nl::set_htb_class(*p.sock, p.ifindex, kShaperHandle, kShaperClass, htb_class_for(*now), false, p.what);
        undo.push("restore the class of " + p.what, [p, c = *current] {
            nl::set_htb_class(*p.sock, p.ifindex, kShaperHandle, kShaperClass, c, false, p.what);
        });
        diag::info(fmt::format("changed the shaper of {} to {}", p.what, now->text()));
    }
    const auto leaf = nl::find_qdisc(*p.sock, p.ifindex, kShaperClass);
    const bool has_fq = leaf && leaf->kind == "fq_codel";
    if (now_bloat == Bloat::fq_codel && !has_fq) {
        add_leaf(p, Bloat::fq_codel, true);
        undo.push("remove the fq_codel leaf of " + p.what,
                  [p] { nl::delete_qdisc(*p.sock, p.ifindex, kShaperClass, p.what); });
    } else if (now_bloat == Bloat::none && has_fq) {
        nl::delete_qdisc(*p.sock, p.ifindex, kShaperClass, p.what);  // HTB falls back to its default leaf
        undo.push("restore the fq_codel leaf of " + p.what, [p] { add_leaf(p, Bloat::fq_codel, true); });
    }
}

void apply_shaping(const Devices& devs, const Shaping& old, const Shaping& now, UndoStack& undo) {
    for (auto [d, o, n] : {std::tuple{Dev::c_eth0, &old.egress, &now.egress}, std::tuple{Dev::veth, &old.ingress, &now.ingress}}) {
        if (*o == *n && (!*n || old.bloat == now.bloat)) continue;
        const ShapePlace p{&devs.sock(d), devs.ifindex(d), (in_container(d) ? "container " : "veth ") + devs.name(d)};
        apply_direction(p, *o, old.bloat, *n, now.bloat, undo);
    }
}

Shaping covering(const Shaping& old, const Shaping& now) {
    Shaping s = now;
    if (!s.egress) s.egress = old.egress;
    if (!s.ingress) s.ingress = old.ingress;
    return s;
}

bool remove_recorded_shaper(nl::Socket& sock, const DevRef& dev, const std::string& what) {
    auto link = nl::find_link(sock, dev.ifindex);
    if (!link || link->name != dev.name) return false;
    const bool removed = remove_shaper(sock, dev.ifindex, what);
    if (removed) diag::info("removed the shaper of " + what);
    return removed;
}

bool remove_shaper(nl::Socket& sock, int ifindex, const std::string& what) {
    if (!is_ours(nl::find_qdisc(sock, ifindex, TC_H_ROOT))) return false;
    return nl::delete_qdisc(sock, ifindex, TC_H_ROOT, what);
}

Json shaping_status(const Shaping& s, nl::Socket* egress_sock, int egress_ifindex, const std::string& egress_dev,
                    nl::Socket* ingress_sock, int ingress_ifindex, const std::string& ingress_dev) {
    Json j = {{"bloat_reduction", bloat_key(s.bloat)}, {"egress", nullptr}, {"ingress", nullptr}};
    if (s.egress) j["egress"] = direction_status(*s.egress, s.bloat, egress_sock, egress_ifindex, egress_dev);
    if (s.ingress) j["ingress"] = direction_status(*s.ingress, s.bloat, ingress_sock, ingress_ifindex, ingress_dev);
    return j;
}

std::string shaping_text(const Json& containers, bool with_id) {
    std::vector<Column> cols;
    if (with_id) cols.push_back({"id", "ID"});
    auto rate = [](const Json& v) { return v.is_number() ? format_rate(v.get<uint64_t>()) : std::string("-"); };
    auto size = [](const Json& v) { return v.is_number() ? format_size(v.get<uint64_t>()) : std::string("-"); };
    auto num = [](const Json& v) { return v.is_null() ? std::string("-") : v.dump(); };
    for (Column c : std::vector<Column>{{"direction", "DIRECTION"},
                                        {"dev", "DEV"},
                                        {"rate", "RATE", true, rate},
                                        {"ceil", "CEIL", true, rate},
                                        {"burst", "BURST", true, size},
                                        {"leaf", "LEAF"},
                                        {"bytes", "BYTES", true, num},
                                        {"packets", "PACKETS", true, num},
                                        {"overlimits", "OVERLIMITS", true, num},
                                        {"drops", "DROPS", true, num},
                                        {"backlog", "BACKLOG", true, num}})
        cols.push_back(c);
    pm::Table table(cols);
    for (const auto& c : containers) {
        if (!c.contains("shaping")) continue;
        const Json& s = c["shaping"];
        for (const char* dir : {"egress", "ingress"}) {
            if (!s.contains(dir) || s[dir].is_null()) continue;
            const Json& d = s[dir];
            const Json& bw = d["bw_limit"];
            Json row = {{"id", c["id"]},
                        {"direction", dir},
                        {"dev", (std::string(dir) == "egress" ? "c:" : "") + d["dev"].get<std::string>()},
                        {"rate", d["rate"]},
                        {"ceil", d.value("ceil", Json())},
                        {"burst", d.value("burst", Json())},
                        {"leaf", bw.is_null() ? "missing" : s["bloat_reduction"].get<std::string>()}};
            for (const char* k : {"bytes", "packets", "overlimits", "drops", "backlog"})
                row[k] = bw.is_null() ? Json() : bw[k];
            table.add_row(row);
        }
    }
    return table.empty() ? "" : table.to_text();
}

}  // namespace pm::tc
