// Diagnostics on stderr in the toolkit's format: "TOOL: error: ...",
// "TOOL: warning: ...", and -v lines "TOOL: ...".
#pragma once
#include <string>

namespace pm::diag {

void set_program(std::string name);
const std::string& program();
void set_verbose(bool on);
bool verbose();
void set_quiet(bool on);

void error(const std::string& message);
void warning(const std::string& message);  // silenced by set_quiet(true)
void info(const std::string& message);     // printed only with -v

}  // namespace pm::diag
