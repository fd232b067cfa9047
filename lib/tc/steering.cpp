#include "tc/steering.hpp"

#include <fmt/format.h>
#include <linux/capability.h>
#include <linux/pkt_sched.h>

#include <algorithm>
#include <memory>

#include "core/container_id.hpp"
#include "core/diag.hpp"
#include "core/error.hpp"
#include "nl/link.hpp"
#include "nl/qdisc.hpp"
#include "nl/u32.hpp"
#include "state/lock.hpp"
#include "state/records.hpp"
#include "state/stale_temps.hpp"
#include "sys/netns_enter.hpp"
#include "sys/privileges.hpp"
#include "tc/apply.hpp"
#include "tc/flows.hpp"
#include "tc/host.hpp"
#include "tc/shaping.hpp"

namespace pm::tc {
namespace {

struct Inputs {
    HostRecord host;
    AllocRecord alloc;
    NetnsRecord netns;
    HostFacts facts;
};

Inputs load_inputs(const StateDir& state, const std::string& id, HostBeforeLock&& host) {
    Inputs in{std::move(host).under_lock(), {}, {}, {}};
    auto alloc = load_alloc(state, id);
    if (!alloc) throw Error(Exit::not_found, "container '" + id + "' has no port allocation (run pm-alloc first)");
    auto netns = load_netns(state, id);
    if (!netns) throw Error(Exit::not_found, "container '" + id + "' has no network namespace (run pm-netns create first)");
    in.alloc = *alloc;
    in.netns = *netns;
    if (in.netns.eth0 != in.host.eth0.name || in.netns.lo != in.host.lo.name)
        throw Error(Exit::conflict, fmt::format("container '{}' was wired for {}/{}, the host is set up for {}/{}", id,
                                                in.netns.eth0, in.netns.lo, in.host.eth0.name, in.host.lo.name));
    if (in.netns.address != in.host.address || in.netns.mac != in.host.mac)
        throw Error(Exit::conflict, fmt::format("container '{}' uses {} {}, the host is set up for {} {}", id,
                                                in.netns.address, in.netns.mac, in.host.address, in.host.mac));
    in.facts = HostFacts::parse(in.host.address, in.host.mac);
    return in;
}

// The sockets and resolved devices of one operation.  Devices point into the
// sockets, so a Session never moves.
class Session {
public:
    Session() = default;
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    nl::Socket host;
    std::unique_ptr<nl::Socket> container;
    Devices devs;

