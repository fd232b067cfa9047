// The kernel's part of a container namespace, measured in one process with
// nothing else around it (bench/30-netns.sh): what any implementation pays.
//   create:        unshare(CLONE_NEWNET), back to the host namespace, and one
//                  RTM_NEWLINK making a veth pair with its peer in the new one;
//   destroy sync:  RTM_DELLINK of the pair, then the last fd on the namespace closed;
//   destroy async: the last fd closed, waiting until the kernel's namespace
//                  cleanup has deleted the pair (a link event, then RTM_GETLINK).
// Usage: 30-netns-floor ROUNDS; prints "create SYNC ASYNC" medians in ms.
// Run it as root in a scratch network namespace: it makes veths named pmfloor0.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char kVeth[] = "pmfloor0";

static void die(const char* what) {
    perror(what);
    exit(1);
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct req {
    struct nlmsghdr h;
    struct ifinfomsg i;
    char attrs[512];
};

static struct rtattr* put(struct nlmsghdr* h, unsigned short type, const void* data, size_t len) {
    struct rtattr* a = (struct rtattr*)((char*)h + NLMSG_ALIGN(h->nlmsg_len));
    a->rta_type = type;
    a->rta_len = RTA_LENGTH(len);
    if (len) memcpy(RTA_DATA(a), data, len);
    h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
    return a;
}
static void end(struct nlmsghdr* h, struct rtattr* nest) { nest->rta_len = (char*)h + h->nlmsg_len - (char*)nest; }

// Sends `h` and returns the kernel's error (0 = ACK or a reply).
static int talk(int fd, struct nlmsghdr* h) {
    static unsigned seq;
    h->nlmsg_seq = ++seq;
    h->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
    if (send(fd, h, h->nlmsg_len, 0) < 0) die("send");
    char buf[8192];
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n < 0) die("recv");
        for (struct nlmsghdr* r = (struct nlmsghdr*)buf; NLMSG_OK(r, (size_t)n); r = NLMSG_NEXT(r, n)) {
            if (r->nlmsg_seq != seq) continue;
            if (r->nlmsg_type == NLMSG_ERROR) return ((struct nlmsgerr*)NLMSG_DATA(r))->error;
        }
    }
}

static int rtnl(unsigned groups) {
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = groups};
    if (fd < 0 || bind(fd, (struct sockaddr*)&sa, sizeof sa) < 0) die("netlink socket");
    return fd;
}

static int new_netns(void) {
    int host = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (host < 0 || unshare(CLONE_NEWNET) < 0) die("unshare");
    int ns = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (ns < 0 || setns(host, CLONE_NEWNET) < 0) die("setns");
    close(host);
    return ns;
}

static void veth_in(int fd, int ns) {
    struct req r = {.h = {.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)), .nlmsg_type = RTM_NEWLINK,
                          .nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL}};
    put(&r.h, IFLA_IFNAME, kVeth, sizeof kVeth);
    struct rtattr* info = put(&r.h, IFLA_LINKINFO, NULL, 0);
    put(&r.h, IFLA_INFO_KIND, "veth", 5);
    struct rtattr* data = put(&r.h, IFLA_INFO_DATA, NULL, 0);
    struct rtattr* peer = put(&r.h, VETH_INFO_PEER, NULL, 0);
    r.h.nlmsg_len += sizeof(struct ifinfomsg);
    put(&r.h, IFLA_IFNAME, "eth0", 5);
    put(&r.h, IFLA_NET_NS_FD, &ns, sizeof ns);
    end(&r.h, peer);
    end(&r.h, data);
    end(&r.h, info);
    if (talk(fd, &r.h) != 0) die("create veth");
}

static int link_exists(int fd, int ifindex) {
    struct req r = {.h = {.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)), .nlmsg_type = RTM_GETLINK},
                    .i = {.ifi_index = ifindex}};
    return talk(fd, &r.h) == 0;
}

static void del_veth(int fd) {
    struct req r = {.h = {.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)), .nlmsg_type = RTM_DELLINK}};
    put(&r.h, IFLA_IFNAME, kVeth, sizeof kVeth);
    if (talk(fd, &r.h) != 0) die("delete veth");
}

static int cmp(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}
static double median(double* v, int n) {
    qsort(v, n, sizeof *v, cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char** argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 15;
    if (rounds < 1) rounds = 1;
    double* c = calloc(2 * rounds, sizeof *c);
    double* s = calloc(rounds, sizeof *s);
    double* a = calloc(rounds, sizeof *a);
    int fd = rtnl(0), events = rtnl(RTMGRP_LINK);
    int nc = 0;
    char buf[16384];
    for (int r = 0; r < rounds; ++r) {
        double t0 = now_ms();
        int ns = new_netns();
        veth_in(fd, ns);
        c[nc++] = now_ms() - t0;
        t0 = now_ms();
        del_veth(fd);
        close(ns);
        s[r] = now_ms() - t0;

        t0 = now_ms();
        ns = new_netns();
        veth_in(fd, ns);
        c[nc++] = now_ms() - t0;
        int ifindex = (int)if_nametoindex(kVeth);
        while (recv(events, buf, sizeof buf, MSG_DONTWAIT) > 0 || errno == ENOBUFS) {
        }
        t0 = now_ms();
        close(ns);
        while (link_exists(fd, ifindex)) {
            struct pollfd p = {events, POLLIN, 0};
            poll(&p, 1, 1000);
            while (recv(events, buf, sizeof buf, MSG_DONTWAIT) > 0 || errno == ENOBUFS) {
            }
        }
        a[r] = now_ms() - t0;
    }
    printf("%.3f %.3f %.3f\n", median(c, nc), median(s, rounds), median(a, rounds));
    return 0;
}
