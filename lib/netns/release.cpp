#include "netns/release.hpp"

#include <optional>

#include "core/diag.hpp"
#include "netns/handle.hpp"
#include "netns/ip_netns_link.hpp"
#include "netns/names.hpp"
#include "nl/link.hpp"
#include "nl/link_delete.hpp"
#include "nl/link_watch.hpp"
#include "state/json_file.hpp"

namespace pm::netns {
namespace fs = std::filesystem;
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

    fs::path link = fs::path(kIpNetnsDir) / ip_netns_name(id);
    if (rec && rec->extra.contains("ip_netns_link") && rec->extra["ip_netns_link"].is_string())
        link = rec->extra["ip_netns_link"].get<std::string>();
    if (unlink_ip_netns(link, handle)) diag::info("removed " + link.string());
    if (remove_handle(handle)) diag::info("released namespace handle " + handle.string());

    bool deleted = false;
    if (veth) {
        // With the last reference to the namespace gone, the kernel deletes the
        // pair in its namespace cleanup, batched with other namespaces: enough
        // for VethGone::certain.  Otherwise (a process, an open fd or a socket
        // still holds the namespace, or the caller waits) the pair is deleted
        // here (one end takes the other; the kernel drops their qdiscs and
        // filters), returning once the kernel has unlisted it.
        if (until == VethGone::certain && veth_going_with_namespace(*veth)) {
            diag::info("veth " + name + " goes with the namespace (the kernel deletes it in the background)");
            deleted = true;
        } else if (nl::delete_link_unlisted(host, veth->ifindex, name, kKernelCleanupTimeout)) {
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