    // Host eth0/lo as recorded by setup, with the shared tables still in
    // place; Error(conflict) when the interfaces changed, Error(not_found)
    // when setup's structures are gone.
    void resolve_host(const HostRecord& rec) {
        for (auto [d, ref] : {std::pair{Dev::eth0, &rec.eth0}, std::pair{Dev::lo, &rec.lo}}) {
            auto link = nl::find_link(host, ref->ifindex);
            if (!link || link->name != ref->name)
                throw Error(Exit::conflict, fmt::format("host interface {} (ifindex {}) changed since pm-tc setup (run "
                                                        "pm-tc teardown --force and setup again)",
                                                        ref->name, ref->ifindex));
            devs.set(d, &host, ref->ifindex, ref->name);
            if (!nl::find_qdisc(host, ref->ifindex, TC_H_INGRESS))
                throw Error(Exit::not_found,
                            "the ingress qdisc of " + ref->name + " is gone (run pm-tc setup again)");
        }
        resolve_flow_device(host, devs, rec);
        for (const auto& t : rec.tables)
            if (!nl::get_u32(host, devs.addr(t.dev, t.prio, t.protocol), nl::u32_handle(t.htid, 0, 0)))
                throw Error(Exit::not_found, fmt::format("the shared table {} on {} is gone (run pm-tc setup again)",
                                                         t.name, devs.name(t.dev)));
    }
    void resolve_veth(const NetnsRecord& n) {
        auto link = nl::find_link(host, n.host_veth);
        if (!link) throw Error(Exit::not_found, "container '" + n.id + "' has no host veth '" + n.host_veth + "'");
        if (n.host_veth_ifindex && link->ifindex != n.host_veth_ifindex)
            throw Error(Exit::conflict, fmt::format("veth {} has ifindex {}, but netns.json says {}", n.host_veth,
                                                    link->ifindex, n.host_veth_ifindex));
        devs.set(Dev::veth, &host, link->ifindex, link->name);
    }
    void open_container(const NetnsRecord& n) {
        {
            NetnsGuard inside(n.netns_path);
            container = std::make_unique<nl::Socket>();
        }
        auto lo = nl::find_loopback(*container);
        if (!lo) throw Error(Exit::not_found, "container '" + n.id + "' has no loopback interface");
        auto eth0 = nl::find_link(*container, n.container_ifname);
        if (!eth0) throw Error(Exit::not_found, "container '" + n.id + "' has no interface '" + n.container_ifname + "'");
        devs.set(Dev::c_lo, container.get(), lo->ifindex, lo->name);
        devs.set(Dev::c_eth0, container.get(), eth0->ifindex, eth0->name);
    }
};

DevRef& dev_ref(TcRecord& rec, Dev d) {
    switch (d) {
        case Dev::eth0:
        case Dev::eth0_out: return rec.eth0;
        case Dev::lo: return rec.lo;
        case Dev::veth: return rec.veth;
        case Dev::c_lo: return rec.c_lo;
        case Dev::c_eth0: return rec.c_eth0;
    }
    return rec.veth;
}

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
    return out;
}

void require_admin() { require_capability(CAP_NET_ADMIN, "CAP_NET_ADMIN", "changing traffic control"); }

// Removes everything `rec` lists, tolerating objects that are already gone
// (veth deleted, namespace destroyed).  Host eth0/lo leaves go first, so
// inbound steering never points into a half-removed path.
void detach_record(const StateDir& state, const TcRecord& rec) {
    std::vector<std::string> errors;
    auto attempt = [&](const std::string& what, const std::function<void()>& fn) {
        try {
            fn();
        } catch (const Error& e) {
            errors.push_back(what + ": " + e.what());
        }
    };
    Session s;
    for (Dev d : {Dev::eth0, Dev::lo}) {
        const DevRef& ref = d == Dev::eth0 ? rec.eth0 : rec.lo;
        auto link = nl::find_link(s.host, ref.ifindex);
        if (link && link->name == ref.name && nl::find_qdisc(s.host, ref.ifindex, TC_H_INGRESS))
            s.devs.set(d, &s.host, ref.ifindex, ref.name);
    }
    resolve_flow_device(s.host, s.devs, rec);
    for (auto it = rec.filters.rbegin(); it != rec.filters.rend(); ++it)
        if ((it->dev == Dev::eth0 || it->dev == Dev::lo || it->dev == Dev::eth0_out) && s.devs.has(it->dev))
            attempt(it->role, [&] { remove_leaf(*it, s.devs, rec.veth.ifindex); });

    const auto tables = container_tables(HostFacts::parse(rec.address, rec.mac));
    // Our own tables on a device only this container uses: drop whole priorities.
    auto clear = [&](nl::Socket& sock, Dev d, const DevRef& ref) {
        auto link = nl::find_link(sock, ref.ifindex);
        if (!link || link->name != ref.name) return;
        const std::string name = device_text(d, ref.name);
        // Our own ingress qdisc goes as a whole, with every filter under it.
        if (ref.qdisc_created) {
            if (nl::delete_qdisc(sock, ref.ifindex, TC_H_INGRESS, name)) diag::info("removed the ingress qdisc from " + name);
            return;
        }
        for (const auto& t : tables)
            if (t.dev == d && remove_table(sock, ref.ifindex, t.prio, t.protocol, t.htid))
                diag::info(fmt::format("removed filter priority {} ({}) from {}", t.prio, t.name, name));
    };
    if (!rec.netns.empty() && std::filesystem::exists(rec.netns)) {
        std::unique_ptr<nl::Socket> csock;
        try {
            NetnsGuard inside(rec.netns);
            csock = std::make_unique<nl::Socket>();
        } catch (const Error& e) {
            diag::warning("container namespace unavailable, skipping its filters: " + std::string(e.what()));
        }
        if (csock && (rec.shaping.egress || rec.state != "attached"))
            attempt("container eth0 shaper", [&] { remove_recorded_shaper(*csock, rec.c_eth0, device_text(Dev::c_eth0, rec.c_eth0.name)); });
        if (csock) {
            attempt("container eth0", [&] { clear(*csock, Dev::c_eth0, rec.c_eth0); });
            attempt("container lo", [&] { clear(*csock, Dev::c_lo, rec.c_lo); });
        }
    }
    if (rec.shaping.ingress || rec.state != "attached")
        attempt("veth shaper", [&] { remove_recorded_shaper(s.host, rec.veth, "veth " + rec.veth.name); });
    attempt("host veth", [&] { clear(s.host, Dev::veth, rec.veth); });
    if (!errors.empty()) throw Error(Exit::failure, "cannot detach '" + rec.id + "' completely: " + join(errors));
    remove_tc(state, rec.id);
    diag::info("removed " + state.container_file(rec.id, "tc.json").string());
}

bool same_attachment(const TcRecord& rec, const Inputs& in, const Devices& devs) {
    return rec.veth.name == devs.name(Dev::veth) && rec.veth.ifindex == devs.ifindex(Dev::veth) &&
           rec.ephemeral == in.alloc.ephemeral && rec.ports == in.alloc.ports && rec.address == in.host.address;
}

}  // namespace

