// Applying the layout to the kernel: tables with their root links, and leaf
// filters with an ownership check, each step registered with an UndoStack.
#pragma once
#include <array>
#include <string>
#include <vector>

#include "nl/socket.hpp"
#include "nl/u32.hpp"
#include "tc/layout.hpp"
#include "tc/records.hpp"
#include "core/undo.hpp"

namespace pm::tc {

// Where each device role lives right now: its socket (host or container
// namespace), ifindex, name and the qdisc its filters hang off (the ingress
// qdisc, or for eth0_out the flow qdisc).  Roles not resolved have ifindex 0.
class Devices {
public:
    void set(Dev d, nl::Socket* sock, int ifindex, std::string name, uint32_t parent = nl::kIngressParent);
    bool has(Dev d) const { return slot(d).ifindex > 0 && slot(d).sock; }
    nl::Socket& sock(Dev d) const;
    int ifindex(Dev d) const { return slot(d).ifindex; }
    const std::string& name(Dev d) const { return slot(d).name; }
    uint32_t parent(Dev d) const { return slot(d).parent; }
    nl::FilterAddr addr(Dev d, uint16_t prio, uint16_t protocol) const {
        return {ifindex(d), parent(d), prio, protocol};
    }
    // `d`'s qdisc was made by this run (under the state lock): it has no
    // filters yet, so ensure_tables need not read them first.
    void set_fresh(Dev d) { slots_[static_cast<size_t>(d)].fresh = true; }
    bool fresh(Dev d) const { return slot(d).fresh; }

private:
    struct Slot {
        nl::Socket* sock = nullptr;
        int ifindex = 0;
        std::string name;
        uint32_t parent = nl::kIngressParent;
        bool fresh = false;
    };
    const Slot& slot(Dev d) const { return slots_[static_cast<size_t>(d)]; }
    std::array<Slot, 6> slots_;
};

// Makes sure each table (table + root links) exists on its device, in order;
// reads back the root table id the kernel gave each priority.  Each device's
// filters are read once before adding its tables and once after, not twice
// per table.  Error(conflict) when a priority holds filters pm-tc did not
// make.  What it creates is pushed onto `undo`.
std::vector<TableRecord> ensure_tables(const Devices& devs, const std::vector<Table>& tables, UndoStack& undo);

// Removes table `htid` of priority `prio` completely: the root links, the
// table with its leaves, then the priority.  Deleting only the priority would
// leave the table alive, unreachable and its id taken, for as long as other
// u32 priorities share the qdisc.  false when the priority does not exist.
bool remove_table(nl::Socket& sock, int ifindex, uint16_t prio, uint16_t protocol, uint32_t htid,
                  uint32_t parent = nl::kIngressParent);

// The kernel form of a leaf, with targets resolved.
nl::U32Leaf kernel_leaf(const Leaf& leaf, const Devices& devs);
// Adds `leaf`; an identical leaf already there counts as done (nothing pushed
// on `undo`), any other filter at its handle is Error(conflict).
void add_leaf(const Leaf& leaf, const Devices& devs, UndoStack& undo);
// Removes `leaf`.  With `owner_ifindex` > 0 (shared eth0/lo tables), a filter
// at that handle that redirects or mirrors to another device is left alone
// with a warning.  Missing filters are fine.
void remove_leaf(const Leaf& leaf, const Devices& devs, int owner_ifindex);

// "eth0", "container lo", "eth0 egress": device `d` named `name`, for messages.
std::string device_text(Dev d, const std::string& name);
std::string leaf_text(const Leaf& leaf, const Devices& devs);  // for messages

}  // namespace pm::tc
