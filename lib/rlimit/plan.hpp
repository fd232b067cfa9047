// The plan: every request resolved against the current limits and checked
// before anything is changed (soft <= hard, duplicates, fs.nr_open, raising a
// hard limit without CAP_SYS_RESOURCE), plus warnings about limits that are
// ignored, counted per user, or likely to break the exec itself.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "rlimit/request.hpp"

namespace pm::rlimit {

struct Pair {
    uint64_t soft = 0;
    uint64_t hard = 0;
};

// What the plan needs to know about the process; the real one reads the
// kernel (system.hpp), tests pass their own.  Callbacks run only when needed.
struct Environment {
    std::function<Pair(const LimitInfo&)> current;
    // "" when hard limits may be raised, else why not ("needs CAP_SYS_RESOURCE").
    std::function<std::string()> cannot_raise_hard;
    std::function<std::optional<uint64_t>()> nr_open;  // fs.nr_open, nullopt if unknown
};

struct PlanEntry {
    const LimitInfo* limit = nullptr;
    Pair current;
    Pair wanted;
    std::string source;
    std::vector<std::string> warnings;
};

// Error(bad_value / permission) for the first problem found; nothing is changed.
std::vector<PlanEntry> build_plan(const std::vector<Request>& requests, const Environment& env);

// Every limit as it is now (for --dry-run without requests).
std::vector<PlanEntry> current_plan(const Environment& env);

}  // namespace pm::rlimit
