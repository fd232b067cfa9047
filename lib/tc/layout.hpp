// The steering design, as pure data (no kernel access): which u32 tables,
// links and leaf filters exist on which device, with which handles.  See
// man/pm-tc.8 "DESIGN" for the picture.
//
// Cost does not grow with the number of containers: on host eth0 and lo every
// TCP/UDP packet passes a fixed number of link nodes and then hashes, on the
// high byte of its destination port, into one of 256 buckets of a shared
// table.  A bucket holds only the port blocks that intersect its 256 ports
// (a block of >= 256 ports is entered in every bucket it covers, a smaller
// block in its one bucket), so the walk is bounded by the port layout, never
// by how many containers are attached.  Only ARP and ICMP to the host, which
// are copied to every container by design, walk a per-container list.
//
// Handles are derived from the ports alone, so attach, update, detach and
// recovery compute the same handles without allocation state:
//   leaf node in a bucket = 1 + log2(block size) * 256 + (first port & 0xff)
//   (unique per bucket because blocks are aligned and disjoint; 1..3841)
//   mirror node (ARP/ICMP copies on eth0) = first ephemeral port / 16
//   (ephemeral blocks are aligned, >= 16 ports and disjoint; 1..4095)
// Table ids (htid) are fixed per device, below 0x800 where the kernel numbers
// each priority's own root table (kernel-notes pitfall 5); root links get
// handles root:0:1, root:0:2, ... once the root id has been read back.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "nl/u32_key.hpp"
#include "ports/port_blocks.hpp"

namespace pm::tc {

// Filter priorities (the Mesos numbering, reference §1.4).
inline constexpr uint16_t kPrioArp = 258;
inline constexpr uint16_t kPrioIcmp = 514;
inline constexpr uint16_t kPrioOwn = 769;  // container lo: own ports stay local
inline constexpr uint16_t kPrioIp = 770;
inline constexpr uint16_t kPrioOut = 771;  // host veth: everything else out via eth0; eth0 egress: container flows
inline constexpr uint16_t kPrioDefault = 1026;  // eth0 egress: everything else is host traffic (flow 1)

// Table ids.
inline constexpr uint32_t kHtArp = 0x10;      // eth0: ARP copies; veth: ARP out
inline constexpr uint32_t kHtIcmp = 0x20;     // eth0: ICMP copies; veth: ICMP out; container lo: ICMP local
inline constexpr uint32_t kHtPorts = 0x30;    // eth0/lo: dport -> veth; container lo: own; container eth0: 127.0.0.1 -> lo
inline constexpr uint32_t kHtToHost = 0x40;   // veth: sport, dst host IP/127.0.0.1 -> host lo
inline constexpr uint32_t kHtOut = 0x50;      // veth: sport -> host eth0
inline constexpr uint32_t kHtLoOut = 0x60;    // container lo: dst host IP/127.0.0.1 -> container eth0
inline constexpr uint32_t kHtHost = 0x70;     // eth0 egress (unique flows): everything else -> host flow

inline constexpr uint32_t kLoopback = 0x7f000001;  // 127.0.0.1
inline constexpr uint32_t kHashDport = 0x0000ff00;  // high byte of the destination port (word at 20)
inline constexpr uint32_t kHashSport = 0xff000000;  // high byte of the source port
inline constexpr int kPortWord = 20;                 // TCP/UDP ports, given a 20-byte IP header

// The devices a container's filters live on.  eth0/lo/veth are in the host
// namespace; c_lo/c_eth0 inside the container.  All hang off the ingress
// qdisc except eth0_out: host eth0's egress, under the unique-flow fq_codel
// (see flows.hpp).
enum class Dev { eth0, lo, veth, c_lo, c_eth0, eth0_out };
const char* dev_key(Dev d);  // "eth0", "lo", "veth", "container-lo", "container-eth0", "eth0-egress"
Dev dev_from_key(const std::string& key);  // Error(bad_value) when unknown
bool in_container(Dev d);
// Order of application: veth first, then the container, then host eth0/lo
// (removal in reverse), so inbound steering never points at a half-made path.
int phase(Dev d);

// classify: set the leaf's classid (an fq_codel flow on eth0 egress).
enum class Act { local, redirect, mirror, classify };
const char* act_key(Act a);  // "local", "redirect", "mirror", "classify"
Act act_from_key(const std::string& key);

struct HostFacts {
    uint32_t ip = 0;  // host byte order
    std::array<uint8_t, 6> mac{};
    static HostFacts parse(const std::string& address, const std::string& mac);  // Error(bad_value)
};

// A u32 table and the root links that lead into it.
struct Table {
    std::string name;
    Dev dev;
    uint16_t prio;
    uint16_t protocol;  // ETH_P_IP / ETH_P_ARP
    uint32_t htid;
    uint32_t divisor;
    uint32_t hash_mask;  // 0 for divisor 1
    std::vector<std::vector<nl::U32Key>> links;
};

struct Leaf {
    std::string role;   // what it is for, e.g. "in-eth0"
    Dev dev;
    uint16_t prio;
    uint16_t protocol;
    uint32_t handle;    // htid:bucket:node
    std::vector<nl::U32Key> keys;
    Act act;
    Dev target;         // meaningful for redirect/mirror
    std::string match;  // human description: "dport 31000-31007", "arp", ...
    uint32_t classid = 0;  // meaningful for classify
    bool same_place(const Leaf& o) const { return dev == o.dev && prio == o.prio && handle == o.handle; }
};

// Shared structures made by `pm-tc setup` (host eth0 and lo).
std::vector<Table> host_tables(const HostFacts& host);
// Per-container structures made by `pm-tc attach` (host veth, container lo/eth0).
std::vector<Table> container_tables(const HostFacts& host);

// Buckets (high bytes) a block covers, and its node id inside each.
std::vector<uint32_t> buckets(const PortBlock& block);
uint32_t leaf_node(const PortBlock& block);
// Node of a container's ARP/ICMP copy on eth0; Error(bad_value) unless
// `ephemeral` is an aligned power-of-two block of >= 16 ports.
uint32_t mirror_node(const PortRange& ephemeral);

// Every leaf of one container, in application order (see phase()).
std::vector<Leaf> container_leaves(const HostFacts& host, const std::vector<PortBlock>& blocks, uint32_t mirror);

// What `update` changes: leaves only in `now` are added, leaves only in `old`
// removed; a leaf at the same place in both is kept untouched.
struct LeafDiff {
    std::vector<Leaf> add;
    std::vector<Leaf> remove;
    size_t kept = 0;
};
LeafDiff diff_leaves(const std::vector<Leaf>& old_leaves, const std::vector<Leaf>& new_leaves);

// Key builders (exposed for tests and the shaping classifiers).
namespace keys {
nl::U32Key all();
nl::U32Key ihl5();        // IPv4 header without options (port offsets assume it)
nl::U32Key first_fragment();
nl::U32Key proto(uint8_t p);
nl::U32Key dst(uint32_t ip);
std::array<nl::U32Key, 2> dst_mac(const std::array<uint8_t, 6>& mac);
nl::U32Key dport(const PortBlock& b);
nl::U32Key sport(const PortBlock& b);
}  // namespace keys

std::string ip_to_string(uint32_t ip);

}  // namespace pm::tc
