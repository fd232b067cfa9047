#include "netns/exec.hpp"

#include <sched.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/container_id.hpp"
#include "core/diag.hpp"
#include "core/error.hpp"
#include "netns/handle.hpp"
#include "state/records.hpp"
#include "sys/netns_enter.hpp"

namespace pm::netns {

namespace {

// Private view of mounts, then a sysfs of the new network namespace over /sys,
// so tools reading /sys/class/net see the container's interfaces.
void remount_sys() {
    if (::unshare(CLONE_NEWNS) != 0) throw system_error("cannot create a mount namespace", errno);
    // Nothing we mount here may propagate back to the host.
    if (::mount(nullptr, "/", nullptr, MS_SLAVE | MS_REC, nullptr) != 0)
        throw system_error("cannot make / a slave mount", errno);
    unsigned long flags = 0;
    struct statvfs st {};
    if (::statvfs("/sys", &st) == 0 && (st.f_flag & ST_RDONLY)) flags |= MS_RDONLY;
    if (::umount2("/sys", MNT_DETACH) != 0 && errno != EINVAL)
        throw system_error("cannot unmount /sys in the private mount namespace", errno);
    if (::mount("sysfs", "/sys", "sysfs", flags, nullptr) != 0)
        throw system_error("cannot mount sysfs for the container namespace", errno);
}

}  // namespace

int exec_in_netns(const StateDir& state, const std::string& id, const std::vector<std::string>& command) {
    validate_container_id(id);
    if (command.empty()) throw Error(Exit::usage, "no command given (pm-netns exec ID -- CMD [ARGS...])");
    auto rec = load_netns(state, id);
    if (!rec) throw Error(Exit::not_found, "container " + id + " has no network namespace (pm-netns create " + id + ")");
    const auto handle = state.netns_handle(id);
    if (!is_netns_handle(handle))
        throw Error(Exit::not_found, "the namespace handle of " + id + " is gone (" + handle.string() + ")");
    UniqueFd ns = open_netns(handle);
    if (::setns(ns.get(), CLONE_NEWNET) != 0) throw system_error("cannot enter the network namespace of " + id, errno);
    ns.reset();
    remount_sys();

    std::vector<char*> argv;
    for (const auto& arg : command) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    int err = errno;
    diag::error("cannot execute " + command[0] + ": " + std::strerror(err));
    return err == ENOENT || err == ENOTDIR ? kExecNotFound : kExecCannotRun;
}

}  // namespace pm::netns
