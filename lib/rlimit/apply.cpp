#include "rlimit/apply.hpp"

#include <sys/resource.h>

#include <cerrno>

#include "core/diag.hpp"
#include "core/error.hpp"
#include "rlimit/value.hpp"

namespace pm::rlimit {

void apply_plan(const std::vector<PlanEntry>& plan) {
    for (const auto& entry : plan) {
        const struct rlimit64 wanted {entry.wanted.soft, entry.wanted.hard};
        if (::setrlimit64(entry.limit->resource, &wanted) != 0)
            throw system_error("cannot set " + std::string(entry.limit->name) + " to " +
                                   format_pair(entry.wanted.soft, entry.wanted.hard),
                               errno);
        diag::info(std::string(entry.limit->name) + ": " + format_pair(entry.current.soft, entry.current.hard) + " -> " +
                   format_pair(entry.wanted.soft, entry.wanted.hard) + " (" + entry.source + ")");
    }
}

}  // namespace pm::rlimit
