#include "netns/release.hpp"

#include <optional>

#include "core/diag.hpp"
#include "netns/handle.hpp"
#include "netns/ip_netns_link.hpp"
#include "netns/names.hpp"
#include "netns/processes.hpp"
#include "nl/link.hpp"
#include "nl/link_watch.hpp"
#include "state/json_file.hpp"

namespace pm::netns {
namespace fs = std::filesystem;
namespace {

// How long a namespace that no process lives in may take to lose its last
// transient references (sockets freed after an RCU grace period).
constexpr double kReleaseGrace = 0.05;

}  // namespace

bool veth_going_with_namespace(const nl::Link& veth) {
    if (veth.kind != "veth" || !veth.link_netnsid) return false;  // both ends here: nothing dies with a namespace
    return veth.peer_namespace_dying() || !nl::netns_alive(*veth.link_netnsid);
}

bool release_container(nl::Socket& host, const StateDir& state, const std::string& id, const NetnsRecord* rec, VethGone until) {
    const fs::path handle = fs::absolute(state.netns_handle(id));
    const std::string name = rec ? rec->host_veth : host_veth_name(id);
    // Only a veth is ours to delete under that name.
    std::optional<nl::Link> veth = nl::find_link(host, name);
    if (veth && veth->kind != "veth") veth.reset();
    // Subscribed before the handle goes, so the veth's removal cannot be missed.
    std::optional<nl::LinkWatch> watch;
    if (veth) watch.emplace();
    const ino_t netns = netns_inode(handle);  // while there is a handle to look at

    fs::path link = fs::path(kIpNetnsDir) / ip_netns_name(id);
    if (rec && rec->extra.contains("ip_netns_link") && rec->extra["ip_netns_link"].is_string())
        link = rec->extra["ip_netns_link"].get<std::string>();
    if (unlink_ip_netns(link, handle)) diag::info("removed " + link.string());
    if (remove_handle(handle)) diag::info("released namespace handle " + handle.string());

    bool deleted = false;
    if (veth) {
        // With the last reference to the namespace gone, the kernel deletes the
        // pair in its namespace cleanup, batched; an RTM_DELLINK would wait for
        // RCU grace periods (an rcu_barrier, ~15 ms) instead.  VethGone::wait
        // waits for the cleanup, so that the name is free and nothing of the
        // container is left on return.  A process, an open fd or a socket keeping the namespace
        // alive means the pair stays: delete it (deleting one end deletes both;
        // the kernel drops their qdiscs and filters).
        bool going = veth_going_with_namespace(*veth);
        if (!going && veth->link_netnsid && netns && pids_in_netns(netns).empty()) {
            // No process inside, yet something holds the namespace: most often
            // the sockets of the create that configured it just before, which
            // the kernel frees one RCU grace period after their close.  Give
            // it that moment (an fd or a socket kept open elsewhere costs it).
            going = watch->wait_netns_gone(*veth->link_netnsid, kReleaseGrace);
        }
        if (going) {
            if (until == VethGone::certain) {
                diag::info("veth " + name + " goes with the namespace (the kernel deletes it in the background)");
                deleted = true;
            } else if (watch->wait_gone(host, veth->ifindex, kKernelCleanupTimeout)) {
                diag::info("veth " + name + " went with the namespace");
                deleted = true;
            }
        }
        if (!deleted && nl::delete_link(host, name)) {
            diag::info("deleted veth " + name);
            deleted = true;
        }
    }
    const fs::path file = state.container_file(id, "netns.json");
    if (fs::exists(fs::symlink_status(file))) {
        remove_file(file);
        diag::info("removed " + file.string());
    }
    remove_dir_if_empty(state.container_dir(id));
    return deleted;
}

}  // namespace pm::netns
