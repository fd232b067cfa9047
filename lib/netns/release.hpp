// Removing what a container has, for destroy and gc: the veth pair, the
// /run/netns link, the namespace handle and netns.json.  Missing pieces are
// fine.  The caller holds the state lock.
#pragma once
#include <string>

#include "nl/link.hpp"
#include "nl/socket.hpp"
#include "state/records.hpp"
#include "state/state_dir.hpp"

namespace pm::netns {

// When release_container may return about the veth pair: once the kernel is
// certain to delete it (its namespace is dying), or once it is gone.
enum class VethGone { certain, wait };

// `rec` null: the record is missing or corrupt; the names derived from `id`
// are used.  The handle goes first: when that was the namespace's last
// reference, the kernel deletes the veth pair in its namespace cleanup, which
// VethGone::certain leaves to it; otherwise, or with VethGone::wait, the pair
// is deleted and release_container returns once the kernel has unlisted it.
// Returns whether a veth went (or is going).
bool release_container(nl::Socket& host, const StateDir& state, const std::string& id, const NetnsRecord* rec,
                       VethGone until);

// Whether the kernel is deleting `veth` (a link of the caller's namespace) by
// itself: its peer's namespace has lost its last reference (a destroy without
// --sync, a killed adopted process).
bool veth_going_with_namespace(const nl::Link& veth);

// How long to let the kernel's namespace cleanup delete a veth pair (it is one
// work queue for all namespaces) before giving up on it.
inline constexpr double kKernelCleanupTimeout = 10.0;

}  // namespace pm::netns
