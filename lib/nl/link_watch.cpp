#include "nl/link_watch.hpp"

#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>

#include "nl/link.hpp"
#include "nl/request.hpp"

namespace pm::nl {
namespace {

// The loopback device has this index in every namespace.
constexpr int kLoopbackIfindex = 1;

}  // namespace

bool netns_alive(int netnsid) {
    // A socket of its own: the reply and the ACK of a successful query come in
    // two reads, and an ACK left unread would be taken for the answer to the
    // next request on a shared socket.
    Socket sock;
    Msg msg(nlmsg_alloc_simple(RTM_GETLINK, 0));
    if (!msg) throw Error(Exit::failure, "out of memory");
    ifinfomsg ifi{};
    ifi.ifi_family = AF_UNSPEC;
    ifi.ifi_index = kLoopbackIfindex;
    if (nlmsg_append(msg.get(), &ifi, sizeof ifi, NLMSG_ALIGNTO) < 0 || nla_put_s32(msg.get(), IFLA_TARGET_NETNSID, netnsid) < 0)
        throw Error(Exit::failure, "cannot build a link query");
    // nl_send_sync takes the message and waits for the kernel's ACK (or error).
    int rc = nl_send_sync(sock.get(), msg.release());
    if (rc == 0) return true;
    if (rc == -NLE_INVAL) return false;
    if (rc == -NLE_NODEV || rc == -NLE_OBJ_NOTFOUND) return true;  // reachable, so alive
    throw error("cannot query network namespace id " + std::to_string(netnsid), rc);
}

LinkWatch::LinkWatch() {
    nl_socket_disable_seq_check(events_.get());
    check(nl_socket_add_memberships(events_.get(), RTNLGRP_LINK, 0), "cannot subscribe to link events");
    check(nl_socket_set_nonblocking(events_.get()), "cannot make the link event socket non-blocking");
}

bool link_gone(Socket& query, int ifindex) {
    try {
        return !find_link(query, ifindex);
    } catch (const Error&) {
        return false;
    }
}

bool LinkWatch::wait_gone(Socket& query, int ifindex, double timeout_seconds) {
    return wait_until([&] { return link_gone(query, ifindex); }, timeout_seconds);
}

bool LinkWatch::wait_until(const std::function<bool()>& done, double timeout_seconds, int also_fd) {
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + std::chrono::duration<double>(timeout_seconds);
    const int fd = nl_socket_get_fd(events_.get());
    char buf[16384];
    for (;;) {
        // Any event (or a lost one: ENOBUFS) is only a cue to look again.
        if (done()) return true;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
        if (left <= 0) return false;
        pollfd p[2] = {{fd, POLLIN, 0}, {also_fd, POLLIN, 0}};  // poll ignores a negative fd
        if (::poll(p, 2, static_cast<int>(left)) < 0 && errno != EINTR)
            throw system_error("cannot wait for link events", errno);
        while (::recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0 || errno == ENOBUFS) {
        }
    }
}

}  // namespace pm::nl
