#include "netns/sysctl_step.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "core/error.hpp"
#include "core/unique_fd.hpp"

#include "core/diag.hpp"
#include "sys/netns_enter.hpp"
#include "sys/sysctl.hpp"

namespace pm::netns {

bool set_sysctl(const std::string& proc_path, const std::string& value, const SysctlScope& scope) {
    auto old = sysctl::read(proc_path);
    if (old && *old == sysctl::normalize(value)) return false;
    sysctl::write(proc_path, value);
    diag::info(scope.where + ": set " + proc_path + " = " + value);
    if (scope.undo && old) {
        scope.undo->push(scope.where + ": restore " + proc_path + " = " + *old, [proc_path, old = *old, netns = scope.netns] {
            if (netns.empty()) return sysctl::write(proc_path, old);
            NetnsGuard inside(netns);
            sysctl::write(proc_path, old);
        });
    }
    return true;
}

bool set_fresh_sysctl(const std::string& proc_path, const std::string& value, const std::string& where) {
    UniqueFd fd(::open(proc_path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd.valid()) {
        if (errno == ENOENT || errno == EACCES || errno == EPERM || errno == EROFS) return false;
        throw system_error("cannot open " + proc_path, errno);
    }
    if (::write(fd.get(), value.data(), value.size()) != static_cast<ssize_t>(value.size()))
        throw system_error("cannot write '" + value + "' to " + proc_path, errno);
    diag::info(where + ": set " + proc_path + " = " + value);
    return true;
}

}  // namespace pm::netns
