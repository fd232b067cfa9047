// What a container copies from the host (Mesos reference §1.2 steps 3-4): the
// public interface "eth0" (--eth0, else the link of the default IPv4 route),
// the loopback (--lo, else the first IFF_LOOPBACK link), eth0's first IPv4
// address, MAC and MTU, and the default gateway.  Read through netlink in the
// caller's namespace (under nsenter --net, /sys would show another host).
#pragma once
#include <string>

#include "nl/address.hpp"
#include "nl/link.hpp"
#include "nl/route.hpp"
#include "nl/socket.hpp"

namespace pm::netns {

struct HostFacts {
    nl::Link eth0;
    nl::Link lo;
    nl::Ipv4Net address;       // eth0's first IPv4 address
    nl::DefaultRoute gateway;  // default route out of eth0
};

// `eth0_name` / `lo_name` "" = discover.  Error(not_found) when an interface,
// the IPv4 address or the default route cannot be found; Error(bad_value) when
// a named interface is unfit (eth0 without a MAC, --lo not a loopback).
HostFacts discover_host(nl::Socket& sock, const std::string& eth0_name, const std::string& lo_name);

// Error(bad_value) unless `name` is a valid interface name; `option` names the flag.
void validate_ifname(const std::string& name, const std::string& option);

}  // namespace pm::netns
