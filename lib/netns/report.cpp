#include "netns/report.hpp"

#include "core/container_id.hpp"
#include "core/error.hpp"
#include "netns/handle.hpp"
#include "netns/host_facts.hpp"
#include "netns/host_settings.hpp"
#include "netns/processes.hpp"
#include "nl/link.hpp"
#include "state/records.hpp"

namespace pm::netns {
namespace {

std::string range_text(const Json& r) {
    if (!r.is_object() || !r.contains("begin") || !r.contains("end")) return "-";
    return std::to_string(r["begin"].get<uint64_t>()) + "-" + std::to_string(r["end"].get<uint64_t>());
}

NetnsRecord require_record(const StateDir& state, const std::string& id) {
    validate_container_id(id);
    auto rec = load_netns(state, id);
    if (!rec) throw Error(Exit::not_found, "container " + id + " has no network namespace");
    return *rec;
}

}  // namespace

Table list_table(const StateDir& state) {
    Table table({{"id", "ID"},
                 {"host_veth", "VETH"},
                 {"host_veth_ifindex", "IFINDEX", true},
                 {"address", "ADDRESS"},
                 {"ephemeral_ports", "EPHEMERAL", false, range_text},
                 {"adopted_pid", "PID", true},
                 {"netns", "NETNS"}});
    for (const auto& id : state.container_ids())
        if (auto rec = load_netns(state, id)) table.add_row(rec->to_json());
    return table;
}

Json show_json(const StateDir& state, const std::string& id) {
    NetnsRecord rec = require_record(state, id);
    Json out = rec.to_json();
    const auto handle = state.netns_handle(id);
    const bool mounted = is_netns_handle(handle);
    out["handle_mounted"] = mounted;
    nl::Socket sock;
    auto veth = nl::find_link(sock, rec.host_veth);
    out["veth_present"] = veth && veth->ifindex == rec.host_veth_ifindex;
    auto pids = mounted ? pids_in_netns(netns_inode(handle)) : std::vector<pid_t>{};
    out["processes"] = pids.size();
    out["pids"] = pids;
    return out;
}

Json show_text_view(const Json& shown) {
    Json view = Json::object();
    for (auto it = shown.begin(); it != shown.end(); ++it) {
        if (it.key() == "ephemeral_ports")
            view[it.key()] = range_text(it.value());
        else if (it.key() == "pids") {
            std::string s;
            for (const auto& p : it.value()) s += (s.empty() ? "" : " ") + p.dump();
            view[it.key()] = s.empty() ? "-" : s;
        } else if (it.value().is_boolean())
            view[it.key()] = it.value().get<bool>() ? "yes" : "no";
        else
            view[it.key()] = it.value();
    }
    return view;
}

std::string handle_path(const StateDir& state, const std::string& id) {
    return require_record(state, id).netns_path;
}

Json status_json(const StateDir& state) {
    auto rec = load_host_record(state);
    nl::Socket sock;
    // Look the interfaces up by the recorded names; before any create, pick
    // them as create would.
    HostFacts facts;
    if (rec) {
        auto eth0 = nl::find_link(sock, rec->eth0);
        auto lo = nl::find_link(sock, rec->lo);
        if (!eth0) throw Error(Exit::not_found, "the recorded public interface " + rec->eth0 + " no longer exists");
        if (!lo) throw Error(Exit::not_found, "the recorded loopback " + rec->lo + " no longer exists");
        facts.eth0 = *eth0;
        facts.lo = *lo;
    } else {
        facts = discover_host(sock, "", "");
    }
    size_t containers = 0;
    for (const auto& id : state.container_ids())
        if (state.exists() && std::filesystem::exists(state.container_file(id, "netns.json"))) ++containers;

    Json settings = Json::array();
    sysctl::Dirs dirs;
    for (const auto& s : host_settings(facts.eth0, facts.lo, dirs)) {
        Json row = {{"name", s.name}, {"want", s.want}, {"current", s.current ? Json(*s.current) : Json()}, {"ok", s.ok()}};
        row["previous"] = rec && rec->previous.contains(s.name) ? rec->previous[s.name] : Json();
        settings.push_back(row);
    }
    return {{"eth0", facts.eth0.name},
            {"lo", facts.lo.name},
            {"mac", facts.eth0.mac},
            {"mtu", facts.eth0.mtu},
            {"recorded", rec.has_value()},
            {"containers", containers},
            {"settings", settings}};
}

Table status_table(const Json& status) {
    Table table({{"name", "SETTING"},
                 {"want", "WANT"},
                 {"current", "CURRENT"},
                 {"ok", "STATE", false, [](const Json& v) { return std::string(v.get<bool>() ? "ok" : "differs"); }},
                 {"previous", "BEFORE"}});
    for (const auto& row : status["settings"]) table.add_row(row);
    return table;
}

Json status_summary(const Json& status) {
    Json out = Json::object();
    for (auto it = status.begin(); it != status.end(); ++it)
        if (it.key() != "settings") out[it.key()] = it.value().is_boolean() ? Json(it.value().get<bool>() ? "yes" : "no") : it.value();
    return out;
}

}  // namespace pm::netns
