#include "netns/destroy.hpp"

#include "core/container_id.hpp"
#include "core/diag.hpp"
#include "core/error.hpp"
#include "netns/handle.hpp"
#include "netns/ip_netns_link.hpp"
#include "netns/names.hpp"
#include "netns/privileges.hpp"
#include "netns/processes.hpp"
#include "nl/link.hpp"
#include "state/json_file.hpp"
#include "state/lock.hpp"
#include "state/records.hpp"

namespace pm::netns {
namespace fs = std::filesystem;

DestroyResult destroy_netns(const StateDir& state, const std::string& id, double wait) {
    validate_container_id(id);
    require_netns_privileges("destroying a container network namespace");
    DestroyResult result;
    if (!state.exists()) return result;
    StateLock lock(state.lock_file(), wait);

    const fs::path file = state.container_file(id, "netns.json");
    const fs::path handle = state.netns_handle(id);
    std::optional<NetnsRecord> rec;
    try {
        rec = load_netns(state, id);
    } catch (const Error& e) {
        // A corrupt record must not block the clean-up of what the ID derives.
        diag::warning(std::string(e.what()) + "; removing what " + id + " derives to");
    }
    const bool recorded = rec || fs::exists(fs::symlink_status(file));
    const bool has_handle = fs::exists(fs::symlink_status(handle));
    if (!recorded && !has_handle) return result;
    result.existed = true;

    result.still_inside = pids_in_netns(netns_inode(handle));

    // Deleting one end of the pair deletes both; the kernel drops their qdiscs and filters.
    const std::string veth = rec ? rec->host_veth : host_veth_name(id);
    nl::Socket host;
    if (auto link = nl::find_link(host, veth); link && link->kind == "veth") {
        nl::delete_link(host, veth);
        diag::info("deleted veth " + veth);
    }
    if (rec && rec->extra.contains("ip_netns_link") && rec->extra["ip_netns_link"].is_string()) {
        fs::path link = rec->extra["ip_netns_link"].get<std::string>();
        if (unlink_ip_netns(link, fs::path(rec->netns_path))) diag::info("removed " + link.string());
    }
    if (remove_handle(handle)) diag::info("released namespace handle " + handle.string());
    remove_file(file);
    remove_dir_if_empty(state.container_dir(id));
    diag::info("removed " + file.string());
    return result;
}

}  // namespace pm::netns
