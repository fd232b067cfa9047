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

DestroyResult destroy_netns(const StateDir& state, const std::string& id, double wait, bool list_processes, bool sync) {
    validate_container_id(id);
    require_netns_privileges("destroying a container network namespace");
    DestroyResult result;
    if (!state.exists()) return result;
    StateLock lock(state.lock_file(), wait);

    // Planted symlinks are refused before anything changes, in one message
    // (container_dir() refuses containers/ID).
    const fs::path file = state.container_file(id, "netns.json");
    const fs::path handle = state.netns_handle(id);
    for (const auto& path : {file, handle})
        if (fs::is_symlink(fs::symlink_status(path)))
            throw Error(Exit::failure, "refusing to follow symlink " + path.string() + " in the state directory");

    std::optional<NetnsRecord> rec;
    try {
        rec = load_netns(state, id);
    } catch (const Error& e) {
        // A corrupt record must not block the clean-up of what the ID derives.
        diag::warning(std::string(e.what()) + "; removing what " + id + " derives to");
    }
    if (!rec && !fs::exists(fs::symlink_status(file)) && !fs::exists(fs::symlink_status(handle))) return result;
    result.existed = true;
    if (list_processes) result.still_inside = pids_in_netns(netns_inode(handle));
    nl::Socket host;
    release_container(host, state, id, rec ? &*rec : nullptr, sync ? VethGone::wait : VethGone::certain);
    return result;
}

}  // namespace pm::netns
