// Owning handle and text conversions for libnl's nl_addr (MACs, IPv4
// addresses with prefix length).
#pragma once
#include <netlink/addr.h>

#include <memory>
#include <string>

namespace pm::nl {

struct AddrPut {
    void operator()(nl_addr* addr) const { if (addr) nl_addr_put(addr); }
};
using Addr = std::unique_ptr<nl_addr, AddrPut>;

// Parses `text` in `family` (AF_INET "a.b.c.d[/len]", AF_LLC "aa:bb:cc:dd:ee:ff");
// Error(bad_value) naming `what` when it does not parse.
Addr parse_addr(const std::string& text, int family, const std::string& what);
// "aa:bb:..." for link-layer addresses, "a.b.c.d" for IPv4 (no prefix); "" for null.
std::string addr_to_string(const nl_addr* addr);

}  // namespace pm::nl
