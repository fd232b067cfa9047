#include "rlimit/plan.hpp"

#include <sys/resource.h>

#include <algorithm>

#include "core/error.hpp"
#include "rlimit/value.hpp"

namespace pm::rlimit {
namespace {

std::string name_of(const LimitInfo& limit) { return std::string(limit.name); }

void check_duplicates(const std::vector<Request>& requests) {
    for (const auto& limit : all_limits()) {
        std::vector<std::string> sources;
        for (const auto& r : requests)
            if (r.limit == &limit) sources.push_back(r.source);
        if (sources.size() < 2) continue;
        std::string list;
        for (const auto& s : sources) list += (list.empty() ? "" : ", ") + s;
        throw Error(Exit::bad_value, name_of(limit) + " given more than once (" + list + ")");
    }
}

std::vector<std::string> warnings_for(const LimitInfo& limit, const Pair& wanted) {
    std::vector<std::string> out;
    const std::string name = name_of(limit);
    if (limit.ignored) out.push_back(name + ": the kernel ignores this limit (it is set anyway)");
    if (limit.per_user)
        out.push_back(name + ": counted per real user ID across all of the user's processes, not per command");
    const uint64_t soft = wanted.soft;
    if (limit.resource == RLIMIT_STACK && soft < (128u << 10))
        out.push_back("stack: soft limit " + format_value(soft) +
                      " bytes will probably break the exec (E2BIG) or the program (SIGSEGV)");
    if ((limit.resource == RLIMIT_AS || limit.resource == RLIMIT_DATA) && soft < (16u << 20))
        out.push_back(name + ": soft limit " + format_value(soft) +
                      " bytes will probably make the exec or the dynamic loader fail (ENOMEM)");
    if (limit.resource == RLIMIT_NOFILE && soft < 8)
        out.push_back("nofile: soft limit " + format_value(soft) +
                      " leaves the dynamic loader hardly any descriptors (EMFILE while loading shared libraries)");
    if (limit.kind == Kind::priority && soft != kInfinity && soft > 99)
        out.push_back(name + ": real-time priorities above 99 have no effect");
    return out;
}

}  // namespace

std::vector<PlanEntry> build_plan(const std::vector<Request>& requests, const Environment& env) {
    check_duplicates(requests);
    std::vector<PlanEntry> plan;
    // Table order, so output and errors do not depend on the order of options.
    for (const auto& limit : all_limits()) {
        auto it = std::find_if(requests.begin(), requests.end(), [&](const Request& r) { return r.limit == &limit; });
        if (it == requests.end()) continue;
        const Request& r = *it;
        const std::string name = name_of(limit);
        require_supported(limit);
        PlanEntry entry{&limit, env.current(limit), {}, r.source, r.notes};
        entry.wanted.soft = r.soft.value_or(entry.current.soft);
        entry.wanted.hard = r.hard.value_or(entry.current.hard);
        if (entry.wanted.soft > entry.wanted.hard) {
            if (!r.soft)
                throw Error(Exit::bad_value, name + ": resulting soft " + format_value(entry.wanted.soft) +
                                                 " (the current soft limit) would exceed new hard " +
                                                 format_value(entry.wanted.hard) + "; give both (e.g. " +
                                                 format_pair(entry.wanted.hard, entry.wanted.hard) + ")");
            if (!r.hard)
                throw Error(Exit::bad_value, name + ": new soft " + format_value(entry.wanted.soft) +
                                                 " would exceed the current hard limit " + format_value(entry.wanted.hard) +
                                                 "; give both (e.g. " + format_pair(entry.wanted.soft, entry.wanted.soft) + ")");
            throw Error(Exit::bad_value, name + ": soft limit " + format_value(entry.wanted.soft) + " exceeds hard limit " +
                                             format_value(entry.wanted.hard));
        }
        if (limit.resource == RLIMIT_NOFILE) {
            // The kernel refuses a NOFILE hard limit above fs.nr_open with EPERM, even for root.
            auto nr_open = env.nr_open();
            if (nr_open && entry.wanted.hard > *nr_open)
                throw Error(Exit::bad_value, "nofile hard " + format_value(entry.wanted.hard) + " exceeds fs.nr_open (" +
                                                 std::to_string(*nr_open) + "); the kernel refuses this even for root");
        }
        if (entry.wanted.hard > entry.current.hard) {
            std::string why = env.cannot_raise_hard();
            if (!why.empty())
                throw Error(Exit::permission, "cannot raise hard " + name + " from " + format_value(entry.current.hard) +
                                                  " to " + format_value(entry.wanted.hard) + ": " + why + " (EPERM)");
        }
        for (auto& w : warnings_for(limit, entry.wanted)) entry.warnings.push_back(std::move(w));
        plan.push_back(std::move(entry));
    }
    return plan;
}

std::vector<PlanEntry> current_plan(const Environment& env) {
    std::vector<PlanEntry> plan;
    for (const auto& limit : all_limits()) {
        if (limit.resource < 0) continue;
        Pair now = env.current(limit);
        plan.push_back(PlanEntry{&limit, now, now, "current", {}});
    }
    return plan;
}

}  // namespace pm::rlimit
