#include "stats/collect.hpp"

#include <linux/magic.h>
#include <netlink/route/link.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/tc.h>
#include <sys/statfs.h>
#include <time.h>

#include <unordered_map>

#include "core/diag.hpp"
#include "core/error.hpp"
#include "nl/socket.hpp"
#include "state/records.hpp"
#include "stats/shaping_elements.hpp"
#include "stats/snmp.hpp"
#include "stats/sockets.hpp"
#include "stats/tc_record.hpp"
#include "sys/netns_enter.hpp"

// Where the link counters come from.  We enter each container's namespace
// (setns in this thread, a netlink socket created inside) and read its eth0
// directly, rather than reading the host-side veth with RX/TX swapped as Mesos
// does: (1) that is literally "eth0 as seen inside the container" -- a veth's
// own rx/tx_dropped differ from its peer's (the host end counts frames the peer
// refused as tx_dropped, which the container never saw); (2) the egress shaping
// qdiscs (bw_limit, bloat_reduction) live in the container's namespace, so the
// visit is needed anyway, and --sockets/--snmp need it too; one socket per
// namespace serves all of them.  The ingress elements sit on the host veth and
// come from one qdisc dump of the host namespace for all containers.

namespace pm::stats {
namespace {

double now(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

QdiscSample sample_of(rtnl_qdisc* q) {
    auto* tc = TC_CAST(q);
    QdiscSample s;
    s.handle = rtnl_tc_get_handle(tc);
    s.parent = rtnl_tc_get_parent(tc);
    if (const char* kind = rtnl_tc_get_kind(tc)) s.kind = kind;
    auto& c = s.counters;
    c.bytes = rtnl_tc_get_stat(tc, RTNL_TC_BYTES);
    c.packets = rtnl_tc_get_stat(tc, RTNL_TC_PACKETS);
    c.ratebps = rtnl_tc_get_stat(tc, RTNL_TC_RATE_BPS);
    c.ratepps = rtnl_tc_get_stat(tc, RTNL_TC_RATE_PPS);
    c.qlen = rtnl_tc_get_stat(tc, RTNL_TC_QLEN);
    c.backlog = rtnl_tc_get_stat(tc, RTNL_TC_BACKLOG);
    c.drops = rtnl_tc_get_stat(tc, RTNL_TC_DROPS);
    c.requeues = rtnl_tc_get_stat(tc, RTNL_TC_REQUEUES);
    c.overlimits = rtnl_tc_get_stat(tc, RTNL_TC_OVERLIMITS);
    return s;
}

// Every qdisc of the socket's namespace, grouped by link.
std::unordered_map<int, std::vector<QdiscSample>> qdiscs_by_link(nl_sock* sock) {
    nl_cache* raw = nullptr;
    nl::check(rtnl_qdisc_alloc_cache(sock, &raw), "cannot list qdiscs");
    nl::Cache cache(raw);
    std::unordered_map<int, std::vector<QdiscSample>> out;
    for (nl_object* o = nl_cache_get_first(cache.get()); o; o = nl_cache_get_next(o)) {
        auto* q = reinterpret_cast<rtnl_qdisc*>(o);
        out[rtnl_tc_get_ifindex(TC_CAST(q))].push_back(sample_of(q));
    }
    return out;
}

// The host namespace's view, read once per pass: link name -> ifindex (to make
// sure a recorded veth ifindex was not reused) and its qdiscs.
struct HostView {
    std::unordered_map<std::string, int> ifindex;
    std::unordered_map<int, std::vector<QdiscSample>> qdiscs;
};

HostView read_host() {
    nl::Socket sock;
    HostView v;
    nl_cache* raw = nullptr;
    nl::check(rtnl_link_alloc_cache(sock.get(), AF_UNSPEC, &raw), "cannot list links");
    nl::Cache links(raw);
    for (nl_object* o = nl_cache_get_first(links.get()); o; o = nl_cache_get_next(o)) {
        auto* l = reinterpret_cast<rtnl_link*>(o);
        if (const char* name = rtnl_link_get_name(l)) v.ifindex[name] = rtnl_link_get_ifindex(l);
    }
    v.qdiscs = qdiscs_by_link(sock.get());
    return v;
}

class Vanished : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The container's eth0 inside its namespace: by the recorded ifindex, then by name.
nl::Object<rtnl_link> container_link(nl_sock* sock, const NetnsRecord& rec) {
    rtnl_link* raw = nullptr;
    if (rec.container_ifindex > 0 && rtnl_link_get_kernel(sock, rec.container_ifindex, nullptr, &raw) >= 0 && raw) {
        nl::Object<rtnl_link> link(raw);
        const char* name = rtnl_link_get_name(raw);
        if (name && rec.container_ifname == name) return link;
    }
    raw = nullptr;
    if (rtnl_link_get_kernel(sock, 0, rec.container_ifname.c_str(), &raw) < 0 || !raw)
        throw Vanished("its interface " + rec.container_ifname + " is gone");
    return nl::Object<rtnl_link>(raw);
}

LinkCounters counters_of(rtnl_link* l) {
    LinkCounters c;
    c.rx_bytes = rtnl_link_get_stat(l, RTNL_LINK_RX_BYTES);
    c.rx_packets = rtnl_link_get_stat(l, RTNL_LINK_RX_PACKETS);
    c.rx_errors = rtnl_link_get_stat(l, RTNL_LINK_RX_ERRORS);
    c.rx_dropped = rtnl_link_get_stat(l, RTNL_LINK_RX_DROPPED);
    c.tx_bytes = rtnl_link_get_stat(l, RTNL_LINK_TX_BYTES);
    c.tx_packets = rtnl_link_get_stat(l, RTNL_LINK_TX_PACKETS);
    c.tx_errors = rtnl_link_get_stat(l, RTNL_LINK_TX_ERRORS);
    c.tx_dropped = rtnl_link_get_stat(l, RTNL_LINK_TX_DROPPED);
    return c;
}

// The records written by pm-alloc and pm-tc; a corrupt one costs only its fields.
void add_records(const StateDir& dir, const NetnsRecord& rec, ContainerStats& out) {
    try {
        if (auto alloc = load_alloc(dir, rec.id)) out.ephemeral = alloc->ephemeral;
        else out.ephemeral = rec.ephemeral;
    } catch (const Error& e) {
        diag::warning(rec.id + ": " + e.what() + "; net_ephemeral_ports left out");
    }
    try {
        if (auto tc = load_tc_json(dir, rec.id)) {
            auto shaping = shaping_from_tc_json(*tc);
            out.tx = shaping.egress;
            out.rx = shaping.ingress;
        }
    } catch (const Error& e) {
        diag::warning(rec.id + ": " + e.what() + "; shaping limits left out");
    }
}

ContainerStats read_container(const StateDir& dir, const NetnsRecord& rec, const HostView& host,
                              const CollectOptions& options) {
    ContainerStats out;
    out.id = rec.id;
    {
        NetnsGuard inside(rec.netns_path);
        nl::Socket sock;  // created inside: it stays bound to the container's namespace
        auto link = container_link(sock.get(), rec);
        out.link = counters_of(link.get());
        out.timestamp = now(CLOCK_REALTIME);
        out.monotonic = now(CLOCK_MONOTONIC);
        auto qdiscs = qdiscs_by_link(sock.get());
        if (auto it = qdiscs.find(rtnl_link_get_ifindex(link.get())); it != qdiscs.end())
            out.tc = shaping_elements(it->second, "");
        if (options.sockets) out.sockets = tcp_socket_summary();
        if (options.snmp) out.snmp = read_snmp();
    }
    // Ingress shaping lives on the host veth, if the recorded index still names it.
    if (auto name = host.ifindex.find(rec.host_veth); name != host.ifindex.end()) {
        if (auto q = host.qdiscs.find(name->second); q != host.qdiscs.end()) {
            auto ingress = shaping_elements(q->second, "ingress_");
            out.tc.insert(out.tc.end(), ingress.begin(), ingress.end());
        }
    }
    add_records(dir, rec, out);
    return out;
}

// After a failed read: is the container being (or already) destroyed?
bool is_gone(const StateDir& dir, const std::string& id, const std::string& handle) {
    std::error_code ec;
    if (!std::filesystem::exists(dir.container_file(id, "netns.json"), ec)) return true;
    struct statfs fs {};
    if (::statfs(handle.c_str(), &fs) != 0) return true;
    return static_cast<unsigned long>(fs.f_type) != static_cast<unsigned long>(NSFS_MAGIC);
}

}  // namespace

Collection collect(const StateDir& dir, const std::vector<std::string>& ids, const CollectOptions& options) {
    Collection result;
    const bool all = ids.empty();
    const auto wanted = all ? dir.container_ids() : ids;
    if (wanted.empty()) return result;
    const HostView host = read_host();
    result.containers.reserve(wanted.size());
    for (const auto& id : wanted) {
        std::optional<NetnsRecord> rec;
        try {
            rec = load_netns(dir, id);
        } catch (const Error& e) {
            diag::warning(id + ": skipped: " + e.what());
            ++result.failed;
            continue;
        }
        if (!rec) {
            // Listing all: a container without a namespace (yet) has no network to report.
            if (all) {
                diag::info(id + ": no network namespace record; skipped");
            } else {
                diag::warning(id + ": skipped: it vanished (no netns.json)");
                ++result.vanished;
            }
            continue;
        }
        try {
            result.containers.push_back(read_container(dir, *rec, host, options));
        } catch (const Vanished& e) {
            diag::warning(id + ": skipped: it vanished (" + e.what() + ")");
            ++result.vanished;
        } catch (const Error& e) {
            if (is_gone(dir, id, rec->netns_path)) {
                diag::warning(id + ": skipped: it vanished (" + e.what() + ")");
                ++result.vanished;
            } else {
                diag::warning(id + ": skipped: " + e.what());
                ++result.failed;
            }
        }
    }
    return result;
}

}  // namespace pm::stats
