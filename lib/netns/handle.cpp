#include "netns/handle.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <string>
#include <cstdlib>

#include "core/diag.hpp"
#include "core/error.hpp"
#include "netns/mountinfo.hpp"
#include "state/json_file.hpp"
#include "state/state_dir.hpp"

namespace pm::netns {
namespace fs = std::filesystem;

namespace {

// Written beside the directory (DIR.shared-mount) once DIR is a shared mount
// point of its own: its mount's id.  A directory that is a mount point without
// a marker naming it (a create killed between the bind mount and the share;
// someone else's mount) gets the full check.
std::string marker_of(const std::string& dir) { return dir + ".shared-mount"; }

std::optional<uint64_t> mount_id(const std::string& path) {
    struct statx st {};
    if (::statx(AT_FDCWD, path.c_str(), AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &st) != 0 || !(st.stx_mask & STATX_MNT_ID))
        return std::nullopt;
    return st.stx_mnt_id;
}

// Whether `dir` is a mount point whose marker names its mount: then an earlier
// create made it a shared mount point, and mountinfo, which lists every
// container's handle, need not be read again.
bool marked_shared(const std::string& dir) {
    auto self = mount_id(dir), parent = mount_id(dir + "/..");
    if (!self || !parent || *self == *parent) return false;
    UniqueFd fd(::open(marker_of(dir).c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    char buf[32] = {};
    if (!fd.valid() || ::read(fd.get(), buf, sizeof buf - 1) <= 0) return false;
    return std::to_string(*self) == buf;
}

void mark_shared(const std::string& dir, UndoStack& undo) {
    auto id = mount_id(dir);
    if (!id) return;  // the full check runs again next time
    const std::string marker = marker_of(dir), text = std::to_string(*id);
    UniqueFd fd(::open(marker.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (!fd.valid() || ::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()))
        throw system_error("cannot write " + marker, errno);
    undo.push("remove " + marker, [marker] { ::unlink(marker.c_str()); });
}

}  // namespace

void ensure_shared_dir(const fs::path& dir, UndoStack& undo) {
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(dir, ec))) {
        make_private_dir(dir);
        undo.push("remove " + dir.string(), [dir] { remove_dir_if_empty(dir); });
    }
    make_private_dir(dir);  // refuses a symlink or a non-directory
    const std::string real = fs::canonical(dir, ec).string();
    if (ec) throw Error(Exit::failure, "cannot resolve " + dir.string() + ": " + ec.message());
    if (marked_shared(real)) return;
    auto mounts = read_mountinfo();
    const MountEntry* self = find_mount(mounts, real);
    bool reshare = self == nullptr;
    if (!self) {
        ::unlink(marker_of(real).c_str());  // of an earlier mount, whose id the new one may reuse
        if (::mount(real.c_str(), real.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
            throw system_error("cannot bind-mount " + real + " onto itself", errno);
        undo.push("unmount " + real, [real] {
            if (::umount2(real.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) != 0) throw system_error("umount", errno);
        });
        diag::info("made " + real + " a mount point");
    } else if (!self->shared) {
        reshare = true;
    } else if (const MountEntry* parent = find_mount_by_id(mounts, self->parent); parent && parent->shared == self->shared) {
        reshare = true;  // shares its parent's group: handles would propagate everywhere
    }
    if (reshare) {
        // Slave first (keep receiving from the parent), then shared in a new peer group.
        if (::mount(nullptr, real.c_str(), nullptr, MS_SLAVE, nullptr) != 0 ||
            ::mount(nullptr, real.c_str(), nullptr, MS_SHARED, nullptr) != 0)
            throw system_error("cannot make " + real + " a shared mount point", errno);
        diag::info("made " + real + " a shared mount point");
    }
    mark_shared(real, undo);
}

UniqueFd create_netns() {
    UniqueFd original(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    if (!original.valid()) throw system_error("cannot open the current network namespace", errno);
    if (::unshare(CLONE_NEWNET) != 0) throw system_error("cannot create a network namespace", errno);
    UniqueFd created(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    int err = errno;
    if (::setns(original.get(), CLONE_NEWNET) != 0) {
        // Carrying on inside the new namespace would configure the wrong host.
        diag::error("cannot return to the original network namespace; aborting");
        std::abort();
    }
    if (!created.valid()) throw system_error("cannot open the new network namespace", err);
    return created;
}

void mount_handle(int netns_fd, const fs::path& handle, UndoStack& undo) {
    if (is_netns_handle(handle))
        throw Error(Exit::conflict, "namespace handle " + handle.string() + " is already in use (destroy it first)");
    UniqueFd file(::open(handle.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0));
    if (!file.valid() && errno == EEXIST) {
        // A stale handle left by a crash: take it over if it is a plain file.
        struct stat st {};
        if (::lstat(handle.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
            throw Error(Exit::conflict, handle.string() + " exists and is not a namespace handle");
        ::unlink(handle.c_str());
        file.reset(::open(handle.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0));
    }
    if (!file.valid()) throw system_error("cannot create namespace handle " + handle.string(), errno);
    file.reset();
    const std::string path = handle.string();
    undo.push("remove " + path, [path] {
        if (::unlink(path.c_str()) != 0 && errno != ENOENT) throw system_error("unlink", errno);
    });
    const std::string source = "/proc/self/fd/" + std::to_string(netns_fd);
    if (::mount(source.c_str(), path.c_str(), nullptr, MS_BIND, nullptr) != 0)
        throw system_error("cannot bind-mount the network namespace on " + path, errno);
    undo.push("unmount " + path, [path] {
        if (::umount2(path.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) != 0) throw system_error("umount", errno);
    });
}

bool remove_handle(const fs::path& handle) {
    struct stat st {};
    if (::lstat(handle.c_str(), &st) == 0 && S_ISLNK(st.st_mode))  // planted: neither ours to follow nor to remove
        throw Error(Exit::failure, "refusing to follow symlink " + handle.string() + " in the state directory");
    bool found = false;
    if (::umount2(handle.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) == 0)
        found = true;
    else if (errno != EINVAL && errno != ENOENT)
        throw system_error("cannot unmount namespace handle " + handle.string(), errno);
    if (::unlink(handle.c_str()) == 0)
        found = true;
    else if (errno != ENOENT)
        throw system_error("cannot remove namespace handle " + handle.string(), errno);
    return found;
}

bool is_netns_handle(const fs::path& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || S_ISLNK(st.st_mode)) return false;
    struct statfs fs {};
    return ::statfs(path.c_str(), &fs) == 0 && static_cast<unsigned long>(fs.f_type) == NSFS_MAGIC;
}

ino_t netns_inode(const fs::path& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

}  // namespace pm::netns
