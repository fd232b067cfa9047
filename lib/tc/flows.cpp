#include "tc/flows.hpp"

#include <fmt/format.h>
#include <linux/if_ether.h>
#include <linux/pkt_sched.h>
#include <netinet/in.h>

#include <set>

#include "core/diag.hpp"
#include "core/error.hpp"
#include "nl/fq_codel.hpp"
#include "nl/link.hpp"
#include "nl/qdisc.hpp"
#include "nl/tc_handle.hpp"
#include "nl/u32.hpp"
#include "state/record_io.hpp"

namespace pm::tc {
namespace {

constexpr const char* kKey = "unique_flows";

std::string parent_text(uint32_t parent) { return parent == TC_H_ROOT ? "root" : nl::format_tc_handle(parent); }

uint32_t parse_parent(const std::string& text) {
    if (text == "root") return TC_H_ROOT;
    uint32_t p = 0;
    try {
        p = nl::parse_tc_handle(text);
    } catch (const Error&) {
        throw Error(Exit::bad_value, "bad --flow-parent '" + text + "': expected root or a class MAJ:MIN (hex, as tc prints it)");
    }
    if (TC_H_MIN(p) == 0 || TC_H_MAJ(p) == 0 || TC_H_MAJ(p) >= 0xfffe0000u)
        throw Error(Exit::bad_value, "bad --flow-parent '" + text + "': not a class (MAJ:MIN, both non-zero)");
    return p;
}

// The classifiers of the host's own traffic, made once by setup.
std::vector<Leaf> host_leaves(const FlowConfig& cfg) {
    auto leaf = [&](const char* role, uint16_t prio, uint16_t proto, uint32_t htid, const char* match, uint32_t flow) {
        return Leaf{role, Dev::eth0_out, prio, proto, nl::u32_handle(htid, 0, 1), {keys::all()}, Act::classify,
                    Dev::eth0_out, match, cfg.classid(flow)};
    };
    return {leaf("flow-arp", kPrioArp, ETH_P_ARP, kHtArp, "arp", kArpIcmpFlow),
            leaf("flow-icmp", kPrioIcmp, ETH_P_IP, kHtIcmp, "icmp", kArpIcmpFlow),
            leaf("flow-host", kPrioDefault, ETH_P_ALL, kHtHost, "all", kHostFlow)};
}

bool is_ours(const std::optional<nl::QdiscEntry>& q, const FlowConfig& cfg) {
    return q && q->kind == "fq_codel" && q->handle == cfg.handle;
}

}  // namespace

Json FlowConfig::to_json() const {
    return {{"parent", parent_text(parent)}, {"handle", nl::format_tc_handle(handle)}, {"flows", flows}};
}

FlowConfig FlowConfig::from_json(const Json& j) {
    FlowConfig c;
    c.parent = parse_parent(json_get<std::string>(j, "parent"));
    c.handle = nl::parse_tc_handle(json_get<std::string>(j, "handle"));
    c.flows = json_get<uint32_t>(j, "flows");
    return c;
}

std::optional<FlowConfig> flow_config(const HostRecord& host) {
    if (!host.extra.contains(kKey)) return std::nullopt;
    return FlowConfig::from_json(host.extra.at(kKey));
}

void set_flow_config(HostRecord& host, const std::optional<FlowConfig>& cfg) {
    if (cfg)
        host.extra[kKey] = cfg->to_json();
    else
        host.extra.erase(kKey);
}

std::vector<Table> flow_tables() {
    auto l4 = [](uint8_t p) { return std::vector<nl::U32Key>{keys::ihl5(), keys::first_fragment(), keys::proto(p)}; };
    return {
        {"eth0-out-arp", Dev::eth0_out, kPrioArp, ETH_P_ARP, kHtArp, 1, 0, {{keys::all()}}},
        {"eth0-out-icmp", Dev::eth0_out, kPrioIcmp, ETH_P_IP, kHtIcmp, 1, 0, {{keys::proto(IPPROTO_ICMP)}}},
        {"eth0-out-flows", Dev::eth0_out, kPrioOut, ETH_P_IP, kHtOut, 256, kHashSport, {l4(IPPROTO_TCP), l4(IPPROTO_UDP)}},
        {"eth0-out-host", Dev::eth0_out, kPrioDefault, ETH_P_ALL, kHtHost, 1, 0, {{keys::all()}}},
    };
}

std::optional<FlowConfig> plan_flows(nl::Socket& sock, int eth0, const std::string& eth0_name, const FlowOptions& opt,
                                     const std::optional<FlowConfig>& recorded) {
    if (!opt.enable) {
        if (!opt.flows.empty() || !opt.parent.empty()) throw Error(Exit::usage, "--flows and --flow-parent need --unique-flows");
        if (!recorded) return std::nullopt;
    }
    FlowConfig cfg = recorded.value_or(FlowConfig{TC_H_ROOT, 0, kDefaultFlows});
    if (!opt.flows.empty()) {
        const bool digits = opt.flows.size() <= 6 &&
                            opt.flows.find_first_not_of("0123456789") == std::string::npos;
        const unsigned long n = digits ? std::stoul(opt.flows) : 0;
        if (n < kFirstContainerFlow + 1 || n > kMaxFlows)
            throw Error(Exit::bad_value, fmt::format("bad --flows '{}': a number from {} to {} (flows 1 and 2 are the "
                                                     "host's, containers get 3 to N-1)",
                                                     opt.flows, kFirstContainerFlow + 1, kMaxFlows));
        cfg.flows = static_cast<uint32_t>(n);
    }
    if (!opt.parent.empty()) cfg.parent = parse_parent(opt.parent);
    // Mesos's choice: 1: at the root, else the parent's major + 1.
    cfg.handle = cfg.parent == TC_H_ROOT ? nl::tc_handle(1, 0) : TC_H_MAJ(cfg.parent) + 0x10000u;
    if (recorded && !(cfg == *recorded))
        throw Error(Exit::conflict, fmt::format("the host is set up with unique flows {} (pm-tc teardown first)",
                                                recorded->to_json().dump()));
    nl::require_fq_codel("unique flows need it on " + eth0_name);

    const std::string where = cfg.parent == TC_H_ROOT ? "root" : "class " + nl::format_tc_handle(cfg.parent);
    auto at = nl::find_qdisc(sock, eth0, cfg.parent);
    if (recorded && is_ours(at, cfg)) return cfg;
    // Handle 0 is the kernel's default qdisc (noqueue, pfifo_fast, mq...), which any add replaces.
    if (at && at->handle != 0)
        throw Error(Exit::conflict,
                    fmt::format("{} already has a '{}' qdisc {} at its {} that pm-tc did not make; pm-tc does not "
                                "replace it (remove it, or put the flows under one of its classes with --flow-parent)",
                                eth0_name, at->kind, nl::format_tc_handle(at->handle), where));
    if (cfg.parent != TC_H_ROOT && !nl::find_qdisc_by_handle(sock, eth0, TC_H_MAJ(cfg.parent)))
        throw Error(Exit::not_found, fmt::format("{} has no qdisc {} for --flow-parent {}", eth0_name,
                                                 nl::format_tc_handle(TC_H_MAJ(cfg.parent)), parent_text(cfg.parent)));
    if (auto other = nl::find_qdisc_by_handle(sock, eth0, cfg.handle))
        throw Error(Exit::conflict, fmt::format("{} already has a '{}' qdisc with handle {}, the one the flow qdisc needs",
                                                eth0_name, other->kind, nl::format_tc_handle(cfg.handle)));
    return cfg;
}

void apply_flows(nl::Socket& sock, const FlowConfig& cfg, HostRecord& rec, UndoStack& undo) {
    const int ifindex = rec.eth0.ifindex;
    const std::string what = rec.eth0.name + " (unique flows)";
    if (!is_ours(nl::find_qdisc(sock, ifindex, cfg.parent), cfg)) {
        nl::add_fq_codel(sock, ifindex, cfg.parent, cfg.handle, what, false, static_cast<int>(cfg.flows));
        undo.push("delete the flow qdisc of " + rec.eth0.name,
                  [&sock, ifindex, parent = cfg.parent, what] { nl::delete_qdisc(sock, ifindex, parent, what); });
        diag::info(fmt::format("added fq_codel {} ({} flows) at {} of {}", nl::format_tc_handle(cfg.handle), cfg.flows,
                               parent_text(cfg.parent), rec.eth0.name));
    }
    Devices devs;
    devs.set(Dev::eth0_out, &sock, ifindex, rec.eth0.name, cfg.handle);
    for (auto& t : ensure_tables(devs, flow_tables(), undo)) rec.tables.push_back(std::move(t));
    for (const auto& l : host_leaves(cfg)) add_leaf(l, devs, undo);
}

void remove_flows(nl::Socket& sock, const HostRecord& host) {
    auto cfg = flow_config(host);
    if (!cfg) return;
    auto link = nl::find_link(sock, host.eth0.ifindex);
    if (!link || link->name != host.eth0.name) return;
    auto at = nl::find_qdisc(sock, host.eth0.ifindex, cfg->parent);
    if (!is_ours(at, *cfg)) {
        if (at) diag::warning(fmt::format("left the '{}' qdisc at {} of {} alone: it is not the flow qdisc pm-tc made", at->kind,
                                          parent_text(cfg->parent), host.eth0.name));
        return;
    }
    if (nl::delete_qdisc(sock, host.eth0.ifindex, cfg->parent, host.eth0.name))
        diag::info("removed the flow qdisc from " + host.eth0.name);
}

void resolve_flow_device(nl::Socket& sock, Devices& devs, const HostRecord& host) {
    auto cfg = flow_config(host);
    if (!cfg) return;
    if (!is_ours(nl::find_qdisc(sock, host.eth0.ifindex, cfg->parent), *cfg))
        throw Error(Exit::not_found, "the unique-flow qdisc of " + host.eth0.name + " is gone (run pm-tc setup again)");
    devs.set(Dev::eth0_out, &sock, host.eth0.ifindex, host.eth0.name, cfg->handle);
}

bool resolve_flow_device(nl::Socket& sock, Devices& devs, const TcRecord& rec) {
    if (!rec.flow) return false;
    auto link = nl::find_link(sock, rec.eth0.ifindex);
    if (!link || link->name != rec.eth0.name) return false;
    const uint32_t handle = TC_H_MAJ(rec.flow);
    auto q = nl::find_qdisc_by_handle(sock, rec.eth0.ifindex, handle);
    if (!q || q->kind != "fq_codel") return false;
    devs.set(Dev::eth0_out, &sock, rec.eth0.ifindex, rec.eth0.name, handle);
    return true;
}

uint32_t allocate_flow(const StateDir& state, const FlowConfig& cfg, const std::string& id) {
    std::set<uint32_t> used;
    for (const auto& other : attached_ids(state)) {
        if (other == id) continue;
        auto rec = load_tc(state, other);
        if (rec && rec->flow && TC_H_MAJ(rec->flow) == cfg.handle) used.insert(TC_H_MIN(rec->flow));
    }
    for (uint32_t f = kFirstContainerFlow; f < cfg.flows; ++f)
        if (!used.count(f)) return cfg.classid(f);
    throw Error(Exit::temporary,
                fmt::format("no free flow for '{}': all {} container flows ({}-{}) of the unique-flow qdisc are taken "
                            "(detach a container, or set the host up again with more --flows)",
                            id, cfg.flows - kFirstContainerFlow, kFirstContainerFlow, cfg.flows - 1));
}

std::vector<Leaf> flow_leaves(const std::vector<PortBlock>& blocks, uint32_t classid) {
    std::vector<Leaf> out;
    if (!classid) return out;
    for (const auto& b : blocks)
        for (uint32_t bucket : buckets(b))
            out.push_back({"flow", Dev::eth0_out, kPrioOut, ETH_P_IP, nl::u32_handle(kHtOut, bucket, leaf_node(b)),
                           {keys::sport(b)}, Act::classify, Dev::eth0_out,
                           fmt::format("sport {} -> flow {}", b.range().to_string(), TC_H_MIN(classid)), classid});
    return out;
}

}  // namespace pm::tc
