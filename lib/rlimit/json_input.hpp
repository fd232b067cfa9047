// Limits from JSON: Mesos RLimitInfo, ContainerInfo/TaskInfo with rlimit_info,
// ContainerLaunchInfo ({"rlimits":{"rlimits":[...]}}) and OCI process.rlimits.
// Each entry's dialect comes from its type prefix: RLMT_ (Mesos: soft and hard
// both or neither; neither = unlimited) or RLIMIT_ (OCI: type, soft, hard required).
#pragma once
#include <string>
#include <vector>

#include "core/json.hpp"
#include "rlimit/request.hpp"

namespace pm::rlimit {

// Error(bad_value) naming the entry ("rlimits[2]: unknown rlimit type 'RLMT_NOFILES'").
std::vector<Request> requests_from_json(const Json& document);

// Syntax errors as "NAME: json: LINE:COL: reason".
Json parse_json_text(const std::string& text, const std::string& name);

// Reads FILE, or standard input for "-", and returns its limits; every error
// is prefixed with the file name ("stdin" for "-").
std::vector<Request> load_json_requests(const std::string& path);

}  // namespace pm::rlimit
