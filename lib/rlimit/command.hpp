// The command to run: found like execvp(3) finds it, checked before any limit
// is touched, then exec'd in place (same PID, argv and environment as given).
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

#include "rlimit/plan.hpp"

namespace pm::rlimit {

// Exit status 127 (not found) or 126 (found but cannot be executed), as the
// shell and env(1) use them.  Not a pm::Error: those are the tool's own (125).
class CommandError : public std::runtime_error {
public:
    CommandError(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
    int status() const noexcept { return status_; }

private:
    int status_;
};

// The path execv() should use for `name`: as given when it holds a '/', else
// the first executable regular file in $PATH.  CommandError otherwise.
std::string resolve_command(const std::string& name);

// Replaces this process; returns only by throwing CommandError, naming the
// planned limit that most likely made the exec fail (E2BIG, ENOMEM, EMFILE).
[[noreturn]] void exec_command(const std::string& path, const std::vector<std::string>& argv,
                               const std::vector<PlanEntry>& plan);

}  // namespace pm::rlimit
