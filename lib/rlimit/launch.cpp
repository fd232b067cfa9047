#include "rlimit/launch.hpp"

#include "core/diag.hpp"
#include "core/error.hpp"
#include "rlimit/apply.hpp"
#include "rlimit/command.hpp"
#include "rlimit/json_input.hpp"
#include "rlimit/plan.hpp"
#include "rlimit/render.hpp"
#include "rlimit/request.hpp"
#include "rlimit/system.hpp"

namespace pm::rlimit {

int launch(const LaunchOptions& options) {
    std::vector<Request> requests;
    for (const auto& [limit, value] : options.options) requests.push_back(request_from_option(*limit, value));
    for (const auto& assignment : options.assignments) requests.push_back(request_from_assignment(assignment));
    if (!options.json_path.empty())
        for (auto& r : load_json_requests(options.json_path)) requests.push_back(std::move(r));

    if (options.command.empty() && !options.dry_run)
        throw Error(Exit::usage, "no command given (usage: pm-rlimit-exec [OPTIONS] [--] CMD [ARGS...], or --dry-run)");

    Environment env = system_environment();
    std::vector<PlanEntry> plan = build_plan(requests, env);
    for (const auto& entry : plan)
        for (const auto& w : entry.warnings) diag::warning(w);

    try {
        // Found and executable is checked before any limit changes, as everything else.
        std::string path = options.command.empty() ? "" : resolve_command(options.command[0]);
        if (options.dry_run) {
            emit(plan.empty() && requests.empty() ? plan_table(current_plan(env)) : plan_table(plan), options.json);
            return 0;
        }
        apply_plan(plan);
        exec_command(path, options.command, plan);
    } catch (const CommandError& e) {
        diag::error(e.what());
        return e.status();
    }
}

}  // namespace pm::rlimit
