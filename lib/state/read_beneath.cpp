#include "state/read_beneath.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "core/read_file.hpp"

namespace pm {

UniqueFd open_dir_nofollow(const std::filesystem::path& dir) {
    return UniqueFd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

ReadBeneath read_beneath(int dirfd, const std::string& relative, std::string& out) {
    open_how how{};
    how.flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW;
    how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH;
    UniqueFd fd(static_cast<int>(::syscall(SYS_openat2, dirfd, relative.c_str(), &how, sizeof how)));
    if (!fd.valid()) return errno == ENOENT ? ReadBeneath::missing : ReadBeneath::other;
    return read_whole_file(fd.get(), out) ? ReadBeneath::ok : ReadBeneath::other;
}

}  // namespace pm
