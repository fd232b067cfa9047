#include "sys/privileges.hpp"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/error.hpp"

namespace pm {

bool has_capability(int cap) {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    if (::syscall(SYS_capget, &header, data) != 0) return ::geteuid() == 0;
    return (data[cap / 32].effective & (1u << (cap % 32))) != 0;
}

void require_capability(int cap, const std::string& cap_name, const std::string& why) {
    if (!has_capability(cap)) throw Error(Exit::permission, why + ": needs " + cap_name + " (run as root)");
}

}  // namespace pm
