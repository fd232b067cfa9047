// Network namespace handles: a fresh namespace, the bind mount that keeps it
// alive at STATE/netns/ID, and the shared mount point STATE/netns itself (as
// iproute2 does for /run/netns, with its own peer group as Mesos does, so
// handles propagate to mount namespaces created later but not back up).
#pragma once
#include <sys/types.h>

#include <filesystem>

#include "core/unique_fd.hpp"
#include "core/undo.hpp"

namespace pm::netns {

// Makes `dir` (created if missing) a shared mount point in its own peer group.
// Pushes the undo of what it changed.
void ensure_shared_dir(const std::filesystem::path& dir, UndoStack& undo);

// A new, empty network namespace; the caller stays in its own.  Returns an fd
// to it (usable with setns and IFLA_NET_NS_FD); the namespace lives while the
// fd or a bind mount of it does.
UniqueFd create_netns();

// Creates the file `handle` and bind-mounts the namespace `netns_fd` on it.
// Error(conflict) when `handle` is already a live namespace handle; a stale
// plain file is reused.  Pushes unmount + unlink.
void mount_handle(int netns_fd, const std::filesystem::path& handle, UndoStack& undo);

// Unmounts (lazily) and removes `handle`; true when something was there.
// Error(failure) when it is a symlink.
bool remove_handle(const std::filesystem::path& handle);

// Whether `path` is a bind-mounted network namespace (nsfs), not following symlinks.
bool is_netns_handle(const std::filesystem::path& path);
// The namespace inode behind `path` (a handle or /proc/PID/ns/net); 0 when unreadable.
ino_t netns_inode(const std::filesystem::path& path);

}  // namespace pm::netns
