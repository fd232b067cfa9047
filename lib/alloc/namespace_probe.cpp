#include "alloc/namespace_probe.hpp"

#include "core/diag.hpp"
#include "core/error.hpp"
#include "netns/handle.hpp"
#include "state/records.hpp"

namespace pm::alloc {

std::optional<std::string> missing_namespace(const StateDir& dir, const std::string& id) {
    try {
        if (!load_netns(dir, id)) return "no netns.json";
    } catch (const Error& e) {
        diag::warning(std::string(e.what()) + "; treating " + id + " as having a namespace");
        return std::nullopt;
    }
    const auto handle = dir.netns_handle(id);
    if (!netns::is_netns_handle(handle)) return "namespace handle " + handle.string() + " is gone";
    return std::nullopt;
}

}  // namespace pm::alloc
