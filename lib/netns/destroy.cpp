#include "netns/destroy.hpp"

#include "core/container_id.hpp"
#include "core/diag.hpp"
#include "core/error.hpp"
#include "netns/handle.hpp"
#include "netns/privileges.hpp"
#include "netns/processes.hpp"
#include "netns/release.hpp"
#include "state/lock.hpp"
#include "state/records.hpp"

namespace pm::netns {
namespace fs = std::filesystem;

DestroyResult destroy_netns(const StateDir& state, const std::string& id, double wait, bool list_processes) {
    validate_container_id(id);
    require_netns_privileges("destroying a container network namespace");
    DestroyResult result;
    if (!state.exists()) return result;
    StateLock lock(state.lock_file(), wait);

    std::optional<NetnsRecord> rec;
    try {
        rec = load_netns(state, id);
    } catch (const Error& e) {
        // A corrupt record must not block the clean-up of what the ID derives.
        diag::warning(std::string(e.what()) + "; removing what " + id + " derives to");
    }
    const fs::path handle = state.netns_handle(id);
    if (!rec && !fs::exists(fs::symlink_status(state.container_file(id, "netns.json"))) &&
        !fs::exists(fs::symlink_status(handle)))
        return result;
    result.existed = true;
    if (list_processes) result.still_inside = pids_in_netns(netns_inode(handle));
    nl::Socket host;
    release_container(host, state, id, rec ? &*rec : nullptr);
    return result;
}

}  // namespace pm::netns
