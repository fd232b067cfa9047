// One requested limit, whatever form it came in (command line or JSON).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rlimit/limits.hpp"

namespace pm::rlimit {

struct Request {
    const LimitInfo* limit = nullptr;
    std::optional<uint64_t> soft;  // nullopt: keep the current soft limit
    std::optional<uint64_t> hard;  // nullopt: keep the current hard limit
    std::string source;            // "cli", "mesos-json", "oci-json"
    std::vector<std::string> notes;  // e.g. rounding, shown as warnings
};

// From "--nofile=VALUE" (name known) or "--rlimit NAME=VALUE".
Request request_from_option(const LimitInfo& limit, const std::string& value);
Request request_from_assignment(const std::string& assignment);

}  // namespace pm::rlimit
