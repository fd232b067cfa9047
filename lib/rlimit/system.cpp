#include "rlimit/system.hpp"

#include <linux/capability.h>
#include <sys/resource.h>

#include <cerrno>
#include <charconv>

#include "core/error.hpp"
#include "sys/privileges.hpp"
#include "sys/sysctl.hpp"

namespace pm::rlimit {
namespace {

// The initial user namespace maps every UID to itself; any other mapping
// means CAP_SYS_RESOURCE here does not count for raising hard limits.
bool in_initial_user_namespace() {
    auto map = sysctl::read("/proc/self/uid_map");  // same /proc reader; the file is not a sysctl
    return !map || *map == "0 0 4294967295";
}

std::string cannot_raise_hard() {
    if (!has_capability(CAP_SYS_RESOURCE)) return "needs CAP_SYS_RESOURCE";
    if (!in_initial_user_namespace())
        return "needs CAP_SYS_RESOURCE in the initial user namespace (this process is in a child user namespace)";
    return "";
}

std::optional<uint64_t> nr_open() {
    auto text = sysctl::read(sysctl::path("fs.nr_open"));
    if (!text) return std::nullopt;
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
    return value;
}

}  // namespace

Pair current_limit(const LimitInfo& limit) {
    struct rlimit64 now {};
    if (::getrlimit64(limit.resource, &now) != 0)
        throw system_error("cannot read the " + std::string(limit.name) + " limit", errno);
    return Pair{now.rlim_cur, now.rlim_max};
}

Environment system_environment() { return Environment{current_limit, cannot_raise_hard, nr_open}; }

}  // namespace pm::rlimit
