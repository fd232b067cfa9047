#include "stats/sockets.hpp"

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <vector>

#include "core/error.hpp"
#include "core/unique_fd.hpp"
#include "stats/percentile.hpp"

namespace pm::stats {
namespace {

struct DiagRequest {
    nlmsghdr nlh;
    inet_diag_req_v2 req;
};

// Counts one family's TCP sockets into `out`, RTTs into `rtts`.  false when the
// kernel has no diag support for the family (e.g. IPv6 not built in).
bool dump_family(int fd, uint8_t family, SocketSummary& out, std::vector<uint32_t>& rtts) {
    DiagRequest r{};
    r.nlh.nlmsg_len = sizeof(r);
    r.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    r.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    r.nlh.nlmsg_seq = family;
    r.req.sdiag_family = family;
    r.req.sdiag_protocol = IPPROTO_TCP;
    r.req.idiag_states = ~0u;  // every state, TIME_WAIT and SYN_RECV included
    r.req.idiag_ext = 1u << (INET_DIAG_INFO - 1);
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(fd, &r, sizeof(r), 0, reinterpret_cast<sockaddr*>(&kernel), sizeof(kernel)) < 0)
        throw system_error("cannot request the TCP socket dump (inet_diag)", errno);

    std::vector<char> buf(64 * 1024);
    for (;;) {
        ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw system_error("cannot read the TCP socket dump (inet_diag)", errno);
        }
        int len = static_cast<int>(n);
        for (auto* h = reinterpret_cast<nlmsghdr*>(buf.data()); NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
            if (h->nlmsg_type == NLMSG_DONE) return true;
            if (h->nlmsg_type == NLMSG_ERROR) {
                const auto* e = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
                if (e->error == -ENOENT || e->error == -EAFNOSUPPORT || e->error == -EINVAL) return false;
                throw system_error("TCP socket dump (inet_diag) failed", -e->error);
            }
            if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY) continue;
            const auto* msg = static_cast<const inet_diag_msg*>(NLMSG_DATA(h));
            if (msg->idiag_state == TCP_LISTEN) continue;
            if (msg->idiag_state == TCP_TIME_WAIT) {
                ++out.time_wait;
                continue;
            }
            ++out.active;
            int alen = static_cast<int>(h->nlmsg_len - NLMSG_LENGTH(sizeof(*msg)));
            for (auto* a = reinterpret_cast<rtattr*>(const_cast<inet_diag_msg*>(msg) + 1); RTA_OK(a, alen);
                 a = RTA_NEXT(a, alen)) {
                if (a->rta_type != INET_DIAG_INFO) continue;
                // Older kernels send a shorter tcp_info: read tcpi_rtt only if present.
                if (RTA_PAYLOAD(a) < offsetof(tcp_info, tcpi_rtt) + sizeof(uint32_t)) continue;
                tcp_info info{};
                std::memcpy(&info, RTA_DATA(a), std::min<size_t>(RTA_PAYLOAD(a), sizeof(info)));
                if (info.tcpi_rtt != 0) rtts.push_back(info.tcpi_rtt);
            }
        }
    }
}

}  // namespace

SocketSummary tcp_socket_summary() {
    UniqueFd fd(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
    if (!fd.valid()) throw system_error("cannot open a sock_diag netlink socket", errno);
    SocketSummary out;
    std::vector<uint32_t> rtts;
    dump_family(fd.get(), AF_INET, out, rtts);
    dump_family(fd.get(), AF_INET6, out, rtts);
    out.rtt = rtt_percentiles(rtts);
    return out;
}

}  // namespace pm::stats
