#include "netns/host_settings.hpp"

#include <algorithm>

#include "core/diag.hpp"
#include "core/error.hpp"
#include "netns/sysctl_step.hpp"
#include "state/json_file.hpp"
#include "sys/sysctl.hpp"
#include "sys/sysctl_dirs.hpp"

namespace pm::netns {
namespace {

struct SysctlSpec {
    std::vector<std::string> components;  // under /proc/sys
    const char* value;
    bool required;  // missing key = kernel lacks the feature
};

std::vector<SysctlSpec> sysctl_specs(const std::string& lo) {
    return {
        {{"net", "ipv4", "conf", lo, "route_localnet"}, "1", true},
        {{"net", "ipv4", "conf", "all", "rp_filter"}, "0", false},
        {{"net", "ipv4", "conf", lo, "rp_filter"}, "0", false},
        {{"net", "ipv4", "conf", "all", "send_redirects"}, "0", false},
        {{"net", "ipv4", "conf", lo, "send_redirects"}, "0", false},
        {{"net", "ipv4", "conf", lo, "accept_local"}, "1", false},
    };
}

std::string dotted(const std::vector<std::string>& components) {
    std::string out;
    for (const auto& c : components) out += (out.empty() ? "" : ".") + c;
    return out;
}

std::string link_setting(const nl::Link& lo, const char* attr) { return "link." + lo.name + "." + attr; }

}  // namespace

std::vector<HostSetting> host_settings(const nl::Link& eth0, const nl::Link& lo, sysctl::Dirs& dirs) {
    std::vector<HostSetting> out;
    out.push_back({link_setting(lo, "address"), eth0.mac, lo.mac});
    out.push_back({link_setting(lo, "mtu"), std::to_string(eth0.mtu), std::to_string(lo.mtu)});
    for (const auto& spec : sysctl_specs(lo.name))
        out.push_back({dotted(spec.components), spec.value, dirs.read(sysctl::path(spec.components))});
    return out;
}

void apply_host_settings(nl::Socket& sock, const nl::Link& eth0, const nl::Link& lo,
                         const std::vector<HostSetting>& observed, UndoStack& undo) {
    for (const auto& spec : sysctl_specs(lo.name)) {
        const std::string name = dotted(spec.components);
        auto seen = std::find_if(observed.begin(), observed.end(), [&](const HostSetting& s) { return s.name == name; });
        if (seen == observed.end()) throw Error(Exit::failure, "internal: host setting " + name + " was not read");
        const std::string path = sysctl::path(spec.components);
        const auto& current = seen->current;
        if (!current) {
            if (spec.required)
                throw Error(Exit::unsupported, "the kernel lacks " + dotted(spec.components) +
                                                   " (route_localnet, Linux >= 3.6), which containers on the host IP need");
            continue;
        }
        if (*current != spec.value) set_sysctl(path, spec.value, {&undo, {}, "host"});  // set once per host
    }
    const int ifindex = lo.ifindex;
    const std::string what = "host " + lo.name;
    if (lo.mtu != eth0.mtu) {
        nl::change_link(sock, ifindex, {.mtu = eth0.mtu}, what);
        diag::info(what + ": set mtu " + std::to_string(eth0.mtu));
        undo.push(what + ": restore mtu " + std::to_string(lo.mtu),
                  [&sock, ifindex, what, mtu = lo.mtu] { nl::change_link(sock, ifindex, {.mtu = mtu}, what); });
    }
    if (lo.mac != eth0.mac) {
        nl::change_link(sock, ifindex, {.mac = eth0.mac}, what);
        diag::info(what + ": set address " + eth0.mac);
        undo.push(what + ": restore address " + lo.mac,
                  [&sock, ifindex, what, mac = lo.mac] { nl::change_link(sock, ifindex, {.mac = mac}, what); });
    }
}

Json HostRecord::to_json() const {
    return {{"eth0", eth0}, {"eth0_ifindex", eth0_ifindex}, {"lo", lo},       {"lo_ifindex", lo_ifindex},
            {"mac", mac},   {"mtu", mtu},                   {"settings", settings}, {"previous", previous}};
}

HostRecord HostRecord::from_json(const Json& j) {
    try {
        HostRecord r;
        r.eth0 = j.at("eth0").get<std::string>();
        r.eth0_ifindex = j.at("eth0_ifindex").get<int>();
        r.lo = j.at("lo").get<std::string>();
        r.lo_ifindex = j.at("lo_ifindex").get<int>();
        r.mac = j.at("mac").get<std::string>();
        r.mtu = j.at("mtu").get<unsigned>();
        r.settings = j.value("settings", Json::object());
        r.previous = j.value("previous", Json::object());
        return r;
    } catch (const nlohmann::json::exception& e) {
        throw Error(Exit::bad_value, std::string("malformed host record: ") + e.what());
    }
}

std::filesystem::path host_record_file(const StateDir& state) { return state.root() / "netns-host.json"; }

std::optional<HostRecord> load_host_record(const StateDir& state) {
    auto path = host_record_file(state);
    auto j = read_json_file(path);
    if (!j) return std::nullopt;
    try {
        return HostRecord::from_json(*j);
    } catch (const Error& e) {
        throw Error(Exit::bad_value, "corrupt state file " + path.string() + ": " + e.what());
    }
}

void save_host_record(const StateDir& state, const std::optional<HostRecord>& old, const nl::Link& eth0,
                      const nl::Link& lo, const std::vector<HostSetting>& observed, UndoStack& undo) {
    HostRecord rec;
    rec.eth0 = eth0.name;
    rec.eth0_ifindex = eth0.ifindex;
    rec.lo = lo.name;
    rec.lo_ifindex = lo.ifindex;
    rec.mac = eth0.mac;
    rec.mtu = eth0.mtu;
    if (old) rec.previous = old->previous;
    for (const auto& s : observed) {
        rec.settings[s.name] = s.want;
        if (!s.ok() && s.current && !rec.previous.contains(s.name)) rec.previous[s.name] = *s.current;
    }
    if (old && *old == rec) return;
    auto path = host_record_file(state);
    write_json_atomic(path, rec.to_json());
    if (old) {
        undo.push("restore " + path.string(), [path, j = old->to_json()] { write_json_atomic(path, j); });
    } else {
        undo.push("remove " + path.string(), [path] { remove_file(path); });
    }
}

}  // namespace pm::netns
