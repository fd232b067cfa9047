// Receive checksum offload through the SIOCETHTOOL ioctl (never the ethtool
// binary).  Acts on the caller's current network namespace.
#pragma once
#include <string>

namespace pm::ethtool {

// Current rx checksum offload state of `ifname`.
bool rx_checksum(const std::string& ifname);
// Turn rx checksum offload on or off (`ethtool -K IFNAME rx on|off`).
// Error(unsupported) when the driver cannot change it.
void set_rx_checksum(const std::string& ifname, bool on);

}  // namespace pm::ethtool
