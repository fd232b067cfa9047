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
    const std::string dir = proc_path.substr(0, slash);
    auto it = dirs_.find(dir);
    if (it == dirs_.end()) {
        UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!fd.valid() && errno != ENOENT) throw system_error("cannot open " + dir, errno);
        it = dirs_.emplace(dir, std::move(fd)).first;  // a missing directory is remembered too
    }
    return {it->second.get(), proc_path.substr(slash + 1)};
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
