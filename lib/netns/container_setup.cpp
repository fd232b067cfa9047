#include "netns/container_setup.hpp"

#include <unistd.h>

#include "core/diag.hpp"
#include "core/error.hpp"
#include "netns/sysctl_step.hpp"
#include "nl/address.hpp"
#include "nl/link.hpp"
#include "nl/route.hpp"
#include "sys/ethtool.hpp"
#include "sys/netns_enter.hpp"
#include "sys/sysctl.hpp"

namespace pm::netns {
namespace {

std::string conf(const std::string& ifname, const char* key) {
    return sysctl::path({"net", "ipv4", "conf", ifname, key});
}

// Sets a sysctl of the container.  Optional keys are skipped when this kernel
// lacks them.  In a namespace this call created there is nothing to compare
// with or restore: one open and one write.
void put(sysctl::Dirs& dirs, const std::string& path, const std::string& value, const SysctlScope& scope,
         bool required) {
    if (!scope.undo) {
        if (!set_fresh_sysctl(dirs, path, value, scope.where) && required)
            throw Error(Exit::unsupported, scope.where + ": cannot set " + path + " (missing or read-only here)");
        return;
    }
    if (required || sysctl::exists(path)) set_sysctl(path, value, scope);
}

void configure_lo(nl::Socket& sock, const nl::Link& lo, const ContainerPlan& plan, UndoStack* undo) {
    nl::LinkChange change;
    if (lo.mac != plan.host->eth0.mac) change.mac = plan.host->eth0.mac;
    if (lo.mtu != plan.host->eth0.mtu) change.mtu = plan.host->eth0.mtu;
    if (!lo.up()) change.up = true;
    // Bringing lo up adds 127.0.0.1/8, which bringing it down keeps: note what to take away.
    const bool had_addresses = !undo || !change.up || !nl::ipv4_addresses(sock, lo.ifindex).empty();
    nl::change_link(sock, lo.ifindex, change, plan.where + " " + lo.name);
    if (!undo || change.empty()) return;
    nl::LinkChange back;
    if (change.mac) back.mac = lo.mac;
    if (change.mtu) back.mtu = lo.mtu;
    if (change.up) back.up = false;
    undo->push(plan.where + ": restore " + lo.name, [back, lo, had_addresses, netns = plan.restore_in, where = plan.where] {
        NetnsGuard inside(netns);
        nl::Socket s;
        nl::change_link(s, lo.ifindex, back, where + " " + lo.name);
        if (!had_addresses)
            for (const auto& net : nl::ipv4_addresses(s, lo.ifindex)) nl::delete_ipv4_address(s, lo.ifindex, net, where + " " + lo.name);
    });
}

}  // namespace

ContainerLinks configure_container(const ContainerPlan& plan, UndoStack& undo) {
    const HostFacts& host = *plan.host;
    UndoStack* restore = plan.restore_in.empty() ? nullptr : &undo;
    const SysctlScope scope{restore, plan.restore_in, plan.where};
    nl::Socket sock;      // bound to the namespace we are in
    sysctl::Dirs dirs;    // its /proc/sys

    // IPv6 off first: "all" also covers links created or brought up later.
    put(dirs, sysctl::path("net.ipv6.conf.all.disable_ipv6"), "1", scope, false);
    put(dirs, sysctl::path("net.ipv6.conf.default.disable_ipv6"), "1", scope, false);

    auto lo = nl::find_loopback(sock);
    if (!lo) throw Error(Exit::failure, "the container namespace has no loopback interface");

    auto eth0 = nl::find_link(sock, plan.ifname);
    if (!eth0) throw Error(Exit::failure, "the container end " + plan.ifname + " of the veth pair is missing");
    // veth marks received packets CHECKSUM_UNNECESSARY; with rx offload off TCP
    // verifies checksums and drops corrupt packets (as Mesos does).
    ethtool::set_rx_checksum(plan.ifname, false);
    nl::change_link(sock, eth0->ifindex, {.up = true}, plan.where + " " + plan.ifname);
    if (!nl::add_ipv4_address(sock, eth0->ifindex, host.address, plan.where + " " + plan.ifname))
        throw Error(Exit::conflict, plan.where + ": " + plan.ifname + " already has " + host.address.to_string());
    nl::DefaultRoute route = host.gateway;
    route.ifindex = eth0->ifindex;
    // A gateway outside the address's prefix is reachable only when marked onlink.
    route.onlink = route.onlink || !host.address.contains(route.gateway);
    if (!nl::add_default_route(sock, route, plan.where + " " + plan.ifname))
        throw Error(Exit::conflict, plan.where + " already has a default route");
    diag::info(plan.where + ": " + plan.ifname + " up, " + host.address.to_string() + " via " + route.gateway +
               ", mtu " + std::to_string(host.eth0.mtu) + ", rx checksum off");

    put(dirs, sysctl::path("net.ipv4.ip_local_port_range"),
        std::to_string(plan.ephemeral.first) + " " + std::to_string(plan.ephemeral.last), scope, true);
    put(dirs, conf(plan.ifname, "accept_local"), "1", scope, true);
    put(dirs, conf(lo->name, "accept_local"), "1", scope, true);
    put(dirs, conf(lo->name, "route_localnet"), "1", scope, false);
    for (const auto& [path, value] : plan.tuning) {
        if (!restore) {
            set_fresh_sysctl(dirs, path, value, plan.where);
            continue;
        }
        // Some keys exist only in the initial namespace, some are read-only here.
        if (::access(path.c_str(), W_OK) != 0) continue;
        set_sysctl(path, value, scope);
    }
    // Last: an all-zero MAC cannot be set back, so in an adopted namespace
    // this is the one change a later rollback may fail to undo.
    configure_lo(sock, *lo, plan, restore);
    return {eth0->ifindex, lo->name, lo->ifindex};
}

}  // namespace pm::netns
