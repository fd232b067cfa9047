#include "nl/link_delete.hpp"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"
#include "core/unique_fd.hpp"
#include "nl/link_watch.hpp"
#include "sys/default_sigchld.hpp"

namespace pm::nl {
namespace {

// The child's exit status: 0 deleted, kGone already gone, kErrnoBase + errno refused.
constexpr int kGone = 2;
constexpr int kErrnoBase = 100;

// In the child: only async-signal-safe calls.  Every inherited fd is closed
// first, so that the state lock and the caller's pipes (a shell's `$(...)`
// waits for their end) are not held while the kernel finishes.
[[noreturn]] void delete_in_child(int ifindex, int max_fd) {
    if (::close_range(0, ~0U, 0) != 0)
        for (int fd = 0; fd < max_fd; ++fd) ::close(fd);  // Linux < 5.9
    int sock = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (sock < 0) ::_exit(kErrnoBase + errno);
    struct {
        nlmsghdr header;
        ifinfomsg link;
    } request{};
    request.header.nlmsg_len = sizeof request;
    request.header.nlmsg_type = RTM_DELLINK;
    request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    request.header.nlmsg_seq = 1;
    request.link.ifi_family = AF_UNSPEC;
    request.link.ifi_index = ifindex;
    if (::send(sock, &request, sizeof request, 0) < 0) ::_exit(kErrnoBase + errno);
    alignas(nlmsghdr) char reply[1024];
    ssize_t n = ::recv(sock, reply, sizeof reply, 0);
    if (n < static_cast<ssize_t>(NLMSG_LENGTH(sizeof(nlmsgerr)))) ::_exit(kErrnoBase + EPROTO);
    const auto* header = reinterpret_cast<const nlmsghdr*>(reply);
    if (header->nlmsg_type != NLMSG_ERROR) ::_exit(kErrnoBase + EPROTO);
    const int err = -static_cast<const nlmsgerr*>(NLMSG_DATA(header))->error;
    if (err == 0) ::_exit(0);
    if (err == ENODEV) ::_exit(kGone);
    ::_exit(kErrnoBase + (err < 155 ? err : EPROTO));
}

}  // namespace

// The link is named by its ifindex, read before the caller released anything.
// When the kernel's namespace cleanup unlists it first, the child's request
// comes late and finds no such link: the kernel hands ifindexes out
// cyclically, so the index is not another link's within these milliseconds.
bool delete_link_unlisted(Socket& query, int ifindex, const std::string& name, double timeout_seconds) {
    LinkWatch watch;  // subscribed before the request, so its effect cannot be missed
    DefaultSigchld sigchld;
    const long open_max = ::sysconf(_SC_OPEN_MAX);
    const int max_fd = open_max > 0 && open_max < (1L << 20) ? static_cast<int>(open_max) : 1024;
    const pid_t child = ::fork();
    if (child < 0) throw system_error("cannot fork to delete link " + name, errno);
    if (child == 0) delete_in_child(ifindex, max_fd);
    int status = -1;  // the child's, once reaped
    auto reap = [&] {
        int st = 0;
        if (status < 0 && ::waitpid(child, &st, WNOHANG) == child) status = st;
    };
    UniqueFd exited(static_cast<int>(::syscall(SYS_pidfd_open, child, 0)));  // readable once the child is gone
    if (!exited.valid()) {
        // No pidfd (Linux < 5.3): wait for the whole request instead.
        int st = 0;
        while (::waitpid(child, &st, 0) < 0 && errno == EINTR) {
        }
        status = st;
    }
    bool unlisted = watch.wait_until(
        [&] {
            reap();
            if (status >= 0) return true;  // the kernel has answered (deleted, refused or gone): decided below
            return link_gone(query, ifindex);
        },
        timeout_seconds, exited.get());
    if (status >= 0 && WIFEXITED(status)) {
        const int code = WEXITSTATUS(status);
        if (code == kGone) return false;
        if (code >= kErrnoBase)
            throw system_error("cannot delete link " + name, code - kErrnoBase);
    } else if (status >= 0) {
        throw Error(Exit::failure, "the process deleting link " + name + " died (status " + std::to_string(status) + ")");
    }
    if (!unlisted) throw Error(Exit::failure, "link " + name + " is still there after " + std::to_string(timeout_seconds) + " s");
    // A child still waiting for the kernel is reparented when this process
    // exits; the deletion no longer depends on it.
    return true;
}

}  // namespace pm::nl
