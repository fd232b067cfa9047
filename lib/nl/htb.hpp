// HTB qdiscs and classes with 64-bit rates (libnl >= 3.5 rate64/ceil64: the
// kernel's TCA_HTB_RATE64/CEIL64 carry rates above 2^32-1 bytes/s, about
// 34 Gbit/s; below that the 32-bit fields are exact).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "nl/socket.hpp"

struct rtnl_class;

namespace pm::nl {

struct HtbClass {
    uint64_t rate = 0;     // bytes/s
    uint64_t ceil = 0;     // bytes/s, >= rate
    uint32_t burst = 0;    // bytes at `rate` (HTB buffer, tc "burst")
    uint32_t cburst = 0;   // bytes at `ceil` (tc "cburst")
    uint32_t quantum = 0;  // bytes per DRR round; 0 = rate / r2q
};

// Adds a root HTB qdisc `handle` whose unclassified traffic goes to class
// minor `default_minor` (so nothing bypasses the shaper).  Replaces only the
// kernel's default root qdisc; any other root qdisc is an error.
void add_htb_root(Socket& sock, int ifindex, uint32_t handle, uint32_t default_minor, const std::string& what);

// Creates (create = true) or changes an HTB class in place.  Changing keeps
// the class's queue, so open connections see only the new rate.
void set_htb_class(Socket& sock, int ifindex, uint32_t parent, uint32_t classid, const HtbClass& c, bool create,
                   const std::string& what);

// The libnl class object set_htb_class() sends (exposed so tests can check
// the netlink message, e.g. TCA_HTB_RATE64 above 2^32-1 bytes/s).
Object<rtnl_class> make_htb_class(int ifindex, uint32_t parent, uint32_t classid, const HtbClass& c);

// The class as the kernel has it (64-bit rates); nullopt when absent.
std::optional<HtbClass> get_htb_class(Socket& sock, int ifindex, uint32_t classid);

}  // namespace pm::nl
