// pm-tc's state files (CONVENTIONS.md: pm-tc is their only writer).
//
// host.json (pm-tc setup):
//   {"eth0": {"name","ifindex","ingress_qdisc": "created"|"existing"},
//    "lo":   {...same...}, "address": "a.b.c.d/len", "mac": "aa:..",
//    "tables": [TABLE...]}
// containers/ID/tc.json (pm-tc attach/update):
//   {"id", "state": "attaching"|"attached"|"updating",
//    "netns": handle path,
//    "host_veth": DEV, "container_lo": DEV, "container_eth0": DEV,
//    "eth0": {"name","ifindex"}, "lo": {"name","ifindex"},   // redirect targets
//    "address", "mac", "ephemeral_ports": {"begin","end"}, "ports": [{"begin","end"}...],
//    "blocks": ["32768-33791", ...], "mirror_node": N,
//    "tables": [TABLE...], "filters": [FILTER...],
//    "flow": "1:3"}                     // unique flows only: its fq_codel flow (flows.hpp)
// TABLE  = {"name","dev","prio","protocol","handle": "30:","divisor","hash": "0x0000ff00",
//           "root": "801:","links": ["801::1", ...]}
// FILTER = {"dev","ifname","prio","protocol","handle": "30:80:a01","role","match",
//           "action": "redirect"|"mirror"|"local"|"classify","target": DEVROLE,
//           "classid": "1:3" (classify only)}
// `dev`/`target` are roles: eth0, lo, veth, container-lo, container-eth0,
// eth0-egress.
//   "shaping": {"bloat_reduction": "fq_codel"|"none", "egress": LIMIT, "ingress": LIMIT}
//   LIMIT = {"rate": bytes/s, "ceil": bytes/s, "burst": bytes}  (ceil/burst optional)
// Keys this version does not know (from later features) are
// kept verbatim in `extra` and written back.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "ports/port_set.hpp"
#include "state/state_dir.hpp"
#include "tc/layout.hpp"
#include "tc/rate_config.hpp"

namespace pm::tc {

struct DevRef {
    std::string name;
    int ifindex = 0;
    bool qdisc_created = false;  // this tool created its ingress qdisc (and removes it)
};

struct TableRecord {
    std::string name;
    Dev dev = Dev::eth0;
    uint16_t prio = 0;
    uint16_t protocol = 0;
    uint32_t htid = 0;
    uint32_t divisor = 1;
    uint32_t hash_mask = 0;
    uint32_t root_htid = 0;
    std::vector<uint32_t> links;  // full handles in the root table
};

struct HostRecord {
    DevRef eth0, lo;
    std::string address;  // "a.b.c.d/len"
    std::string mac;
    std::vector<TableRecord> tables;
    Json extra = Json::object();

    Json to_json() const;
    static HostRecord from_json(const Json& j);
};

struct TcRecord {
    std::string id;
    std::string state;  // "attaching", "attached", "updating"
    std::string netns;
    DevRef veth, c_lo, c_eth0;
    DevRef eth0, lo;
    std::string address, mac;
    PortRange ephemeral;
    PortSet ports;
    uint32_t mirror = 0;
    std::vector<TableRecord> tables;
    std::vector<Leaf> filters;
    uint32_t flow = 0;  // classid of its fq_codel flow on host eth0 (unique flows), 0 = none
    Shaping shaping;    // "shaping": limits and leaf (rate_config.hpp); written when set
    Json extra = Json::object();

    std::vector<PortBlock> blocks() const { return port_blocks(ports.unite(PortSet{ephemeral})); }
    // Device name for a role (empty when unknown).
    const std::string& ifname(Dev d) const;
    Json to_json() const;
    static TcRecord from_json(const Json& j);
};

const char* protocol_name(uint16_t protocol);  // "ip", "arp", or hex
uint16_t protocol_from_name(const std::string& name);

std::optional<HostRecord> load_host(const StateDir& dir);
void save_host(const StateDir& dir, const HostRecord& rec);
std::optional<TcRecord> load_tc(const StateDir& dir, const std::string& id);
void save_tc(const StateDir& dir, const TcRecord& rec);
void remove_tc(const StateDir& dir, const std::string& id);
// IDs with a tc.json, sorted.
std::vector<std::string> attached_ids(const StateDir& dir);

}  // namespace pm::tc
