#include "netns/create.hpp"

#include <sys/stat.h>

#include <cerrno>

#include "core/container_id.hpp"
#include "core/diag.hpp"
#include "core/error.hpp"
#include "core/undo.hpp"
#include "netns/container_setup.hpp"
#include "netns/handle.hpp"
#include "netns/host_facts.hpp"
#include "netns/host_settings.hpp"
#include "netns/ip_netns_link.hpp"
#include "netns/names.hpp"
#include "netns/release.hpp"
#include "netns/privileges.hpp"
#include "netns/sysctl_step.hpp"
#include "netns/tuning.hpp"
#include "nl/link.hpp"
#include "nl/link_watch.hpp"
#include "nl/veth.hpp"
#include "state/json_file.hpp"
#include "state/lock.hpp"
#include "sys/netns_enter.hpp"
#include "sys/sysctl.hpp"

namespace pm::netns {
namespace fs = std::filesystem;
namespace {

ino_t fd_inode(int fd) {
    struct stat st {};
    return ::fstat(fd, &st) == 0 ? st.st_ino : 0;
}

// Same parameters → the existing record (exit 0); different → Error(conflict).
NetnsRecord check_existing(const StateDir& state, const NetnsRecord& rec, const CreateOptions& opt,
                           const AllocRecord& alloc, nl::Socket& host) {
    std::string diffs;
    auto differ = [&](const std::string& what) { diffs += (diffs.empty() ? "" : ", ") + what; };
    if (opt.eth0 && *opt.eth0 != rec.eth0) differ("recorded --eth0 " + rec.eth0);
    if (opt.lo && *opt.lo != rec.lo) differ("recorded --lo " + rec.lo);
    if (opt.pid != rec.adopted_pid) differ(rec.adopted_pid ? "recorded --pid " + std::to_string(*rec.adopted_pid) : "recorded without --pid");
    if (alloc.ephemeral != rec.ephemeral)
        differ("allocated ephemeral ports " + alloc.ephemeral.to_string() + ", recorded " + rec.ephemeral.to_string());
    if (opt.link_ip_netns && !rec.extra.contains("ip_netns_link")) differ("recorded without --link-ip-netns");
    if (!diffs.empty())
        throw Error(Exit::conflict, "container " + rec.id + " already has a network namespace with other parameters (" + diffs +
                                        "); pm-netns destroy " + rec.id + " first");
    if (!is_netns_handle(state.netns_handle(rec.id)))
        throw Error(Exit::conflict, "container " + rec.id + " is recorded but its namespace handle is gone (pm-netns destroy " +
                                        rec.id + ", then create it again)");
    auto veth = nl::find_link(host, rec.host_veth);
    if (!veth || veth->ifindex != rec.host_veth_ifindex)
        throw Error(Exit::conflict, "container " + rec.id + " is recorded but its veth " + rec.host_veth +
                                        " is gone (pm-netns destroy " + rec.id + ", then create it again)");
    return rec;
}

// The host record names another eth0 while containers use it: lo can carry one
// MAC only.  Returns the record (read once per create).
std::optional<HostRecord> check_host_record(const StateDir& state, const HostFacts& facts, const std::string& id) {
    auto rec = load_host_record(state);
    if (!rec || (rec->eth0 == facts.eth0.name && rec->lo == facts.lo.name && rec->mac == facts.eth0.mac)) return rec;
    for (const auto& other : state.container_ids())
        if (other != id && load_netns(state, other))
            throw Error(Exit::conflict, "containers on this host use " + rec->eth0 + " (" + rec->mac + ") and " + rec->lo +
                                            "; " + facts.eth0.name + "/" + facts.lo.name + " would change the host-wide settings");
    return rec;
}

// Opens the namespace of --pid after checking it is fit for adoption.
UniqueFd adopt_netns(const StateDir& state, int pid, const std::string& id) {
    fs::path proc = "/proc/" + std::to_string(pid) + "/ns/net";
    UniqueFd fd;
    try {
        fd = open_netns(proc);
    } catch (const Error& e) {
        if (e.code() == Exit::not_found) throw Error(Exit::not_found, "no process with PID " + std::to_string(pid));
        throw;
    }
    ino_t ino = fd_inode(fd.get());
    // Never the namespace we configure as the host, nor the machine's initial
    // one (under nsenter they differ): adopting it would rewire the real host.
    if (ino == netns_inode("/proc/self/ns/net") || ino == netns_inode("/proc/1/ns/net"))
        throw Error(Exit::conflict, "process " + std::to_string(pid) +
                                        " is in the host's network namespace; --pid needs a process with a namespace of its own");
    for (const auto& other : state.container_ids())
        if (other != id && netns_inode(state.netns_handle(other)) == ino)
            throw Error(Exit::conflict, "the namespace of process " + std::to_string(pid) + " already belongs to container " + other);
    // Only a namespace with nothing but loopback: anything else is somebody's
    // network (possibly the machine's own, when /proc/1 is out of reach).
    std::string others;
    {
        NetnsGuard inside(proc);
        nl::Socket sock;
        for (const auto& link : nl::list_links(sock))
            if (!link.loopback()) others += (others.empty() ? "" : ", ") + link.name;
    }
    if (!others.empty())
        throw Error(Exit::conflict, "the namespace of process " + std::to_string(pid) + " already has interfaces (" + others +
                                        "); --pid adopts only a namespace with nothing but loopback");
    return fd;
}

NetnsRecord make_record(const CreateOptions& opt, const HostFacts& facts, const AllocRecord& alloc, const fs::path& handle,
                        const nl::Link& host_end, const ContainerLinks& inside, ino_t netns_ino) {
    NetnsRecord rec;
    rec.id = opt.id;
    rec.netns_path = handle.string();
    rec.adopted_pid = opt.pid;
    rec.host_veth = host_end.name;
    rec.host_veth_ifindex = host_end.ifindex;
    rec.container_ifname = facts.eth0.name;
    rec.container_ifindex = inside.eth0_ifindex;
    rec.eth0 = facts.eth0.name;
    rec.eth0_ifindex = facts.eth0.ifindex;
    rec.lo = facts.lo.name;
    rec.lo_ifindex = facts.lo.ifindex;
    rec.address = facts.address.to_string();
    rec.gateway = facts.gateway.gateway;
    rec.mac = facts.eth0.mac;
    rec.mtu = facts.eth0.mtu;
    rec.ephemeral = alloc.ephemeral;
    rec.extra["container_lo"] = inside.lo;
    rec.extra["container_lo_ifindex"] = inside.lo_ifindex;
    rec.extra["netns_inode"] = static_cast<uint64_t>(netns_ino);
    return rec;
}

}  // namespace

CreateResult create_netns(const StateDir& state, const CreateOptions& opt) {
    validate_container_id(opt.id);
    if (opt.eth0) validate_ifname(*opt.eth0, "--eth0");
    if (opt.lo) validate_ifname(*opt.lo, "--lo");
    if (opt.pid && *opt.pid <= 0) throw Error(Exit::bad_value, "invalid --pid " + std::to_string(*opt.pid));
    require_netns_privileges("creating a container network namespace");

    const Error no_alloc(Exit::not_found, "container " + opt.id + " has no port allocation (pm-alloc allocate " + opt.id + " first)");
    if (!state.exists()) throw no_alloc;  // and create no state dir just to say so
    StateLock lock(state.lock_file(), opt.wait);
    auto alloc = load_alloc(state, opt.id);
    if (!alloc) throw no_alloc;

    nl::Socket host;  // outlives `undo`, whose steps use it
    if (auto existing = load_netns(state, opt.id))
        return {check_existing(state, *existing, opt, *alloc, host), false};

    // Everything that can be checked is checked before the first change.
    HostFacts facts = discover_host(host, opt.eth0.value_or(""), opt.lo.value_or(""));
    const auto host_record = check_host_record(state, facts, opt.id);
    const std::string veth = host_veth_name(opt.id);
    if (auto taken = nl::find_link(host, veth)) {
        // A pair whose namespace the kernel is dismantling (a destroy just
        // before) goes away by itself: wait for it rather than refuse.
        bool gone = false;
        if (veth_going_with_namespace(*taken)) {
            diag::info("waiting for the kernel to delete veth " + veth + " of a released namespace");
            gone = nl::LinkWatch().wait_gone(host, taken->ifindex, kKernelCleanupTimeout);
        }
        if (!gone) throw Error(Exit::conflict, "the host-side veth name " + veth + " (derived from " + opt.id + ") is already taken");
    }
    const fs::path handle = fs::absolute(state.netns_handle(opt.id));
    if (opt.link_ip_netns) check_ip_netns_free(opt.id, handle);
    UniqueFd nsfd = opt.pid ? adopt_netns(state, *opt.pid, opt.id) : UniqueFd();
    // The host's /proc/sys: used only while in the host namespace (not inside
    // the NetnsGuard below); one Dirs walks each net/X dentry chain once.
    sysctl::Dirs host_sysctls;
    SysctlValues tuning = snapshot_tuning(host_sysctls);

    UndoStack undo;
    ensure_shared_dir(state.netns_dir(), undo);
    if (!opt.pid) nsfd = create_netns();
    mount_handle(nsfd.get(), handle, undo);
    diag::info(std::string(opt.pid ? "adopted" : "created") + " network namespace " + handle.string());

    nl::VethSpec spec{veth, facts.eth0.name, nsfd.get(), facts.eth0.mac, facts.eth0.mtu};
    if (!nl::create_veth(host, spec))
        throw Error(Exit::conflict, "cannot create veth pair " + veth + "/" + facts.eth0.name +
                                        ": the namespace already has an interface named " + facts.eth0.name);
    undo.push("delete veth " + veth, [&host, veth] { nl::delete_link(host, veth); });
    auto host_end = nl::find_link(host, veth);
    if (!host_end) throw Error(Exit::failure, "veth " + veth + " vanished right after its creation");
    diag::info("created veth pair " + veth + " (host) / " + facts.eth0.name + " (container), address " + facts.eth0.mac);

    ContainerPlan plan{&facts, facts.eth0.name, alloc->ephemeral, tuning, opt.pid ? handle : fs::path(), "container " + opt.id};
    ContainerLinks inside;
    {
        NetnsGuard enter(handle);
        inside = configure_container(plan, undo);
    }

    // Host end: no IPv6 (nothing is forwarded), then up.
    set_fresh_sysctl(host_sysctls, sysctl::path({"net", "ipv6", "conf", veth, "disable_ipv6"}), "1", "host veth " + veth);
    nl::change_link(host, host_end->ifindex, {.up = true}, "host veth " + veth);

    NetnsRecord rec = make_record(opt, facts, *alloc, handle, *host_end, inside, fd_inode(nsfd.get()));
    if (opt.link_ip_netns) rec.extra["ip_netns_link"] = link_ip_netns(opt.id, handle, undo).string();

    state.ensure_container_dir(opt.id);
    const fs::path file = state.container_file(opt.id, "netns.json");
    write_json_atomic(file, rec.to_json());
    undo.push("remove " + file.string(), [file] { remove_file(file); });
    const auto observed = host_settings(facts.eth0, facts.lo, host_sysctls);
    save_host_record(state, host_record, facts.eth0, facts.lo, observed, undo);
    // Last: host lo's MAC cannot be set back to all-zero, so nothing that can
    // fail comes after the host-wide settings.
    apply_host_settings(host, facts.eth0, facts.lo, observed, undo);

    undo.commit();
    return {rec, true};
}

}  // namespace pm::netns
