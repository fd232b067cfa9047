#include "tc/host.hpp"

#include <fmt/format.h>
#include <linux/capability.h>
#include <linux/pkt_sched.h>

#include "core/diag.hpp"
#include "core/error.hpp"
#include "nl/address.hpp"
#include "nl/link.hpp"
#include "nl/qdisc.hpp"
#include "nl/route.hpp"
#include "nl/u32.hpp"
#include "state/json_file.hpp"
#include "state/record_io.hpp"
#include "state/lock.hpp"
#include "sys/privileges.hpp"
#include "tc/apply.hpp"
#include "tc/steering.hpp"
#include "core/undo.hpp"

namespace pm::tc {
namespace {

nl::Link resolve_eth0(nl::Socket& sock, const std::string& name) {
    if (!name.empty()) {
        auto link = nl::find_link(sock, name);
        if (!link) throw Error(Exit::not_found, "no interface '" + name + "'");
        if (link->loopback()) throw Error(Exit::bad_value, "'" + name + "' is a loopback interface, not the public one");
        return *link;
    }
    auto route = nl::find_default_route(sock);
    if (!route) throw Error(Exit::not_found, "cannot find the host's public interface: no IPv4 default route (use --eth0)");
    auto link = nl::find_link(sock, route->ifindex);
    if (!link) throw Error(Exit::not_found, "the default route's interface disappeared");
    return *link;
}

nl::Link resolve_lo(nl::Socket& sock, const std::string& name) {
    auto link = name.empty() ? nl::find_loopback(sock) : nl::find_link(sock, name);
    if (!link) throw Error(Exit::not_found, name.empty() ? std::string("no loopback interface") : "no interface '" + name + "'");
    if (!link->loopback()) throw Error(Exit::bad_value, "'" + link->name + "' is not a loopback interface");
    return *link;
}

HostRecord required(std::optional<HostRecord> host) {
    if (!host) throw Error(Exit::not_found, "the host is not set up for steering (run pm-tc setup first)");
    return std::move(*host);
}

}  // namespace

HostRecord require_host(const StateDir& state) { return required(load_host(state)); }

HostBeforeLock::HostBeforeLock(const StateDir& state)
    : state_(state), rec_(required(load_record<HostRecord>(state.host_file(), file_))) {}

HostRecord HostBeforeLock::under_lock() && {
    if (still_names(state_.host_file(), file_.get())) return std::move(rec_);
    return require_host(state_);
}

HostRecord setup_host(const StateDir& state, double wait, const SetupOptions& opt) {
    require_capability(CAP_NET_ADMIN, "CAP_NET_ADMIN", "changing traffic control");
    state.ensure();
    StateLock lock(state.lock_file(), wait);
    auto existing = load_host(state);

    auto pick = [](const std::string& given, const std::string& recorded, const char* what) {
        if (!given.empty() && !recorded.empty() && given != recorded)
            throw Error(Exit::conflict, fmt::format("the host is set up with {} '{}', not '{}' (pm-tc teardown first)", what,
                                                    recorded, given));
        return given.empty() ? recorded : given;
    };
    nl::Socket sock;
    nl::Link eth0 = resolve_eth0(sock, pick(opt.eth0, existing ? existing->eth0.name : "", "--eth0"));
    nl::Link lo = resolve_lo(sock, pick(opt.lo, existing ? existing->lo.name : "", "--lo"));
    auto addrs = nl::ipv4_addresses(sock, eth0.ifindex);
    if (addrs.empty()) throw Error(Exit::not_found, "'" + eth0.name + "' has no IPv4 address");
    if (eth0.mac.empty()) throw Error(Exit::not_found, "'" + eth0.name + "' has no MAC address");

    HostRecord rec;
    rec.eth0 = {eth0.name, eth0.ifindex, false};
    rec.lo = {lo.name, lo.ifindex, false};
    rec.address = addrs.front().to_string();
    rec.mac = eth0.mac;
    if (existing) {
        if (existing->eth0.ifindex != rec.eth0.ifindex || existing->lo.ifindex != rec.lo.ifindex ||
            existing->address != rec.address || existing->mac != rec.mac)
            throw Error(Exit::conflict,
                        fmt::format("the host was set up for {} {} {}; it now has {} {} {} (pm-tc teardown first)",
                                    existing->eth0.name, existing->address, existing->mac, rec.eth0.name, rec.address,
                                    rec.mac));
        rec.eth0.qdisc_created = existing->eth0.qdisc_created;
        rec.lo.qdisc_created = existing->lo.qdisc_created;
        rec.extra = existing->extra;
    }
    // Checked before anything changes: a missing fq_codel is 69, a foreign qdisc 73.
    const auto existing_flows = existing ? flow_config(*existing) : std::nullopt;
    const auto flows = plan_flows(sock, rec.eth0.ifindex, rec.eth0.name, opt.flows, existing_flows);
    if (flows && !existing_flows && !attached_ids(state).empty())
        throw Error(Exit::conflict, "containers are attached without unique flows; detach them before pm-tc setup --unique-flows");
    set_flow_config(rec, flows);

    UndoStack undo;
    for (DevRef* d : {&rec.eth0, &rec.lo}) {
        if (nl::ensure_ingress_qdisc(sock, d->ifindex, "'" + d->name + "'")) {
            d->qdisc_created = true;
            undo.push("delete the ingress qdisc of " + d->name,
                      [&sock, ifindex = d->ifindex, name = d->name] { nl::delete_qdisc(sock, ifindex, TC_H_INGRESS, name); });
            diag::info("added the ingress qdisc to " + d->name);
        }
    }
    Devices devs;
    devs.set(Dev::eth0, &sock, rec.eth0.ifindex, rec.eth0.name);
    devs.set(Dev::lo, &sock, rec.lo.ifindex, rec.lo.name);
    rec.tables = ensure_tables(devs, host_tables(HostFacts::parse(rec.address, rec.mac)), undo);
    if (flows) apply_flows(sock, *flows, rec, undo);

    if (!existing || existing->to_json() != rec.to_json()) {
        save_host(state, rec);
        diag::info("recorded " + state.host_file().string());
    }
    undo.commit();
    return rec;
}

void teardown_host(const StateDir& state, double wait, bool force) {
    require_capability(CAP_NET_ADMIN, "CAP_NET_ADMIN", "changing traffic control");
    if (!state.exists()) return;
    StateLock lock(state.lock_file(), wait);
    auto ids = attached_ids(state);
    if (!ids.empty() && !force) {
        std::string list;
        for (const auto& id : ids) list += (list.empty() ? "" : ", ") + id;
        throw Error(Exit::conflict, fmt::format("{} container(s) still attached ({}); detach them or use --force", ids.size(), list));
    }
    std::vector<std::string> errors;
    for (const auto& id : ids) {
        try {
            detach_locked(state, id);
        } catch (const Error& e) {
            errors.push_back(id + ": " + e.what());
        }
    }
    auto host = load_host(state);
    if (!host) {
        if (!errors.empty()) throw Error(Exit::failure, "teardown incomplete: " + errors.front());
        return;
    }
    nl::Socket sock;
    try {
        remove_flows(sock, *host);  // the flow qdisc goes with every classifier under it
    } catch (const Error& e) {
        errors.push_back(host->eth0.name + " egress: " + e.what());
    }
    for (const DevRef* d : {&host->eth0, &host->lo}) {
        auto link = nl::find_link(sock, d->ifindex);
        if (!link || link->name != d->name) {
            diag::warning(d->name + " is gone; nothing to remove there");
            continue;
        }
        try {
            // Our own ingress qdisc goes as a whole; in one we found, only our tables.
            if (d->qdisc_created) {
                if (nl::delete_qdisc(sock, d->ifindex, TC_H_INGRESS, d->name))
                    diag::info("removed the ingress qdisc from " + d->name);
                continue;
            }
            for (const auto& t : host->tables) {
                if (t.dev == Dev::eth0_out || (t.dev == Dev::eth0 ? &host->eth0 : &host->lo) != d) continue;
                if (remove_table(sock, d->ifindex, t.prio, t.protocol, t.htid))
                    diag::info(fmt::format("removed filter priority {} ({}) from {}", t.prio, t.name, d->name));
            }
        } catch (const Error& e) {
            errors.push_back(d->name + ": " + e.what());
        }
    }
    if (!errors.empty()) {
        std::string all;
        for (const auto& e : errors) all += (all.empty() ? "" : "; ") + e;
        throw Error(Exit::failure, "teardown incomplete: " + all);
    }
    remove_file(state.host_file());
    diag::info("removed " + state.host_file().string());
}

}  // namespace pm::tc
