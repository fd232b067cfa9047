// Typed libnl wrappers for u32 classifiers with mirred actions: hash tables,
// link nodes that descend into a table (optionally hashing on a header word),
// and terminal leaf nodes.  Every object is addressed explicitly (device,
// parent, priority, protocol, handle) so callers can record and remove exactly
// what they made.  Keys are in host byte order; offsets count from the network
// header (negative offsets reach into the Ethernet header at ingress).
#pragma once
#include <linux/pkt_cls.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nl/socket.hpp"
#include "nl/u32_key.hpp"
#include "nl/tc_handle.hpp"

namespace pm::nl {

// Where a filter lives: one u32 priority ("tcf_proto") of one qdisc.
struct FilterAddr {
    int ifindex = 0;
    uint32_t parent = kIngressParent;
    uint16_t prio = 0;
    uint16_t protocol = 0;  // ETH_P_*, host byte order
};

enum class MirredKind { redirect, mirror };
struct Mirred {
    MirredKind kind = MirredKind::redirect;
    int ifindex = 0;
    // What the packet does after the action: TC_ACT_STOLEN for a redirect;
    // TC_ACT_UNSPEC ("continue") for a mirror after which classification goes
    // on with the next node, so the original still reaches the local stack.
    int control = TC_ACT_STOLEN;
};

struct U32Table {
    FilterAddr addr;
    uint32_t htid = 0;     // 1..0x7ff: below the range the kernel gives root tables (0x800+)
    uint32_t divisor = 1;  // 1..256, a power of two
};

struct U32Link {
    FilterAddr addr;
    uint32_t handle = 0;  // node in the priority's root table: root_htid:0:node
    std::vector<U32Key> keys;
    uint32_t target_htid = 0;
    uint32_t hash_mask = 0;  // word & mask selects the bucket (shifted to its lowest set bit)
    int hash_offset = 0;
};

struct U32Leaf {
    FilterAddr addr;
    uint32_t handle = 0;  // htid:bucket:node
    std::vector<U32Key> keys;
    std::optional<uint32_t> classid;
    std::vector<Mirred> actions;
};

enum class Added { created, existed };
// Create (NLM_F_EXCL); an object already at that handle is reported, not replaced.
Added add_table(Socket& sock, const U32Table& table);
Added add_link(Socket& sock, const U32Link& link);
Added add_leaf(Socket& sock, const U32Leaf& leaf);
// Deletes one node or table; false when it (or its priority) does not exist.
bool delete_u32(Socket& sock, const FilterAddr& addr, uint32_t handle);
// Deletes table `htid` with its nodes; false when it does not exist.  The
// kernel drops a deleted link's reference to its table only after an RCU
// grace period, so "busy" is retried for up to `busy_wait_ms`.
bool delete_u32_table(Socket& sock, const FilterAddr& addr, uint32_t htid, int busy_wait_ms = 2000);
// Deletes a whole priority and its root table.  Tables created in it survive
// while other u32 priorities share the qdisc: delete them first.  false when absent.
bool delete_priority(Socket& sock, const FilterAddr& addr);

struct ActionEntry {
    std::string kind;         // "mirred", ...
    int mirred_action = 0;    // TCA_EGRESS_REDIRECT / TCA_EGRESS_MIRROR / ...
    int ifindex = 0;          // 0 when the target device is gone
    int control = 0;
    uint64_t packets = 0;
    uint64_t bytes = 0;
};

struct FilterEntry {
    uint16_t prio = 0;
    uint16_t protocol = 0;
    std::string kind;
    uint32_t handle = 0;  // 0: the priority itself; node 0: a table
    std::vector<U32Key> keys;
    std::vector<ActionEntry> actions;
    uint32_t classid = 0;  // 0 when none
    bool is_table() const { return handle != 0 && u32_node(handle) == 0; }
};

// Every filter under (ifindex, parent), tables included.
std::vector<FilterEntry> dump_filters(Socket& sock, int ifindex, uint32_t parent);
// One u32 node or table; nullopt when it or its priority does not exist.
std::optional<FilterEntry> get_u32(Socket& sock, const FilterAddr& addr, uint32_t handle);

// "dport 31000-31007" style description is the caller's job; this renders raw keys.
std::string describe_keys(const std::vector<U32Key>& keys);

}  // namespace pm::nl
