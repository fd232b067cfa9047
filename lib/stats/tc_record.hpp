// The shaping limits pm-tc recorded in containers/ID/tc.json.  pm-stats only
// reads that file (one writer per file) and never recomputes a limit; it reads
// it defensively, so a field it does not know is ignored, not fatal.
#pragma once
#include <optional>
#include <string>

#include "core/json.hpp"
#include "state/state_dir.hpp"
#include "stats/model.hpp"

namespace pm::stats {

struct ShapingRecord {
    ShapingLimits egress;   // container -> network (Mesos net_tx_*)
    ShapingLimits ingress;  // network -> container (Mesos net_rx_*)
};

// Limits found in a tc.json document; absent or unrecognised parts stay empty.
ShapingRecord shaping_from_tc_json(const Json& tc);

// containers/ID/tc.json parsed; nullopt when missing; Error(bad_value) when not JSON.
std::optional<Json> load_tc_json(const StateDir& dir, const std::string& id);

}  // namespace pm::stats
