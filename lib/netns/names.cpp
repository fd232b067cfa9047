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
    // FNV alone barely mixes the last bytes into the high bits we keep
    // ("c1" and "c2" would differ in one digit): finish with MurmurHash3's fmix64.
    hash ^= hash >> 33;
    hash *= 0xff51afd7ed558ccdull;
    hash ^= hash >> 33;
    hash *= 0xc4ceb9fe1a85ec53ull;
    hash ^= hash >> 33;
    char buf[16];
    std::snprintf(buf, sizeof buf, "pm%012llx", static_cast<unsigned long long>(hash >> 16));
    return buf;
}

std::string ip_netns_name(const std::string& id) { return "pm-" + id; }

}  // namespace pm::netns
