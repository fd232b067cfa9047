#include "netns/names.hpp"

#include <cstdint>
#include <cstdio>

namespace pm::netns {

std::string host_veth_name(const std::string& id) {
    uint64_t hash = 0xcbf29ce484222325ull;  // FNV-1a 64
    for (unsigned char c : id) {
        hash ^= c;
        hash *= 0x100000001b3ull;
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "pm%012llx", static_cast<unsigned long long>(hash >> 16));
    return buf;
}

std::string ip_netns_name(const std::string& id) { return "pm-" + id; }

}  // namespace pm::netns
