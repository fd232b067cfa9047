#include "netns/sysctl_step.hpp"

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

bool set_fresh_sysctl(sysctl::Dirs& dirs, const std::string& proc_path, const std::string& value,
                      const std::string& where) {
    if (!dirs.write_if_present(proc_path, value)) return false;
    diag::info(where + ": set " + proc_path + " = " + value);
    return true;
}

}  // namespace pm::netns
