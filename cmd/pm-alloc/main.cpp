// placeholder: replaced by the pm-alloc implementation
#include "cli/tool.hpp"
int main(int argc, char** argv) {
    pm::CommonOptions common;
    return pm::run_tool("pm-alloc", "port pool", argc, argv, [&](CLI::App& app) { pm::add_common_options(app, common); });
}
