// `pm-netns create`: a container's network namespace on the host's IP, wired
// to the host by a veth pair, configured inside, recorded in
// containers/ID/netns.json.  Any failure undoes everything this call made.
#pragma once
#include <optional>
#include <string>

#include "state/records.hpp"
#include "state/state_dir.hpp"

namespace pm::netns {

struct CreateOptions {
    std::string id;
    std::optional<std::string> eth0;  // none = the default route's link
    std::optional<std::string> lo;    // none = the first loopback
    std::optional<int> pid;      // adopt this process's namespace
    bool link_ip_netns = false;  // also /run/netns/pm-ID for `ip netns`
    double wait = 30;            // state lock wait, seconds
};

struct CreateResult {
    NetnsRecord record;
    bool created = false;  // false: it already existed with these parameters
};

CreateResult create_netns(const StateDir& state, const CreateOptions& options);

}  // namespace pm::netns
