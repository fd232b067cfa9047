// Subcommands built on demand.  CLI11 makes every option of every subcommand
// up front, which cost more than most runs' own work (pm-tc: ~0.5M
// instructions before attach did anything).  A run builds only the
// subcommand its command line names, or every one when that cannot be told
// (top-level help or --version, an unknown word or option): help and error
// messages read the same either way.
#pragma once
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace pm {

struct Subcommand {
    std::string name;
    std::string description;
    std::function<void(CLI::App&)> build;  // its options and callback
};

// `app` has its top-level options already, so that their values in argv are
// not taken for a subcommand's name.
void add_subcommands(CLI::App& app, int argc, char** argv, const std::vector<Subcommand>& subcommands);

}  // namespace pm
