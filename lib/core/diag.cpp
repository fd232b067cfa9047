#include "core/diag.hpp"

#include <cstdio>

namespace pm::diag {
namespace {
std::string g_program = "portmap";
bool g_verbose = false;
bool g_quiet = false;

void emit(const std::string& line) {
    std::string out = line + "\n";
    std::fwrite(out.data(), 1, out.size(), stderr);
}
}  // namespace

void set_program(std::string name) { g_program = std::move(name); }
const std::string& program() { return g_program; }
void set_verbose(bool on) { g_verbose = on; }
bool verbose() { return g_verbose; }
void set_quiet(bool on) { g_quiet = on; }

void error(const std::string& message) { emit(g_program + ": error: " + message); }
void warning(const std::string& message) {
    if (!g_quiet) emit(g_program + ": warning: " + message);
}
void info(const std::string& message) {
    if (g_verbose) emit(g_program + ": " + message);
}

}  // namespace pm::diag
