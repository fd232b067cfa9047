// `pm-netns gc`: make the state dir and the kernel agree after a crash, a
// kill -9 or a reboot.  Removes containers whose namespace handle or veth is
// gone (or whose record is corrupt), handles without a record, and with
// `empty` also namespaces no process lives in any more.
#pragma once
#include <string>
#include <vector>

#include "state/state_dir.hpp"

namespace pm::netns {

struct GcEntry {
    std::string id;
    std::string reason;
};

std::vector<GcEntry> gc_netns(const StateDir& state, bool empty, double wait);

}  // namespace pm::netns
