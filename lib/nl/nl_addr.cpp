#include "nl/nl_addr.hpp"

#include <arpa/inet.h>
#include <netlink/errno.h>

#include <cstdio>

#include "core/error.hpp"

namespace pm::nl {

Addr parse_addr(const std::string& text, int family, const std::string& what) {
    nl_addr* out = nullptr;
    int rc = nl_addr_parse(text.c_str(), family, &out);
    if (rc < 0 || !out) throw Error(Exit::bad_value, "invalid " + what + " '" + text + "'");
    return Addr(out);
}

std::string addr_to_string(const nl_addr* addr) {
    if (!addr) return "";
    const auto* bytes = static_cast<const unsigned char*>(nl_addr_get_binary_addr(addr));
    unsigned len = nl_addr_get_len(addr);
    if (nl_addr_get_family(addr) == AF_INET && len == 4) {
        char buf[INET_ADDRSTRLEN];
        return inet_ntop(AF_INET, bytes, buf, sizeof buf) ? buf : "";
    }
    // Link-layer (and anything else): lower-case hex pairs, as iproute2 prints MACs.
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
        char part[4];
        std::snprintf(part, sizeof part, i ? ":%02x" : "%02x", bytes[i]);
        out += part;
    }
    return out;
}

}  // namespace pm::nl
