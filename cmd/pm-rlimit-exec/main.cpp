// pm-rlimit-exec [OPTIONS] [--] CMD [ARGS...]: set POSIX resource limits on
// itself, then exec CMD (same PID, argv and environment).  Only the command
// line is handled here; everything else is lib/rlimit/launch.
#include <string>
#include <vector>

#include "cli/tool.hpp"
#include "core/diag.hpp"
#include "core/error.hpp"
#include "rlimit/launch.hpp"
#include "rlimit/limits.hpp"

namespace {

std::string value_hint(const pm::rlimit::LimitInfo& limit) {
    using pm::rlimit::Kind;
    switch (limit.kind) {
        case Kind::bytes: return "bytes, K/M/G/T suffixes (base 1024)";
        case Kind::seconds: return "seconds, or a time with us/ms/s/min/h/d";
        case Kind::microseconds: return "microseconds, or a time with us/ms/s/min/h/d";
        case Kind::nice: return "raw 0..40 or a +N/-N nice level";
        case Kind::priority: return "priority 0..99";
        default: return std::string(limit.unit);
    }
}

// CLI11 (prefix_command) leaves in `remaining` any unknown option seen before
// the command, then "--" if given, then CMD ARGS... untouched.
std::vector<std::string> split_command(const std::vector<std::string>& remaining) {
    size_t i = 0;
    if (!remaining.empty() && remaining[0] != "--" && remaining[0].size() > 1 && remaining[0][0] == '-') {
        std::string option = remaining[0];
        std::string name = option.substr(option.find_first_not_of('-'));
        name = name.substr(0, name.find('='));
        std::string message = "unknown option '" + option + "'";
        if (auto near = pm::rlimit::suggest_limit(name); near && option.starts_with("--"))
            message = "unknown resource '" + name + "' (did you mean '" + std::string(*near) +
                      "'?); valid: " + pm::rlimit::limit_names();
        throw pm::Error(pm::Exit::usage, message + " (see pm-rlimit-exec --help)");
    }
    if (!remaining.empty() && remaining[0] == "--") i = 1;
    return {remaining.begin() + static_cast<long>(i), remaining.end()};
}

}  // namespace

int main(int argc, char** argv) {
    pm::CommonOptions common;
    pm::rlimit::LaunchOptions options;
    bool quiet = false;
    int status = 0;
    int rc = pm::run_tool(
        "pm-rlimit-exec", "Set POSIX resource limits, then exec CMD in place (same PID, argv and environment).", argc,
        argv,
        [&](CLI::App& app) {
            // Options end at "--" or at the first non-option: CMD's own options are never parsed.
            app.prefix_command();
            app.get_formatter()->label("OPTIONS", "OPTIONS] [--] CMD [ARGS...");
            app.get_formatter()->column_width(34);
            pm::add_common_options(app, common, /*with_state=*/false);
            app.add_flag("-q,--quiet", quiet, "no warnings about ignored, per-user or risky limits");
            app.add_flag("--dry-run,--print", options.dry_run,
                         "check everything and print the plan (current and new limits), exec nothing");
            app.add_option("--rlimits-json", options.json_path,
                           "limits from JSON: Mesos RLimitInfo/ContainerInfo or OCI process.rlimits ('-' = stdin)")
                ->type_name("FILE");
            app.add_option("--rlimit", options.assignments, "set limit NAME (nofile, RLIMIT_NOFILE, RLMT_NOFILE...); repeatable")
                ->type_name("NAME=SOFT[:HARD]")
                ->allow_extra_args(false)
                ->group("Limits");
            for (const auto& limit : pm::rlimit::all_limits()) {
                const auto* info = &limit;
                app.add_option("--" + std::string(limit.name))
                    ->each([&options, info](const std::string& value) { options.options.emplace_back(info, value); })
                    ->description(std::string(limit.description) + " [" + value_hint(limit) + "]")
                    ->type_name("SOFT[:HARD]")
                    ->expected(1)
                    ->allow_extra_args(false)
                    ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
                    ->group("Limits");
            }
            app.footer(
                "A single value sets soft and hard; SOFT: and :HARD keep the other side as it is now.\n"
                "'unlimited', 'infinity' or -1 mean no limit. Exit status: CMD's own; 125 for the launcher's\n"
                "own errors, 126 if CMD cannot be executed, 127 if it is not found.");
            app.callback([&] {
                pm::diag::set_quiet(quiet);
                if (common.json && !options.dry_run)
                    throw pm::Error(pm::Exit::usage, "--json needs --dry-run (stdout belongs to the command)");
                options.json = common.json;
                options.command = split_command(app.remaining());
                status = pm::rlimit::launch(options);
            });
        },
        /*own_failure_status=*/125);
    return rc != 0 ? rc : status;
}
