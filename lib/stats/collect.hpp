// One collection pass over the containers: no fork, no helper, linear in the
// number of containers.  A container that vanishes while it is read is skipped
// with a warning; the others are still reported.
#pragma once
#include <string>
#include <vector>

#include "state/state_dir.hpp"
#include "stats/model.hpp"

namespace pm::stats {

struct CollectOptions {
    bool sockets = false;  // TCP counts and RTT percentiles (inet_diag)
    bool snmp = false;     // /proc/net/snmp of each namespace
};

struct Collection {
    std::vector<ContainerStats> containers;  // in the order of the IDs
    size_t vanished = 0;  // gone while being read: skipped, not an error
    size_t failed = 0;    // could not be read for another reason (warned)
};

// `ids` empty = every container that has a network namespace record.
// Needs CAP_SYS_ADMIN (setns); the caller checks it first.
Collection collect(const StateDir& dir, const std::vector<std::string>& ids, const CollectOptions& options);

}  // namespace pm::stats
