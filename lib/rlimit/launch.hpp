// The whole launcher after the command line is parsed: collect the requests,
// plan and check everything, then print the plan (--dry-run) or apply the
// limits and exec the command.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "rlimit/limits.hpp"

namespace pm::rlimit {

struct LaunchOptions {
    std::vector<std::pair<const LimitInfo*, std::string>> options;  // --nofile=VALUE
    std::vector<std::string> assignments;                           // --rlimit NAME=VALUE
    std::string json_path;                                          // --rlimits-json FILE|-
    bool dry_run = false;
    bool json = false;
    std::vector<std::string> command;  // CMD ARGS...; may be empty only with dry_run
};

// Returns only for --dry-run (0) or when the command cannot be run (126/127,
// message already printed); throws pm::Error for the launcher's own failures.
int launch(const LaunchOptions& options);

}  // namespace pm::rlimit
