#include "tc/records.hpp"

#include <linux/if_ether.h>

#include <fmt/format.h>

#include "core/error.hpp"
#include "nl/tc_handle.hpp"
#include "state/record_io.hpp"

namespace pm::tc {
namespace {

// A JSON object built key by key, in order.  Records are written on every
// attach and detach, and nlohmann's initializer lists cost a temporary array
// per key (a malloc/free each, and a deep copy of any lvalue value); this
// moves each value in once.  Keys must be distinct (as in a literal).
class Object {
public:
    explicit Object(size_t keys) { o_.reserve(keys); }
    Object& add(const char* key, Json value) {
        o_.emplace_back(key, std::move(value));
        return *this;
    }
    Json done() { return Json(std::move(o_)); }

private:
    Json::object_t o_;
};

// j[key] by reference when present (Json::value() would copy it), else an empty array.
const Json& array_at(const Json& j, const char* key) {
    static const Json empty = Json::array();
    auto it = j.find(key);
    return it == j.end() ? empty : *it;
}

Json dev_to_json(const DevRef& d, bool with_qdisc) {
    Object o(3);
    o.add("name", d.name).add("ifindex", d.ifindex);
    if (with_qdisc) o.add("ingress_qdisc", d.qdisc_created ? "created" : "existing");
    return o.done();
}

DevRef dev_from_json(const Json& j, const char* key) {
    if (!j.contains(key)) throw Error(Exit::bad_value, std::string("missing key '") + key + "'");
    const Json& d = j.at(key);
    DevRef r;
    r.name = json_get<std::string>(d, "name");
    r.ifindex = json_get<int>(d, "ifindex");
    r.qdisc_created = d.value("ingress_qdisc", "") == "created";
    return r;
}

Json table_to_json(const TableRecord& t) {
    Json links = Json::array();
    for (uint32_t h : t.links) links.push_back(nl::format_u32_handle(h));
    return Object(9)
        .add("name", t.name)
        .add("dev", dev_key(t.dev))
        .add("prio", t.prio)
        .add("protocol", protocol_name(t.protocol))
        .add("handle", nl::format_u32_handle(nl::u32_handle(t.htid, 0, 0)))
        .add("divisor", t.divisor)
        .add("hash", fmt::format("0x{:08x}", t.hash_mask))
        .add("root", nl::format_u32_handle(nl::u32_handle(t.root_htid, 0, 0)))
        .add("links", std::move(links))
        .done();
}

TableRecord table_from_json(const Json& j) {
    TableRecord t;
    t.name = json_get<std::string>(j, "name");
    t.dev = dev_from_key(json_get<std::string>(j, "dev"));
    t.prio = json_get<uint16_t>(j, "prio");
    t.protocol = protocol_from_name(json_get<std::string>(j, "protocol"));
    t.htid = nl::u32_htid(nl::parse_u32_handle(json_get<std::string>(j, "handle")));
    t.divisor = json_get<uint32_t>(j, "divisor");
    t.hash_mask = static_cast<uint32_t>(std::stoul(json_get<std::string>(j, "hash"), nullptr, 16));
    t.root_htid = nl::u32_htid(nl::parse_u32_handle(json_get<std::string>(j, "root")));
    for (const auto& l : array_at(j, "links")) t.links.push_back(nl::parse_u32_handle(l.get<std::string>()));
    return t;
}

Json range_json(const PortRange& r) { return Object(2).add("begin", r.first).add("end", r.last).done(); }

Json keep_extra(Json j, const Json& extra) {
    for (auto it = extra.begin(); it != extra.end(); ++it)
        if (!j.contains(it.key())) j[it.key()] = it.value();
    return j;
}

Json collect_extra(const Json& j, std::initializer_list<const char*> known) {
    Json extra = Json::object();
    for (auto it = j.begin(); it != j.end(); ++it) {
        bool is_known = false;
        for (const char* k : known) is_known |= it.key() == k;
        if (!is_known) extra[it.key()] = it.value();
    }
    return extra;
}

}  // namespace

const char* protocol_name(uint16_t protocol) {
    switch (protocol) {
        case ETH_P_IP: return "ip";
        case ETH_P_ARP: return "arp";
        case ETH_P_ALL: return "all";
        default: return "other";
    }
}

uint16_t protocol_from_name(const std::string& name) {
    if (name == "ip") return ETH_P_IP;
    if (name == "arp") return ETH_P_ARP;
    if (name == "all") return ETH_P_ALL;
    throw Error(Exit::bad_value, "unknown protocol '" + name + "'");
}

Json HostRecord::to_json() const {
    Json tables_j = Json::array();
    for (const auto& t : tables) tables_j.push_back(table_to_json(t));
    return keep_extra({{"eth0", dev_to_json(eth0, true)},
                       {"lo", dev_to_json(lo, true)},
                       {"address", address},
                       {"mac", mac},
                       {"tables", tables_j}},
                      extra);
}

HostRecord HostRecord::from_json(const Json& j) {
    if (!j.is_object()) throw Error(Exit::bad_value, "host record must be a JSON object");
    HostRecord r;
    r.eth0 = dev_from_json(j, "eth0");
    r.lo = dev_from_json(j, "lo");
    r.address = json_get<std::string>(j, "address");
    r.mac = json_get<std::string>(j, "mac");
    for (const auto& t : array_at(j, "tables")) r.tables.push_back(table_from_json(t));
    r.extra = collect_extra(j, {"eth0", "lo", "address", "mac", "tables"});
    return r;
}

const std::string& TcRecord::ifname(Dev d) const {
    switch (d) {
        case Dev::eth0: return eth0.name;
        case Dev::lo: return lo.name;
        case Dev::veth: return veth.name;
        case Dev::c_lo: return c_lo.name;
        case Dev::c_eth0: return c_eth0.name;
        case Dev::eth0_out: return eth0.name;
    }
    return eth0.name;
}

Json TcRecord::to_json() const {
    Json blocks_j = Json::array();
    for (const auto& b : blocks()) blocks_j.push_back(b.range().to_string());
    Json tables_j = Json::array();
    for (const auto& t : tables) tables_j.push_back(table_to_json(t));
    Json filters_j = Json::array();
    filters_j.get_ref<Json::array_t&>().reserve(filters.size());
    for (const auto& f : filters) {
        Object o(10);
        o.add("dev", dev_key(f.dev))
            .add("ifname", ifname(f.dev))
            .add("prio", f.prio)
            .add("protocol", protocol_name(f.protocol))
            .add("handle", nl::format_u32_handle(f.handle))
            .add("role", f.role)
            .add("match", f.match)
            .add("action", act_key(f.act))
            .add("target", dev_key(f.target));
        if (f.act == Act::classify) o.add("classid", nl::format_tc_handle(f.classid));
        filters_j.push_back(o.done());
    }
    Object o(16);
    o.add("id", id)
        .add("state", state)
        .add("netns", netns)
        .add("host_veth", dev_to_json(veth, true))
        .add("container_lo", dev_to_json(c_lo, true))
        .add("container_eth0", dev_to_json(c_eth0, true))
        .add("eth0", dev_to_json(eth0, false))
        .add("lo", dev_to_json(lo, false))
        .add("address", address)
        .add("mac", mac)
        .add("ephemeral_ports", range_json(ephemeral))
        .add("ports", ports.to_json())
        .add("blocks", std::move(blocks_j))
        .add("mirror_node", mirror)
        .add("tables", std::move(tables_j))
        .add("filters", std::move(filters_j));
    if (flow) o.add("flow", nl::format_tc_handle(flow));
    Json out = keep_extra(o.done(), extra);
    if (shaping.any() || shaping.bloat != Bloat::fq_codel) out["shaping"] = shaping.to_json();
    return out;
}

TcRecord TcRecord::from_json(const Json& j) {
    if (!j.is_object()) throw Error(Exit::bad_value, "tc record must be a JSON object");
    TcRecord r;
    r.id = json_get<std::string>(j, "id");
    r.state = json_get<std::string>(j, "state");
    r.netns = json_get<std::string>(j, "netns");
    r.veth = dev_from_json(j, "host_veth");
    r.c_lo = dev_from_json(j, "container_lo");
    r.c_eth0 = dev_from_json(j, "container_eth0");
    r.eth0 = dev_from_json(j, "eth0");
    r.lo = dev_from_json(j, "lo");
    r.address = json_get<std::string>(j, "address");
    r.mac = json_get<std::string>(j, "mac");
    const Json& e = j.at("ephemeral_ports");
    r.ephemeral = {json_get<uint32_t>(e, "begin"), json_get<uint32_t>(e, "end")};
    r.ports = PortSet::from_json(array_at(j, "ports"));
    r.mirror = json_get<uint32_t>(j, "mirror_node");
    if (j.contains("shaping")) r.shaping = Shaping::from_json(j["shaping"]);
    if (j.contains("flow")) r.flow = nl::parse_tc_handle(json_get<std::string>(j, "flow"));
    for (const auto& t : array_at(j, "tables")) r.tables.push_back(table_from_json(t));
    for (const auto& f : array_at(j, "filters")) {
        Leaf l;
        l.dev = dev_from_key(json_get<std::string>(f, "dev"));
        l.prio = json_get<uint16_t>(f, "prio");
        l.protocol = protocol_from_name(json_get<std::string>(f, "protocol"));
        l.handle = nl::parse_u32_handle(json_get<std::string>(f, "handle"));
        l.role = json_get<std::string>(f, "role");
        l.match = f.value("match", "");
        l.act = act_from_key(json_get<std::string>(f, "action"));
        l.target = dev_from_key(json_get<std::string>(f, "target"));
        if (l.act == Act::classify) l.classid = nl::parse_tc_handle(json_get<std::string>(f, "classid"));
        r.filters.push_back(std::move(l));
    }
    r.extra = collect_extra(j, {"id", "state", "netns", "host_veth", "container_lo", "container_eth0", "eth0", "lo",
                                "address", "mac", "ephemeral_ports", "ports", "blocks", "mirror_node", "tables",
                                "filters", "shaping", "flow"});
    return r;
}

std::optional<HostRecord> load_host(const StateDir& dir) { return load_record<HostRecord>(dir.host_file()); }

void save_host(const StateDir& dir, const HostRecord& rec) { write_json_atomic(dir.host_file(), rec.to_json()); }

std::optional<TcRecord> load_tc(const StateDir& dir, const std::string& id) {
    return load_record<TcRecord>(dir.container_file(id, "tc.json"));
}

void save_tc(const StateDir& dir, const TcRecord& rec) {
    write_json_atomic(dir.ensure_container_dir(rec.id) / "tc.json", rec.to_json());
}

void remove_tc(const StateDir& dir, const std::string& id) {
    const auto cdir = dir.container_dir(id);  // (symlinks refused) once for both
    remove_file(cdir / "tc.json");
    remove_dir_if_empty(cdir);
}

std::vector<std::string> attached_ids(const StateDir& dir) {
    std::vector<std::string> out;
    if (!dir.exists()) return out;
    for (const auto& id : dir.container_ids())
        if (std::filesystem::exists(dir.container_file(id, "tc.json"))) out.push_back(id);
    return out;
}

}  // namespace pm::tc
