// Names derived from a container ID.  Interface names are at most 15 bytes, so
// the ID itself is never used (CONVENTIONS.md); the host-side veth name is
// "pm" + 12 hex digits of a 64-bit hash of the ID (FNV-1a, then fmix64): short, stable across
// runs and hosts, and recognisable by the leak check (^pm[0-9a-f]).
#pragma once
#include <string>

namespace pm::netns {

std::string host_veth_name(const std::string& id);
// The entry name under /run/netns for --link-ip-netns ("pm-ID").
std::string ip_netns_name(const std::string& id);

}  // namespace pm::netns
