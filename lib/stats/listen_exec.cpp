#include "stats/listen_exec.hpp"

#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"

#ifndef PM_LIBEXECDIR
#define PM_LIBEXECDIR "/usr/local/libexec/portmap"
#endif

namespace pm::stats {

void exec_listener(char** argv) {
    namespace fs = std::filesystem;
    std::error_code ec;
    // Relative to the real executable, so a build tree and an installed tree
    // (whatever its PREFIX or DESTDIR) each run their own server.
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    std::vector<fs::path> candidates;
    if (!ec) {
        candidates.push_back(self.parent_path() / "libexec/portmap" / kListenProgram);
        candidates.push_back(self.parent_path().parent_path() / "libexec/portmap" / kListenProgram);
    }
    candidates.push_back(fs::path(PM_LIBEXECDIR) / kListenProgram);
    std::string tried;
    int err = ENOENT;
    for (const auto& path : candidates) {
        ::execv(path.c_str(), argv);
        if (errno != ENOENT) err = errno;  // "not executable" tells more than "not found"
        tried += (tried.empty() ? "" : ", ") + path.lexically_normal().string();
    }
    throw system_error("cannot start the HTTP server " + std::string(kListenProgram) + " (tried " + tried + ")", err);
}

}  // namespace pm::stats
