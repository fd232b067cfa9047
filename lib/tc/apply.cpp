#include "tc/apply.hpp"

#include <fmt/format.h>

#include "core/diag.hpp"
#include "core/error.hpp"
#include "nl/tc_handle.hpp"

namespace pm::tc {

void Devices::set(Dev d, nl::Socket* sock, int ifindex, std::string name, uint32_t parent) {
    slots_[static_cast<size_t>(d)] = {sock, ifindex, std::move(name), parent};
}

nl::Socket& Devices::sock(Dev d) const {
    if (!slot(d).sock) throw Error(Exit::failure, std::string("internal: device ") + dev_key(d) + " not resolved");
    return *slot(d).sock;
}

std::string device_text(Dev d, const std::string& name) {
    return (in_container(d) ? "container " : "") + name + (d == Dev::eth0_out ? " egress" : "");
}

std::string leaf_text(const Leaf& leaf, const Devices& devs) {
    return fmt::format("{} filter {} on {} (prio {}, {})", leaf.role, nl::format_u32_handle(leaf.handle),
                       device_text(leaf.dev, devs.name(leaf.dev)), leaf.prio, leaf.match);
}

namespace {

std::string table_ifname(const Devices& devs, Dev d) { return device_text(d, devs.name(d)); }

// The part of ensure_tables before the root is known: checks `t` against the
// filters on its device and adds the table when missing.  true when added.
bool add_table_if_missing(const Devices& devs, const Table& t, const std::vector<nl::FilterEntry>& existing,
                          UndoStack& undo) {
    nl::Socket& sock = devs.sock(t.dev);
    const std::string ifname = table_ifname(devs, t.dev);
    const uint32_t table_handle = nl::u32_handle(t.htid, 0, 0);
    const nl::FilterAddr addr = devs.addr(t.dev, t.prio, t.protocol);
    bool prio_exists = false, table_exists = false;
    for (const auto& e : existing) {
        if (e.prio != t.prio) continue;
        prio_exists = true;
        if (e.kind != "u32" || e.protocol != t.protocol)
            throw Error(Exit::conflict, fmt::format("{} already has a {} filter at priority {} that pm-tc did not make",
                                                    ifname, e.kind, t.prio));
        table_exists |= e.handle == table_handle;
    }
    if (prio_exists && !table_exists)
        throw Error(Exit::conflict,
                    fmt::format("{} already has u32 filters at priority {} that pm-tc did not make", ifname, t.prio));
    if (table_exists) return false;
    if (nl::add_table(sock, {addr, t.htid, t.divisor}) == nl::Added::existed)
        throw Error(Exit::conflict,
                    fmt::format("u32 table {} already exists on {} outside priority {} (left over from a deleted "
                                "priority? remove the ingress qdisc or run pm-tc teardown --force)",
                                nl::format_u32_handle(table_handle), ifname, t.prio));
    // The priority is new, so removing it removes exactly what we add here.
    undo.push(fmt::format("remove priority {} from {}", t.prio, ifname), [&sock, addr, htid = t.htid] {
        remove_table(sock, addr.ifindex, addr.prio, addr.protocol, htid, addr.parent);
    });
    diag::info(fmt::format("added u32 table {} ({}, divisor {}) at priority {} on {}", nl::format_u32_handle(table_handle),
                           t.name, t.divisor, t.prio, ifname));
    return true;
}

// The rest: the root table the kernel gave the priority, and the links in it.
TableRecord link_table(const Devices& devs, const Table& t, const std::vector<nl::FilterEntry>& existing, bool added,
                       UndoStack& undo) {
    nl::Socket& sock = devs.sock(t.dev);
    const std::string ifname = table_ifname(devs, t.dev);
    const nl::FilterAddr addr = devs.addr(t.dev, t.prio, t.protocol);
    // The priority's own root table: the kernel numbers it from 0x800 (pitfall 5).
    uint32_t root = 0;
    for (const auto& e : existing)
        if (e.prio == t.prio && e.is_table() && nl::u32_htid(e.handle) >= 0x800) root = nl::u32_htid(e.handle);
    if (!root) throw Error(Exit::failure, fmt::format("cannot find the root u32 table of priority {} on {}", t.prio, ifname));

    TableRecord rec{t.name, t.dev, t.prio, t.protocol, t.htid, t.divisor, t.hash_mask, root, {}};
    for (size_t i = 0; i < t.links.size(); ++i) {
        const uint32_t handle = nl::u32_handle(root, 0, static_cast<uint32_t>(i + 1));
        rec.links.push_back(handle);
        bool present = false;
        for (const auto& e : existing) present |= e.prio == t.prio && e.handle == handle;
        if (present) continue;
        nl::U32Link link{addr, handle, t.links[i], t.htid, t.hash_mask, t.hash_mask ? kPortWord : 0};
        if (nl::add_link(sock, link) == nl::Added::created && !added)
            undo.push(fmt::format("delete link {} on {}", nl::format_u32_handle(handle), ifname),
                      [&sock, addr, handle] { nl::delete_u32(sock, addr, handle); });
    }
    return rec;
}

}  // namespace

std::vector<TableRecord> ensure_tables(const Devices& devs, const std::vector<Table>& tables, UndoStack& undo) {
    std::vector<TableRecord> out(tables.size());
    std::vector<bool> done(tables.size(), false);
    for (size_t first = 0; first < tables.size(); ++first) {
        if (done[first]) continue;
        const Dev d = tables[first].dev;
        std::vector<size_t> group;  // this device's tables, in order
        for (size_t i = first; i < tables.size(); ++i)
            if (tables[i].dev == d) group.push_back(i);
        std::vector<nl::FilterEntry> existing;
        if (!devs.fresh(d)) existing = nl::dump_filters(devs.sock(d), devs.ifindex(d), devs.parent(d));
        std::vector<bool> added(tables.size(), false);
        bool any_added = false;
        for (size_t i : group) any_added |= added[i] = add_table_if_missing(devs, tables[i], existing, undo);
        if (any_added) existing = nl::dump_filters(devs.sock(d), devs.ifindex(d), devs.parent(d));
        for (size_t i : group) {
            out[i] = link_table(devs, tables[i], existing, added[i], undo);
            done[i] = true;
        }
    }
    return out;
}

bool remove_table(nl::Socket& sock, int ifindex, uint16_t prio, uint16_t protocol, uint32_t htid, uint32_t parent) {
    const nl::FilterAddr addr{ifindex, parent, prio, protocol};
    const auto entries = nl::dump_filters(sock, ifindex, parent);
    bool exists = false;
    for (const auto& e : entries) exists |= e.prio == prio;
    if (!exists) return false;
    for (const auto& e : entries)  // the links in the priority's root table
        if (e.prio == prio && !e.is_table() && e.handle && nl::u32_htid(e.handle) >= 0x800)
            nl::delete_u32(sock, addr, e.handle);
    nl::delete_u32_table(sock, addr, htid);
    nl::delete_priority(sock, addr);
    return true;
}

nl::U32Leaf kernel_leaf(const Leaf& leaf, const Devices& devs) {
    nl::U32Leaf u;
    u.addr = devs.addr(leaf.dev, leaf.prio, leaf.protocol);
    u.handle = leaf.handle;
    u.keys = leaf.keys;
    switch (leaf.act) {
        case Act::local:
            u.classid = nl::tc_handle(0xffff, 0);
            break;
        case Act::redirect:
            u.actions.push_back({nl::MirredKind::redirect, devs.ifindex(leaf.target), TC_ACT_STOLEN});
            break;
        case Act::mirror:
            u.actions.push_back({nl::MirredKind::mirror, devs.ifindex(leaf.target), TC_ACT_UNSPEC});
            break;
        case Act::classify:
            u.classid = leaf.classid;
            break;
    }
    return u;
}

namespace {
int target_of(const nl::FilterEntry& e) { return e.actions.empty() ? 0 : e.actions.front().ifindex; }
}  // namespace

void add_leaf(const Leaf& leaf, const Devices& devs, UndoStack& undo) {
    nl::Socket& sock = devs.sock(leaf.dev);
    auto k = kernel_leaf(leaf, devs);
    if (nl::add_leaf(sock, k) == nl::Added::created) {
        diag::info("added " + leaf_text(leaf, devs));
        undo.push("delete the " + leaf_text(leaf, devs), [&sock, addr = k.addr, handle = k.handle] { nl::delete_u32(sock, addr, handle); });
        return;
    }
    auto cur = nl::get_u32(sock, k.addr, k.handle);
    int want = k.actions.empty() ? 0 : k.actions.front().ifindex;
    if (cur && cur->keys == k.keys && target_of(*cur) == want && cur->classid == k.classid.value_or(cur->classid))
        return;  // already there, identical
    throw Error(Exit::conflict, fmt::format("cannot add {}: its handle is taken by another filter{}", leaf_text(leaf, devs),
                                            cur && target_of(*cur) ? fmt::format(" (to ifindex {})", target_of(*cur)) : ""));
}

void remove_leaf(const Leaf& leaf, const Devices& devs, int owner_ifindex) {
    nl::Socket& sock = devs.sock(leaf.dev);
    auto addr = devs.addr(leaf.dev, leaf.prio, leaf.protocol);
    if (owner_ifindex > 0) {
        auto cur = nl::get_u32(sock, addr, leaf.handle);
        if (!cur) return;
        int target = target_of(*cur);
        // 0: the target device is gone (mirred forgets it); the handle is still ours.
        if (target != owner_ifindex && target != 0) {
            diag::warning(fmt::format("left {} alone: it now points to ifindex {}, not {}", leaf_text(leaf, devs), target,
                                      owner_ifindex));
            return;
        }
    }
    if (nl::delete_u32(sock, addr, leaf.handle)) diag::info("removed " + leaf_text(leaf, devs));
}

}  // namespace pm::tc
