#include "sys/sysctl_dirs.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "core/error.hpp"
#include "sys/sysctl.hpp"

namespace pm::sysctl {

std::pair<int, std::string> Dirs::locate(const std::string& proc_path) {
    const auto slash = proc_path.rfind('/');
    if (slash == std::string::npos || slash == 0) throw Error(Exit::bad_value, "invalid sysctl path " + proc_path);
    return {dir_fd(proc_path.substr(0, slash)), proc_path.substr(slash + 1)};
}

int Dirs::dir_fd(const std::string& dir) {
    if (auto it = dirs_.find(dir); it != dirs_.end()) return it->second.get();
    static const std::string net = "/proc/sys/net/";
    UniqueFd fd;
    // Below net/X: relative to net/X's fd (its own dentry, no walk over other namespaces').
    const auto below = dir.compare(0, net.size(), net) == 0 ? dir.find('/', net.size()) : std::string::npos;
    if (below != std::string::npos) {
        const int top = dir_fd(dir.substr(0, below));
        if (top >= 0) fd.reset(::openat(top, dir.c_str() + below + 1, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        else errno = ENOENT;
    } else {
        fd.reset(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    }
    if (!fd.valid() && errno != ENOENT) throw system_error("cannot open " + dir, errno);
    return dirs_.emplace(dir, std::move(fd)).first->second.get();  // a missing directory is remembered too
}

std::optional<std::string> Dirs::read(const std::string& proc_path) {
    auto [dir, name] = locate(proc_path);
    if (dir < 0) return std::nullopt;
    return read_at(dir, name.c_str(), proc_path);
}

bool Dirs::write_if_present(const std::string& proc_path, const std::string& value) {
    auto [dir, name] = locate(proc_path);
    if (dir < 0) return false;
    UniqueFd fd(::openat(dir, name.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd.valid()) {
        if (errno == ENOENT || errno == EACCES || errno == EPERM || errno == EROFS) return false;
        throw system_error("cannot open " + proc_path, errno);
    }
    if (::write(fd.get(), value.data(), value.size()) != static_cast<ssize_t>(value.size()))
        throw system_error("cannot write '" + value + "' to " + proc_path, errno);
    return true;
}

}  // namespace pm::sysctl
