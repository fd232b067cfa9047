#include "netns/release.hpp"

#include "core/diag.hpp"
#include "netns/handle.hpp"
#include "netns/ip_netns_link.hpp"
#include "netns/names.hpp"
#include "nl/link.hpp"
#include "state/json_file.hpp"

namespace pm::netns {
namespace fs = std::filesystem;

bool release_container(nl::Socket& host, const StateDir& state, const std::string& id, const NetnsRecord* rec) {
    const fs::path handle = fs::absolute(state.netns_handle(id));
    const std::string veth = rec ? rec->host_veth : host_veth_name(id);
    bool deleted = false;
    // Only a veth is ours to delete under that name.  Deleting one end deletes
    // both; the kernel drops their qdiscs and filters.
    if (auto link = nl::find_link(host, veth); link && link->kind == "veth" && nl::delete_link(host, veth)) {
        diag::info("deleted veth " + veth);
        deleted = true;
    }
    fs::path link = fs::path(kIpNetnsDir) / ip_netns_name(id);
    if (rec && rec->extra.contains("ip_netns_link") && rec->extra["ip_netns_link"].is_string())
        link = rec->extra["ip_netns_link"].get<std::string>();
    if (unlink_ip_netns(link, handle)) diag::info("removed " + link.string());
    if (remove_handle(handle)) diag::info("released namespace handle " + handle.string());
    const fs::path file = state.container_file(id, "netns.json");
    if (fs::exists(fs::symlink_status(file))) {
        remove_file(file);
        diag::info("removed " + file.string());
    }
    remove_dir_if_empty(state.container_dir(id));
    return deleted;
}

}  // namespace pm::netns
