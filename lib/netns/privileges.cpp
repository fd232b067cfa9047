#include "netns/privileges.hpp"

#include <linux/capability.h>

#include "sys/privileges.hpp"

namespace pm::netns {

void require_netns_privileges(const std::string& what) {
    require_capability(CAP_SYS_ADMIN, "CAP_SYS_ADMIN", what);
    require_capability(CAP_NET_ADMIN, "CAP_NET_ADMIN", what);
}

}  // namespace pm::netns
