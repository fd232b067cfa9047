// Removing what a container has, for destroy and gc: the veth pair, the
// /run/netns link, the namespace handle and netns.json.  Missing pieces are
// fine.  The caller holds the state lock.
#pragma once
#include <string>

#include "nl/socket.hpp"
#include "state/records.hpp"
#include "state/state_dir.hpp"

namespace pm::netns {

// `rec` null: the record is missing or corrupt; the names derived from `id`
// are used.  The veth pair is deleted first and explicitly: releasing the
// namespace would let the kernel delete it only later, and never while a
// process, an open fd or a socket still holds the namespace.  Returns whether
// a veth was deleted.
bool release_container(nl::Socket& host, const StateDir& state, const std::string& id, const NetnsRecord* rec);

}  // namespace pm::netns
