#include "netns/host_facts.hpp"

#include <optional>

#include "core/error.hpp"

namespace pm::netns {

void validate_ifname(const std::string& name, const std::string& option) {
    if (!nl::is_valid_ifname(name))
        throw Error(Exit::bad_value, "invalid " + option + " '" + name +
                                         "': an interface name has 1-15 characters and no '/', ':' or spaces");
}

namespace {

// `route`: set to the default route when that is how eth0 was found.
nl::Link find_eth0(nl::Socket& sock, const std::string& name, std::optional<nl::DefaultRoute>& route) {
    if (!name.empty()) {
        validate_ifname(name, "--eth0");
        auto link = nl::find_link(sock, name);
        if (!link) throw Error(Exit::not_found, "the public interface '" + name + "' does not exist");
        if (link->loopback()) throw Error(Exit::bad_value, "--eth0 '" + name + "' is a loopback interface");
        return *link;
    }
    route = nl::find_default_route(sock);
    if (!route)
        throw Error(Exit::not_found,
                    "cannot find the host's public interface: no default IPv4 route with a gateway (add one, or give --eth0)");
    auto link = nl::find_link(sock, route->ifindex);
    if (!link) throw Error(Exit::not_found, "the default route's interface #" + std::to_string(route->ifindex) + " vanished");
    return *link;
}

nl::Link find_lo(nl::Socket& sock, const std::string& name) {
    if (!name.empty()) {
        validate_ifname(name, "--lo");
        auto link = nl::find_link(sock, name);
        if (!link) throw Error(Exit::not_found, "the loopback interface '" + name + "' does not exist");
        if (!link->loopback()) throw Error(Exit::bad_value, "--lo '" + name + "' is not a loopback interface");
        return *link;
    }
    auto link = nl::find_loopback(sock);
    if (!link) throw Error(Exit::not_found, "cannot find the host's loopback interface (give --lo)");
    return *link;
}

}  // namespace

HostFacts discover_host(nl::Socket& sock, const std::string& eth0_name, const std::string& lo_name) {
    HostFacts facts;
    std::optional<nl::DefaultRoute> route;
    facts.eth0 = find_eth0(sock, eth0_name, route);
    facts.lo = find_lo(sock, lo_name);
    const std::string& eth0 = facts.eth0.name;
    if (facts.eth0.mac.size() != 17 || facts.eth0.mac == "00:00:00:00:00:00")
        throw Error(Exit::bad_value, "the public interface " + eth0 + " has no Ethernet MAC address");
    auto addresses = nl::ipv4_addresses(sock, facts.eth0.ifindex);
    if (addresses.empty()) throw Error(Exit::not_found, "the public interface " + eth0 + " has no IPv4 address");
    facts.address = addresses.front();
    if (!route) route = nl::find_default_route(sock, facts.eth0.ifindex);
    if (!route)
        throw Error(Exit::not_found, "no default IPv4 route with a gateway via " + eth0 +
                                         ": containers need the host's gateway (add a default route)");
    facts.gateway = *route;
    return facts;
}

}  // namespace pm::netns