Outcome attach(const StateDir& state, double wait, const std::string& id, const ShapingChange& shape) {
    validate_container_id(id);
    require_admin();
    const Shaping want = shape.apply_to({});
    require_kernel_support(want);  // 69 before anything changes
    HostBeforeLock host(state);  // a clear message before taking the lock
    StateLock lock(state.lock_file(), wait);
    Inputs in = load_inputs(state, id, std::move(host));
    const auto blocks = port_blocks(in.alloc.all_ports());
    const uint32_t mirror = mirror_node(in.alloc.ephemeral);

    Session s;
    s.resolve_host(in.host);
    s.resolve_veth(in.netns);
    if (auto old = load_tc(state, id)) {
        if (old->state == "attached") {
            if (same_attachment(*old, in, s.devs)) {
                if (!old->shaping.same(want))
                    throw Error(Exit::conflict, "'" + id + "' is attached with other limits; use pm-tc update");
                diag::info("'" + id + "' is already attached");
                return Outcome::unchanged;
            }
            throw Error(Exit::conflict, fmt::format("'{}' is attached with other ports or another veth (ports {}, "
                                                    "ephemeral {}); use pm-tc update or detach first",
                                                    id, old->ports.to_string(), old->ephemeral.to_string()));
        }
        diag::warning("cleaning up an unfinished " + old->state + " of '" + id + "'");
        detach_record(state, *old);
    }
    s.open_container(in.netns);

    TcRecord rec;
    rec.id = id;
    rec.state = "attaching";
    rec.netns = in.netns.netns_path;
    for (Dev d : {Dev::eth0, Dev::lo, Dev::veth, Dev::c_lo, Dev::c_eth0})
        dev_ref(rec, d) = {s.devs.name(d), s.devs.ifindex(d), false};
    rec.address = in.host.address;
    rec.mac = in.host.mac;
    rec.ephemeral = in.alloc.ephemeral;
    rec.ports = in.alloc.ports;
    rec.mirror = mirror;
    if (auto flows = flow_config(in.host)) rec.flow = allocate_flow(state, *flows, id);  // 75 when none is free
    rec.filters = container_leaves(in.facts, blocks, mirror);
    for (auto& leaf : flow_leaves(blocks, rec.flow)) rec.filters.push_back(std::move(leaf));
    rec.shaping = want;
    // The ingress qdiscs this attach will make are recorded as ours in the
    // write-ahead record, so no second save is needed once they exist: a
    // device without one now gets ours (the devices are the container's own
    // and we hold the lock).  A crash before its creation leaves a record
    // whose detach finds no qdisc there, which is fine.
    constexpr Dev kOwnDevs[] = {Dev::veth, Dev::c_lo, Dev::c_eth0};
    for (Dev d : kOwnDevs)
        dev_ref(rec, d).qdisc_created = !nl::find_qdisc(s.devs.sock(d), s.devs.ifindex(d), TC_H_INGRESS);
    save_tc(state, rec);  // write-ahead: a crash from here on leaves a record to clean up with

    UndoStack undo;
    undo.push("remove the record " + state.container_file(id, "tc.json").string(), [&] {
        if (!undo.failed()) remove_tc(state, id);
    });
    bool as_planned = true;
    for (Dev d : kOwnDevs) {
        nl::Socket& sock = s.devs.sock(d);
        const int ifindex = s.devs.ifindex(d);
        const std::string name = device_text(d, s.devs.name(d));
        const bool created = nl::ensure_ingress_qdisc(sock, ifindex, name);
        // Someone else added or removed one since the check: record the truth.
        as_planned &= dev_ref(rec, d).qdisc_created == created;
        dev_ref(rec, d).qdisc_created = created;
        if (created) {
            undo.push("delete the ingress qdisc of " + name, [&sock, ifindex, name] { nl::delete_qdisc(sock, ifindex, TC_H_INGRESS, name); });
            diag::info("added the ingress qdisc to " + name);
            s.devs.set_fresh(d);
        }
    }
    if (!as_planned) save_tc(state, rec);
    rec.tables = ensure_tables(s.devs, container_tables(in.facts), undo);
    for (const auto& leaf : rec.filters) add_leaf(leaf, s.devs, undo);
    apply_shaping(s.devs, {}, want, undo);
    diag::info(fmt::format("attached '{}': {} filters for ports {}", id, rec.filters.size(),
                           in.alloc.all_ports().to_string()));
    rec.state = "attached";
    save_tc(state, rec);
    undo.commit();
    return Outcome::changed;
}

