#include "rlimit/request.hpp"

#include "core/error.hpp"
#include "rlimit/value.hpp"

namespace pm::rlimit {

Request request_from_option(const LimitInfo& limit, const std::string& value) {
    require_supported(limit);
    // CLI11 hands over the next argument when "--nofile=" has no value; that is "--" in practice.
    if (value == "--") throw Error(Exit::bad_value, "empty value for " + std::string(limit.name));
    Spec spec = parse_spec(limit, value);
    return Request{&limit, spec.soft, spec.hard, "cli", std::move(spec.notes)};
}

Request request_from_assignment(const std::string& assignment) {
    if (assignment.empty() || assignment == "--") throw Error(Exit::bad_value, "empty value for --rlimit (expected NAME=SOFT[:HARD])");
    auto eq = assignment.find('=');
    if (eq == std::string::npos)
        throw Error(Exit::bad_value, "invalid --rlimit '" + assignment + "': expected NAME=SOFT[:HARD]");
    std::string name = assignment.substr(0, eq);
    const LimitInfo* limit = find_limit(name);
    if (!limit) {
        std::string message = "unknown resource '" + name + "'";
        if (auto near = suggest_limit(name)) message += " (did you mean '" + std::string(*near) + "'?)";
        throw Error(Exit::bad_value, message + "; valid: " + limit_names());
    }
    return request_from_option(*limit, assignment.substr(eq + 1));
}

}  // namespace pm::rlimit
