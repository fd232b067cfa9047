#include "netns/tuning.hpp"

#include "core/diag.hpp"
#include "core/error.hpp"
#include "sys/sysctl.hpp"
#include "sys/sysctl_dirs.hpp"

namespace pm::netns {

const std::vector<std::string>& tuning_keys() {
    static const std::vector<std::string> keys = {
        "net.core.somaxconn",           "net.ipv4.tcp_ecn",
        "net.ipv4.tcp_ecn_fallback",    "net.core.netdev_max_backlog",
        "net.core.rmem_max",            "net.core.wmem_max",
        "net.ipv4.tcp_keepalive_time",  "net.ipv4.tcp_keepalive_intvl",
        "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_max_syn_backlog",
        "net.ipv4.tcp_rmem",            "net.ipv4.tcp_wmem",
        "net.ipv4.tcp_retries2",        "net.ipv4.tcp_synack_retries",
        "net.ipv4.neigh.default.gc_thresh1", "net.ipv4.neigh.default.gc_thresh2",
        "net.ipv4.neigh.default.gc_thresh3",
    };
    return keys;
}

SysctlValues snapshot_tuning(sysctl::Dirs& dirs) {
    SysctlValues out;
    for (const auto& key : tuning_keys()) {
        std::string path = sysctl::path(key);
        try {
            if (auto value = dirs.read(path)) out.emplace_back(path, *value);
        } catch (const Error& e) {
            diag::info("not replaying " + key + ": " + e.what());  // unreadable here: nothing to copy
        }
    }
    return out;
}

}  // namespace pm::netns
