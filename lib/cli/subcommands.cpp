#include "cli/subcommands.hpp"

#include <optional>
#include <string_view>

namespace pm {
namespace {

// The first word of argv that is neither a top-level option nor its value:
// where the subcommand's name goes.  nullopt where reading further would
// need CLI11 itself (an unknown option, combined short flags, help,
// --version, "--").
std::optional<std::string_view> subcommand_word(const CLI::App& app, int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg.size() < 2 || arg[0] != '-') return arg;
        if (arg == "--") return std::nullopt;
        const std::string_view name = arg.substr(0, arg.find('='));
        const CLI::Option* opt = app.get_option_no_throw(std::string(name));
        if (!opt || opt == app.get_help_ptr() || opt == app.get_help_all_ptr() || opt == app.get_version_ptr())
            return std::nullopt;
        if (name.size() == arg.size() && opt->get_expected_min() > 0) ++i;  // its value is the next word
    }
    return std::nullopt;
}

}  // namespace

void add_subcommands(CLI::App& app, int argc, char** argv, const std::vector<Subcommand>& subcommands) {
    const auto word = subcommand_word(app, argc, argv);
    for (const auto& sub : subcommands)
        if (word && *word == sub.name) {
            sub.build(*app.add_subcommand(sub.name, sub.description));
            return;
        }
    for (const auto& sub : subcommands) sub.build(*app.add_subcommand(sub.name, sub.description));
}

}  // namespace pm
