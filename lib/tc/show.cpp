#include "tc/show.hpp"

#include <fmt/format.h>
#include <linux/pkt_sched.h>

#include <map>
#include <memory>

#include "core/container_id.hpp"
#include "core/diag.hpp"
#include "core/error.hpp"
#include "nl/qdisc.hpp"
#include "nl/tc_handle.hpp"
#include "nl/u32.hpp"
#include "output/table.hpp"
#include "sys/netns_enter.hpp"
#include "tc/records.hpp"
#include "tc/shaping.hpp"

namespace pm::tc {
namespace {

using Dump = std::vector<nl::FilterEntry>;

// Dumps one device's ingress filters; nullopt when the device or qdisc is gone.
std::optional<Dump> dump_dev(nl::Socket& sock, int ifindex) {
    if (ifindex <= 0 || !nl::find_qdisc(sock, ifindex, TC_H_INGRESS)) return std::nullopt;
    return nl::dump_filters(sock, ifindex, nl::kIngressParent);
}

Json container_json(const TcRecord& rec, nl::Socket& host, std::map<int, std::optional<Dump>>& host_dumps) {
    std::map<Dev, std::optional<Dump>> dumps;
    auto host_dump = [&](int ifindex) -> std::optional<Dump>& {
        auto it = host_dumps.find(ifindex);
        if (it == host_dumps.end()) it = host_dumps.emplace(ifindex, dump_dev(host, ifindex)).first;
        return it->second;
    };
    dumps[Dev::eth0] = host_dump(rec.eth0.ifindex);
    dumps[Dev::lo] = host_dump(rec.lo.ifindex);
    dumps[Dev::veth] = dump_dev(host, rec.veth.ifindex);
    if (rec.flow && nl::find_qdisc_by_handle(host, rec.eth0.ifindex, TC_H_MAJ(rec.flow)))
        dumps[Dev::eth0_out] = nl::dump_filters(host, rec.eth0.ifindex, TC_H_MAJ(rec.flow));
    std::unique_ptr<nl::Socket> csock;
    try {
        {
            NetnsGuard inside(rec.netns);
            csock = std::make_unique<nl::Socket>();
        }
        dumps[Dev::c_lo] = dump_dev(*csock, rec.c_lo.ifindex);
        dumps[Dev::c_eth0] = dump_dev(*csock, rec.c_eth0.ifindex);
    } catch (const Error& e) {
        diag::warning("'" + rec.id + "': cannot read the container's filters: " + e.what());
    }

    Json filters = Json::array();
    for (const auto& f : rec.filters) {
        const nl::FilterEntry* found = nullptr;
        if (const auto& d = dumps[f.dev])
            for (const auto& e : *d)
                if (e.prio == f.prio && e.handle == f.handle) found = &e;
        std::string action = act_key(f.act);
        if (f.act == Act::classify)
            action += " " + nl::format_tc_handle(f.classid);
        else if (f.act != Act::local)
            action += " " + rec.ifname(f.target);
        Json row = {{"netns", in_container(f.dev) ? "container" : "host"},
                    {"dev", rec.ifname(f.dev)},
                    {"prio", f.prio},
                    {"handle", nl::format_u32_handle(f.handle)},
                    {"role", f.role},
                    {"match", f.match},
                    {"action", action},
                    {"packets", nullptr},
                    {"bytes", nullptr},
                    {"present", found != nullptr}};
        if (found && !found->actions.empty()) {
            uint64_t packets = 0, bytes = 0;
            for (const auto& a : found->actions) packets += a.packets, bytes += a.bytes;
            row["packets"] = packets;
            row["bytes"] = bytes;
        }
        filters.push_back(std::move(row));
    }
    Json blocks = Json::array();
    for (const auto& b : rec.blocks()) blocks.push_back(b.range().to_string());
    Json out = {{"id", rec.id},     {"state", rec.state},   {"host_veth", rec.veth.name},
                {"netns", rec.netns}, {"blocks", blocks}, {"filters", filters}};
    out["flow"] = rec.flow ? Json(TC_H_MIN(rec.flow)) : Json();  // its unique flow (flows.hpp), null when none
    if (rec.shaping.any())
        out["shaping"] = shaping_status(rec.shaping, csock.get(), rec.c_eth0.ifindex, rec.c_eth0.name, &host,
                                        rec.veth.ifindex, rec.veth.name);
    return out;
}

}  // namespace

Json show(const StateDir& state, const std::optional<std::string>& id) {
    std::vector<std::string> ids;
    if (id) {
        validate_container_id(*id);
        if (!state.exists() || !load_tc(state, *id)) throw Error(Exit::not_found, "'" + *id + "' is not attached");
        ids.push_back(*id);
    } else {
        ids = attached_ids(state);
    }
    Json out = Json::array();
    if (ids.empty()) return out;
    nl::Socket host;
    std::map<int, std::optional<Dump>> host_dumps;
    for (const auto& i : ids)
        if (auto rec = load_tc(state, i)) out.push_back(container_json(*rec, host, host_dumps));
    return out;
}

std::string show_text(const Json& containers, bool with_id) {
    std::vector<Column> cols;
    if (with_id) cols.push_back({"id", "ID"});
    auto counter = [](const Json& v) { return v.is_null() ? std::string("-") : v.dump(); };
    for (Column c : std::vector<Column>{{"dev", "DEV"},
                                        {"prio", "PRIO", true},
                                        {"handle", "HANDLE"},
                                        {"role", "ROLE"},
                                        {"match", "MATCH"},
                                        {"action", "ACTION"},
                                        {"packets", "PACKETS", true, counter},
                                        {"bytes", "BYTES", true, counter},
                                        {"present", "STATE", false,
                                         [](const Json& v) { return std::string(v == true ? "ok" : "missing"); }}})
        cols.push_back(c);
    pm::Table table(cols);
    for (const auto& c : containers)
        for (auto row : c["filters"]) {
            row["id"] = c["id"];
            if (row["netns"] == "container") row["dev"] = "c:" + row["dev"].get<std::string>();
            table.add_row(row);
        }
    std::string text = table.to_text();
    if (std::string shaping = shaping_text(containers, with_id); !shaping.empty()) text += "\n" + shaping;
    return text;
}

}  // namespace pm::tc
