#include "netns/gc.hpp"

#include <set>

#include "core/container_id.hpp"
#include "core/diag.hpp"
#include "core/error.hpp"
#include "netns/handle.hpp"
#include "netns/host_settings.hpp"
#include "netns/privileges.hpp"
#include "netns/processes.hpp"
#include "netns/release.hpp"
#include "nl/link.hpp"
#include "state/lock.hpp"
#include "state/records.hpp"
#include "state/stale_temps.hpp"

namespace pm::netns {
namespace fs = std::filesystem;
namespace {

// Why a recorded container should go, or "" when it is healthy.
std::string stale_reason(nl::Socket& host, const StateDir& state, const NetnsRecord& rec, bool empty) {
    const fs::path handle = state.netns_handle(rec.id);
    if (!is_netns_handle(handle)) return "namespace handle gone";
    auto veth = nl::find_link(host, rec.host_veth);
    if (!veth || veth->ifindex != rec.host_veth_ifindex) return "veth " + rec.host_veth + " gone";
    if (empty && pids_in_netns(netns_inode(handle)).empty()) return "no process left in the namespace";
    return "";
}

}  // namespace

std::vector<GcEntry> gc_netns(const StateDir& state, bool empty, double wait) {
    require_netns_privileges("collecting stale container network namespaces");
    std::vector<GcEntry> removed;
    if (!state.exists()) return removed;
    StateLock lock(state.lock_file(), wait);
    remove_stale_record_temps(state, {"netns.json"}, {host_record_file(state)});  // of writers killed mid-write
    nl::Socket host;
    auto drop = [&](const std::string& id, const std::string& reason, const NetnsRecord* rec) {
        diag::info("gc " + id + ": " + reason);
        release_container(host, state, id, rec, VethGone::wait);  // after gc, state and kernel agree
        removed.push_back({id, reason});
    };

    std::set<std::string> recorded;
    for (const auto& id : state.container_ids()) {
        std::optional<NetnsRecord> rec;
        try {
            rec = load_netns(state, id);
        } catch (const Error&) {
            drop(id, "corrupt record", nullptr);
            continue;
        }
        if (!rec) continue;
        recorded.insert(id);
        if (auto reason = stale_reason(host, state, *rec, empty); !reason.empty()) drop(id, reason, &*rec);
    }
    // Handles nobody recorded: a create killed between its mount and its record.
    std::error_code ec;
    for (fs::directory_iterator it(state.netns_dir(), ec), end; !ec && it != end; it.increment(ec)) {
        const std::string id = it->path().filename().string();
        if (!is_valid_container_id(id) || recorded.count(id)) continue;
        if (it->is_symlink()) continue;  // never ours: we do not follow or remove it
        drop(id, "namespace handle without a record", nullptr);
    }
    return removed;
}

}  // namespace pm::netns
