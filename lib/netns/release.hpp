// Removing what a container has, for destroy and gc: the veth pair, the
// /run/netns link, the namespace handle and netns.json.  Missing pieces are
// fine.  The caller holds the state lock.
#pragma once
#include <string>

#include "nl/socket.hpp"
#include "state/records.hpp"
#include "state/state_dir.hpp"

namespace pm::netns {

// `rec` null: the record is missing or corrupt; the names derived from `id` are used.
void release_container(nl::Socket& host, const StateDir& state, const std::string& id, const NetnsRecord* rec);

}  // namespace pm::netns
