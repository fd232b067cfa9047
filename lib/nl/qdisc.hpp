// Typed libnl wrappers for qdiscs: look one up by its parent, create the
// ingress qdisc ("already there" is success), delete one.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include <netlink/route/qdisc.h>

#include "nl/socket.hpp"

namespace pm::nl {

// A new qdisc object for `parent` of link `ifindex`, with `handle` when not
// 0 (else the kernel picks one); the caller sets the kind and adds it.
Object<rtnl_qdisc> new_qdisc(int ifindex, uint32_t parent, uint32_t handle = 0);

struct QdiscEntry {
    std::string kind;  // "ingress", "clsact", "htb", ...
    uint32_t handle = 0;
    uint32_t parent = 0;
};

// The qdisc attached at `parent` of link `ifindex` (TC_H_ROOT, TC_H_INGRESS, a class).
std::optional<QdiscEntry> find_qdisc(Socket& sock, int ifindex, uint32_t parent);
// The qdisc with `handle` (major:0) on link `ifindex`, wherever it is attached.
std::optional<QdiscEntry> find_qdisc_by_handle(Socket& sock, int ifindex, uint32_t handle);

// Creates the ingress qdisc (handle ffff:) on `ifindex`; true when created,
// false when an ingress qdisc is already there.  Error(conflict) when another
// qdisc (e.g. clsact) holds the ingress hook; `what` names the link in errors.
bool ensure_ingress_qdisc(Socket& sock, int ifindex, const std::string& what);

// Deletes the qdisc at `parent` of `ifindex` (with every filter under it);
// false when there is none.
bool delete_qdisc(Socket& sock, int ifindex, uint32_t parent, const std::string& what);

}  // namespace pm::nl
