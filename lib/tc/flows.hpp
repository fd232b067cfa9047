// Unique flows (pm-tc setup --unique-flows; Mesos's
// --egress_unique_flow_per_container): one classless fq_codel on host eth0's
// egress, and u32 classifiers under it that pick its flow bucket by classid,
// so every container's traffic is one fq_codel flow however many connections
// it opens: host traffic flow 1, ARP and ICMP flow 2, containers 3..flows-1.
//
// The host-wide part (the qdisc, its u32 tables and the host/ARP/ICMP
// classifiers) is made by setup and recorded in host.json under
// "unique_flows"; a container's classifiers are ordinary layout Leafs on
// Dev::eth0_out (action classify), listed in its tc.json with its flow
// ("flow": "1:3"), so attach/update/detach/gc/rollback treat them like any
// other filter.  A flow id is free when no tc.json names it.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/undo.hpp"
#include "nl/socket.hpp"
#include "state/state_dir.hpp"
#include "tc/apply.hpp"
#include "tc/layout.hpp"
#include "tc/records.hpp"

namespace pm::tc {

inline constexpr uint32_t kHostFlow = 1;
inline constexpr uint32_t kArpIcmpFlow = 2;
inline constexpr uint32_t kFirstContainerFlow = 3;
inline constexpr uint32_t kDefaultFlows = 1024;  // fq_codel's own default
inline constexpr uint32_t kMaxFlows = 65536;     // the kernel's limit

// What `pm-tc setup` was asked for.
struct FlowOptions {
    bool enable = false;     // --unique-flows
    std::string flows;       // --flows N ("" = default, or what is recorded)
    std::string parent;      // --flow-parent MAJ:MIN ("" = root, or what is recorded)
};

// host.json "unique_flows": {"parent": "root"|"1:1", "handle": "1:", "flows": 1024}
struct FlowConfig {
    uint32_t parent = 0;  // TC_H_ROOT or a class
    uint32_t handle = 0;  // the fq_codel's handle (major:0)
    uint32_t flows = kDefaultFlows;
    uint32_t classid(uint32_t flow) const { return handle | flow; }
    Json to_json() const;
    static FlowConfig from_json(const Json& j);
    bool operator==(const FlowConfig&) const = default;
};

std::optional<FlowConfig> flow_config(const HostRecord& host);
void set_flow_config(HostRecord& host, const std::optional<FlowConfig>& cfg);

// setup, before anything changes: the configuration to apply (nullopt: no
// unique flows).  Error(bad_value) for bad options, Error(unsupported) naming
// sch_fq_codel when the kernel lacks it, Error(conflict) when the options
// differ from `recorded` or eth0 already has a qdisc there that is not ours.
std::optional<FlowConfig> plan_flows(nl::Socket& sock, int eth0, const std::string& eth0_name, const FlowOptions& opt,
                                     const std::optional<FlowConfig>& recorded);
// setup: makes the qdisc (if missing), its tables and the host classifiers;
// appends the tables to `rec.tables`.  Every change is pushed on `undo`.
void apply_flows(nl::Socket& sock, const FlowConfig& cfg, HostRecord& rec, UndoStack& undo);
// teardown: deletes the qdisc setup made (with every classifier under it).
void remove_flows(nl::Socket& sock, const HostRecord& host);

// Resolves Dev::eth0_out when the host runs unique flows: Error(not_found)
// when the qdisc is gone.  No-op otherwise.
void resolve_flow_device(nl::Socket& sock, Devices& devs, const HostRecord& host);
// Resolves Dev::eth0_out for removing a container's classifiers (`flow` from
// its tc.json); false when there is nothing left to remove them from.
bool resolve_flow_device(nl::Socket& sock, Devices& devs, const TcRecord& rec);

// The lowest flow no other container's tc.json names, as a classid;
// Error(temporary) when all are taken.  Call under the state lock.
uint32_t allocate_flow(const StateDir& state, const FlowConfig& cfg, const std::string& id);

// A container's classifiers: its source-port blocks -> classid.
std::vector<Leaf> flow_leaves(const std::vector<PortBlock>& blocks, uint32_t classid);

// The u32 tables on eth0's egress (exposed for tests).
std::vector<Table> flow_tables();

}  // namespace pm::tc
