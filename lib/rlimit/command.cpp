#include "rlimit/command.hpp"

#include <sys/resource.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace pm::rlimit {
namespace {

// errno of exec'ing `path`, predicted without exec'ing: 0 when it would run.
int check_executable(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return errno;
    if (S_ISDIR(st.st_mode)) return EISDIR;
    if (!S_ISREG(st.st_mode)) return EACCES;
    if (::faccessat(AT_FDCWD, path.c_str(), X_OK, AT_EACCESS) != 0) return errno;
    return 0;
}

CommandError failure(const std::string& name, int err) {
    if (err == ENOENT || err == ENOTDIR) return CommandError(127, name + ": command not found");
    return CommandError(126, name + ": cannot execute: " + std::strerror(err));
}

// The limit behind an exec failure, if the plan set one that explains it.
std::string likely_cause(int err, const std::vector<PlanEntry>& plan) {
    for (const auto& entry : plan) {
        int r = entry.limit->resource;
        bool lowered = entry.wanted.soft < entry.current.soft;
        if (!lowered) continue;
        if ((err == E2BIG && r == RLIMIT_STACK) || (err == ENOMEM && (r == RLIMIT_AS || r == RLIMIT_DATA || r == RLIMIT_STACK)) ||
            ((err == EMFILE || err == ENFILE) && r == RLIMIT_NOFILE) || (err == EAGAIN && r == RLIMIT_NPROC) ||
            (err == EFBIG && r == RLIMIT_FSIZE))
            return " (probably the new " + std::string(entry.limit->name) + " limit)";
    }
    return "";
}

}  // namespace

std::string resolve_command(const std::string& name) {
    if (name.empty()) throw CommandError(127, "'': command not found");
    if (name.find('/') != std::string::npos) {
        int err = check_executable(name);
        if (err == ENOENT || err == ENOTDIR) throw CommandError(127, name + ": " + std::strerror(err));
        if (err) throw failure(name, err);
        return name;
    }
    // As execvp: an empty PATH element is the current directory; an unset PATH
    // is the system default.  A match that cannot be executed is remembered
    // (126) but the search goes on, as the shell does.
    const char* env = std::getenv("PATH");
    std::string path = env ? env : "/bin:/usr/bin";
    int denied = 0;
    size_t start = 0;
    for (;;) {
        size_t end = path.find(':', start);
        std::string dir = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
        std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
        int err = check_executable(candidate);
        if (err == 0) return candidate;
        if (err != ENOENT && err != ENOTDIR && !denied) denied = err;
        if (end == std::string::npos) break;
        start = end + 1;
    }
    if (denied) throw failure(name, denied);
    throw CommandError(127, name + ": command not found");
}

void exec_command(const std::string& path, const std::vector<std::string>& argv, const std::vector<PlanEntry>& plan) {
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(path.c_str(), args.data());
    int err = errno;
    // The message below may go to a file on stderr; a tiny FSIZE must not kill us first.
    ::signal(SIGXFSZ, SIG_IGN);
    CommandError base = failure(argv.empty() ? path : argv[0], err);
    throw CommandError(base.status(), base.what() + likely_cause(err, plan));
}

}  // namespace pm::rlimit
