#include "state/records.hpp"

#include "core/error.hpp"
#include "state/record_io.hpp"

namespace pm {
namespace {

PortRange range_from_json(const Json& j, const char* what) {
    if (!j.is_object() || !j.contains("begin") || !j.contains("end") || !j["begin"].is_number_unsigned() ||
        !j["end"].is_number_unsigned())
        throw Error(Exit::bad_value, std::string(what) + " must be {\"begin\":N,\"end\":N}");
    PortRange r{j["begin"].get<uint32_t>(), j["end"].get<uint32_t>()};
    if (r.first == 0 || r.last > 65535 || r.first > r.last) throw Error(Exit::bad_value, std::string(what) + " is not a valid range");
    return r;
}

Json range_to_json(const PortRange& r) { return {{"begin", r.first}, {"end", r.last}}; }

}  // namespace

Json PoolConfig::to_json() const {
    return {{"ephemeral_ports", ephemeral.to_json()}, {"per_container", per_container}, {"ports", ports.to_json()}};
}

PoolConfig PoolConfig::from_json(const Json& j) {
    if (!j.is_object()) throw Error(Exit::bad_value, "pool must be a JSON object");
    PoolConfig p;
    p.ephemeral = PortSet::from_json(j.value("ephemeral_ports", Json::array()));
    p.per_container = json_get<uint32_t>(j, "per_container");
    p.ports = PortSet::from_json(j.value("ports", Json::array()));
    return p;
}

Json AllocRecord::to_json() const {
    return {{"id", id}, {"ephemeral_ports", range_to_json(ephemeral)}, {"ports", ports.to_json()}};
}

AllocRecord AllocRecord::from_json(const Json& j) {
    if (!j.is_object()) throw Error(Exit::bad_value, "allocation must be a JSON object");
    AllocRecord r;
    r.id = json_get<std::string>(j, "id");
    r.ephemeral = range_from_json(j.value("ephemeral_ports", Json()), "ephemeral_ports");
    r.ports = PortSet::from_json(j.value("ports", Json::array()));
    return r;
}

Json NetnsRecord::to_json() const {
    Json j = {{"id", id},
              {"netns", netns_path},
              {"adopted_pid", adopted_pid ? Json(*adopted_pid) : Json()},
              {"host_veth", host_veth},
              {"host_veth_ifindex", host_veth_ifindex},
              {"container_ifname", container_ifname},
              {"container_ifindex", container_ifindex},
              {"eth0", eth0},
              {"eth0_ifindex", eth0_ifindex},
              {"lo", lo},
              {"lo_ifindex", lo_ifindex},
              {"address", address},
              {"gateway", gateway},
              {"mac", mac},
              {"mtu", mtu},
              {"ephemeral_ports", range_to_json(ephemeral)}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        if (!j.contains(it.key())) j[it.key()] = it.value();
    return j;
}

NetnsRecord NetnsRecord::from_json(const Json& j) {
    if (!j.is_object()) throw Error(Exit::bad_value, "netns record must be a JSON object");
    NetnsRecord r;
    r.id = json_get<std::string>(j, "id");
    r.netns_path = json_get<std::string>(j, "netns");
    if (j.contains("adopted_pid") && !j["adopted_pid"].is_null()) r.adopted_pid = json_get<int>(j, "adopted_pid");
    r.host_veth = json_get<std::string>(j, "host_veth");
    r.host_veth_ifindex = json_get<int>(j, "host_veth_ifindex");
    r.container_ifname = json_get<std::string>(j, "container_ifname");
    r.container_ifindex = json_get<int>(j, "container_ifindex");
    r.eth0 = json_get<std::string>(j, "eth0");
    r.eth0_ifindex = json_get<int>(j, "eth0_ifindex");
    r.lo = json_get<std::string>(j, "lo");
    r.lo_ifindex = json_get<int>(j, "lo_ifindex");
    r.address = json_get<std::string>(j, "address");
    r.gateway = json_get<std::string>(j, "gateway");
    r.mac = json_get<std::string>(j, "mac");
    r.mtu = json_get<uint32_t>(j, "mtu");
    r.ephemeral = range_from_json(j.value("ephemeral_ports", Json()), "ephemeral_ports");
    static const char* known[] = {"id", "netns", "adopted_pid", "host_veth", "host_veth_ifindex", "container_ifname",
                                  "container_ifindex", "eth0", "eth0_ifindex", "lo", "lo_ifindex", "address",
                                  "gateway", "mac", "mtu", "ephemeral_ports"};
    for (auto it = j.begin(); it != j.end(); ++it) {
        bool is_known = false;
        for (const char* k : known) is_known |= it.key() == k;
        if (!is_known) r.extra[it.key()] = it.value();
    }
    return r;
}

std::optional<PoolConfig> load_pool(const StateDir& dir) { return load_record<PoolConfig>(dir.pool_file()); }
std::optional<AllocRecord> load_alloc(const StateDir& dir, const std::string& id) {
    return load_record<AllocRecord>(dir.container_file(id, "alloc.json"));
}
std::optional<NetnsRecord> load_netns(const StateDir& dir, const std::string& id) {
    return load_record<NetnsRecord>(dir.container_file(id, "netns.json"));
}

}  // namespace pm
