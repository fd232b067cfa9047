// Whether a container still has its network namespace, as pm-netns records it:
// containers/ID/netns.json and a live handle at netns/ID.  `pm-alloc gc` asks
// this (read-only, under the state lock pm-netns also writes under).
#pragma once
#include <optional>
#include <string>

#include "state/state_dir.hpp"

namespace pm::alloc {

// nullopt while ID has its namespace; otherwise why not ("no netns.json",
// "namespace handle ... is gone").  A corrupt netns.json counts as a namespace
// (with a warning): gc must not free ports a live container may still use.
std::optional<std::string> missing_namespace(const StateDir& dir, const std::string& id);

}  // namespace pm::alloc