Outcome update(const StateDir& state, double wait, const std::string& id, const ShapingChange& shape) {
    validate_container_id(id);
    require_admin();
    HostBeforeLock host(state);
    StateLock lock(state.lock_file(), wait);
    auto old = load_tc(state, id);
    if (!old) throw Error(Exit::not_found, "'" + id + "' is not attached (run pm-tc attach first)");
    if (old->state == "attaching")
        throw Error(Exit::conflict, "an earlier attach of '" + id + "' did not finish; run pm-tc attach or detach");
    const Shaping want = shape.apply_to(old->shaping);
    const bool reshape = !want.same(old->shaping);
    if (reshape) require_kernel_support(want);
    Inputs in = load_inputs(state, id, std::move(host));
    Session s;
    s.resolve_host(in.host);
    s.resolve_veth(in.netns);
    if (old->veth.name != s.devs.name(Dev::veth) || old->veth.ifindex != s.devs.ifindex(Dev::veth))
        throw Error(Exit::conflict, "'" + id + "' has a new veth since it was attached; detach and attach again");

    const auto new_blocks = port_blocks(in.alloc.all_ports());
    auto new_leaves = container_leaves(in.facts, new_blocks, mirror_node(in.alloc.ephemeral));
    for (auto& leaf : flow_leaves(new_blocks, old->flow)) new_leaves.push_back(std::move(leaf));
    LeafDiff d = diff_leaves(old->filters, new_leaves);
    TcRecord rec = *old;
    if (d.add.empty() && d.remove.empty() && !reshape) {
        if (rec.ports != in.alloc.ports || rec.state != "attached") {
            rec.ports = in.alloc.ports;
            rec.state = "attached";
            save_tc(state, rec);
        }
        diag::info("'" + id + "': nothing to change");
        return Outcome::unchanged;
    }
    bool touches_container = false;
    for (const auto* list : {&d.add, &d.remove})
        for (const auto& l : *list) touches_container |= in_container(l.dev);
    if (touches_container || reshape) s.open_container(in.netns);

    // Write-ahead: old and new filters together, so a crash leaves nothing unrecorded.
    rec.state = "updating";
    rec.filters.insert(rec.filters.end(), d.add.begin(), d.add.end());
    rec.shaping = covering(old->shaping, want);
    save_tc(state, rec);
    {
        UndoStack undo;
        undo.push("restore the record", [&] { save_tc(state, *old); });
        for (const auto& leaf : d.add) add_leaf(leaf, s.devs, undo);
        apply_shaping(s.devs, old->shaping, want, undo);
        undo.commit();
    }
    // New paths are in place; now retire the old ones, host side first.
    std::stable_sort(d.remove.begin(), d.remove.end(), [](const Leaf& a, const Leaf& b) { return phase(a.dev) > phase(b.dev); });
    for (const auto& leaf : d.remove) remove_leaf(leaf, s.devs, leaf.dev == Dev::eth0 || leaf.dev == Dev::lo ? rec.veth.ifindex : 0);
    rec.filters = new_leaves;
    rec.ephemeral = in.alloc.ephemeral;
    rec.ports = in.alloc.ports;
    rec.mirror = mirror_node(in.alloc.ephemeral);
    rec.shaping = want;
    rec.state = "attached";
    save_tc(state, rec);
    diag::info(fmt::format("updated '{}': {} filters added, {} removed, {} kept", id, d.add.size(), d.remove.size(), d.kept));
    return Outcome::changed;
}

Outcome detach_locked(const StateDir& state, const std::string& id) {
    auto rec = load_tc(state, id);
    if (!rec) {
        diag::info("'" + id + "' is not attached");
        return Outcome::unchanged;
    }
    detach_record(state, *rec);
    return Outcome::changed;
}

std::vector<Collected> gc(const StateDir& state, double wait) {
    require_admin();
    std::vector<Collected> out;
    if (!state.exists()) return out;
    StateLock lock(state.lock_file(), wait);
    remove_stale_record_temps(state, {"tc.json"}, {state.host_file()});  // of writers killed mid-write
    nl::Socket sock;
    std::vector<std::string> errors;
    for (const auto& id : attached_ids(state)) {
        auto rec = load_tc(state, id);
        if (!rec) continue;
        auto veth = nl::find_link(sock, rec->veth.ifindex);
        std::string reason;
        if (!veth || veth->name != rec->veth.name)
            reason = "veth " + rec->veth.name + " is gone";
        else if (rec->state == "attaching")  // under the lock, so no attach is running
            reason = "unfinished attach";
        if (reason.empty()) continue;
        try {
            detach_record(state, *rec);
            out.push_back({id, reason});
        } catch (const Error& e) {
            errors.push_back(e.what());
        }
    }
    if (!errors.empty()) throw Error(Exit::failure, join(errors));
    return out;
}

Outcome detach(const StateDir& state, double wait, const std::string& id) {
    validate_container_id(id);
    require_admin();
    if (!state.exists()) return Outcome::unchanged;
    StateLock lock(state.lock_file(), wait);
    return detach_locked(state, id);
}

}  // namespace pm::tc
