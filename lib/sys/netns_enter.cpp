#include "sys/netns_enter.hpp"

#include <fcntl.h>
#include <sched.h>

#include <cerrno>
#include <cstdlib>

#include "core/diag.hpp"
#include "core/error.hpp"

namespace pm {

UniqueFd open_netns(const std::filesystem::path& handle) {
    UniqueFd fd(::open(handle.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) {
        if (errno == ENOENT) throw Error(Exit::not_found, "network namespace handle " + handle.string() + " does not exist");
        throw system_error("cannot open network namespace " + handle.string(), errno);
    }
    return fd;
}

NetnsGuard::NetnsGuard(const std::filesystem::path& netns_handle) {
    original_.reset(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    if (!original_.valid()) throw system_error("cannot open the current network namespace", errno);
    UniqueFd target = open_netns(netns_handle);
    if (::setns(target.get(), CLONE_NEWNET) != 0)
        throw system_error("cannot enter network namespace " + netns_handle.string(), errno);
}

NetnsGuard::~NetnsGuard() {
    if (::setns(original_.get(), CLONE_NEWNET) != 0) {
        // Continuing in the wrong namespace would act on the wrong host: stop here.
        diag::error("cannot return to the original network namespace; aborting");
        std::abort();
    }
}

}  // namespace pm
