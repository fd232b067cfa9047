// The records tools exchange through the state dir (CONVENTIONS.md "One writer
// per file").  Each struct maps one file; the owning tool writes it, others
// only read it through load_*().
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "core/json.hpp"
#include "ports/port_set.hpp"
#include "state/state_dir.hpp"

namespace pm {

// pool.json, written by pm-alloc.
struct PoolConfig {
    PortSet ephemeral;             // the pool split into blocks
    uint32_t per_container = 1024; // block size, a power of two >= 16
    PortSet ports;                 // non-ephemeral ports containers may own

    Json to_json() const;
    static PoolConfig from_json(const Json& j);  // Error(bad_value) when malformed
    bool operator==(const PoolConfig&) const = default;
};

// containers/ID/alloc.json, written by pm-alloc.
struct AllocRecord {
    std::string id;
    PortRange ephemeral;  // one aligned block of per_container ports
    PortSet ports;        // non-ephemeral ports

    PortSet all_ports() const { return ports.unite(PortSet{ephemeral}); }
    Json to_json() const;
    static AllocRecord from_json(const Json& j);
};

// containers/ID/netns.json, written by pm-netns.
struct NetnsRecord {
    std::string id;
    std::string netns_path;         // bind-mounted handle, for nsenter --net=
    std::optional<int> adopted_pid; // --pid: namespace adopted from this process
    std::string host_veth;          // host-side veth name (<= 15 chars)
    int host_veth_ifindex = 0;
    std::string container_ifname;   // container end, named like host eth0
    int container_ifindex = 0;
    std::string eth0;               // host public interface
    int eth0_ifindex = 0;
    std::string lo;                 // host loopback
    int lo_ifindex = 0;
    std::string address;            // host IPv4 "a.b.c.d/prefix", shared by the container
    std::string gateway;            // host default gateway
    std::string mac;                // host eth0 MAC, carried by both veth ends
    uint32_t mtu = 0;
    PortRange ephemeral;            // as set in the namespace's ip_local_port_range
    Json extra = Json::object();    // further keys pm-netns records (kept verbatim)

    Json to_json() const;
    static NetnsRecord from_json(const Json& j);
};

// Loaders: nullopt when the file does not exist; Error(bad_value) when corrupt.
std::optional<PoolConfig> load_pool(const StateDir& dir);
std::optional<AllocRecord> load_alloc(const StateDir& dir, const std::string& id);
std::optional<NetnsRecord> load_netns(const StateDir& dir, const std::string& id);

}  // namespace pm
