// What every pm-* main() shares: CLI11 set-up, the common options
// (--state-dir, -j/--json, -v/--verbose, --wait, --version), and the mapping of
// errors to one stderr line and an exit status (CONVENTIONS.md).
#pragma once
#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "state/lock.hpp"
#include "state/state_dir.hpp"

namespace pm {

struct CommonOptions {
    std::string state_dir;  // "" = $PORTMAP_STATE_DIR or /run/portmap
    bool json = false;
    bool verbose = false;
    double wait = kDefaultLockWaitSeconds;

    StateDir state() const { return StateDir::resolve(state_dir); }
};

// Adds the common options to `app` (use on the top-level app; subcommands fall through).
void add_common_options(CLI::App& app, CommonOptions& options, bool with_state = true);

// Builds the app with `build`, parses, runs the callbacks, and turns any
// pm::Error / CLI11 error into "NAME: error: ..." and its exit status.
// `launcher` tools map their own failures to 125 instead (pm-rlimit-exec).
int run_tool(const std::string& name, const std::string& description, int argc, char** argv,
             const std::function<void(CLI::App&)>& build, int own_failure_status = -1);

// The positional "ID" argument of a subcommand, validated before any state is touched.
CLI::Option* add_container_id(CLI::App& sub, std::string& id, bool required = true);

}  // namespace pm
