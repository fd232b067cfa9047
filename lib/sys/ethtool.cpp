#include "sys/ethtool.hpp"

#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"
#include "core/unique_fd.hpp"

namespace pm::ethtool {
namespace {

void request(const std::string& ifname, ethtool_value& value, const char* what) {
    UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) throw system_error("cannot open a socket for ethtool", errno);
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
    ifr.ifr_data = reinterpret_cast<char*>(&value);
    if (::ioctl(fd.get(), SIOCETHTOOL, &ifr) != 0) {
        int err = errno;
        if (err == EOPNOTSUPP) throw Error(Exit::unsupported, std::string(what) + " on " + ifname + ": not supported by the driver");
        throw system_error(std::string(what) + " on " + ifname, err);
    }
}

}  // namespace

bool rx_checksum(const std::string& ifname) {
    ethtool_value value{ETHTOOL_GRXCSUM, 0};
    request(ifname, value, "cannot read rx checksum offload");
    return value.data != 0;
}

void set_rx_checksum(const std::string& ifname, bool on) {
    ethtool_value value{ETHTOOL_SRXCSUM, on ? 1u : 0u};
    request(ifname, value, on ? "cannot turn rx checksum offload on" : "cannot turn rx checksum offload off");
}

}  // namespace pm::ethtool
