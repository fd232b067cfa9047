// The one error type of the toolkit: a message plus the exit status it maps to
// (see CONVENTIONS.md, "Exit status").  Library code throws; only main() exits.
#pragma once
#include <stdexcept>
#include <string>

namespace pm {

enum class Exit : int {
    ok = 0,
    failure = 1,       // kernel said no, I/O error
    usage = 64,        // unknown flag, missing argument
    bad_value = 65,    // port range, rate, ID, rlimit, JSON
    not_found = 66,    // no such container / object
    unsupported = 69,  // kernel lacks a feature
    conflict = 73,     // exists with other parameters, overlap
    temporary = 75,    // pool exhausted, lock busy
    permission = 77,   // needs root / a capability
};

class Error : public std::runtime_error {
public:
    Error(Exit code, const std::string& message) : std::runtime_error(message), code_(code) {}
    Exit code() const noexcept { return code_; }
    int exit_status() const noexcept { return static_cast<int>(code_); }
    // The same error with "context: " in front, keeping the exit code.
    Error with_context(const std::string& context) const { return Error(code_, context + ": " + what()); }

private:
    Exit code_;
};

// An Error for a failed system call: "what: strerror(err)".  EPERM/EACCES map to
// Exit::permission, everything else to `code`.
Error system_error(const std::string& what, int err, Exit code = Exit::failure);

}  // namespace pm
