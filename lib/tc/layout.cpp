#include "tc/layout.hpp"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <netinet/in.h>

#include <fmt/format.h>

#include <bit>
#include <cstdio>

#include "core/error.hpp"
#include "nl/tc_handle.hpp"

namespace pm::tc {

using nl::U32Key;

const char* dev_key(Dev d) {
    switch (d) {
        case Dev::eth0: return "eth0";
        case Dev::lo: return "lo";
        case Dev::veth: return "veth";
        case Dev::c_lo: return "container-lo";
        case Dev::c_eth0: return "container-eth0";
        case Dev::eth0_out: return "eth0-egress";
    }
    return "?";
}

Dev dev_from_key(const std::string& key) {
    for (Dev d : {Dev::eth0, Dev::lo, Dev::veth, Dev::c_lo, Dev::c_eth0, Dev::eth0_out})
        if (key == dev_key(d)) return d;
    throw Error(Exit::bad_value, "unknown device role '" + key + "'");
}

bool in_container(Dev d) { return d == Dev::c_lo || d == Dev::c_eth0; }

int phase(Dev d) {
    switch (d) {
        case Dev::veth: return 0;
        case Dev::c_lo:
        case Dev::c_eth0: return 1;
        case Dev::eth0:
        case Dev::lo:
        case Dev::eth0_out: return 2;
    }
    return 3;
}

const char* act_key(Act a) {
    switch (a) {
        case Act::local: return "local";
        case Act::redirect: return "redirect";
        case Act::mirror: return "mirror";
        case Act::classify: return "classify";
    }
    return "?";
}

Act act_from_key(const std::string& key) {
    for (Act a : {Act::local, Act::redirect, Act::mirror, Act::classify})
        if (key == act_key(a)) return a;
    throw Error(Exit::bad_value, "unknown action '" + key + "'");
}

std::string ip_to_string(uint32_t ip) {
    return fmt::format("{}.{}.{}.{}", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
}

HostFacts HostFacts::parse(const std::string& address, const std::string& mac) {
    HostFacts h;
    std::string ip = address.substr(0, address.find('/'));
    in_addr a{};
    if (inet_pton(AF_INET, ip.c_str(), &a) != 1) throw Error(Exit::bad_value, "bad IPv4 address '" + address + "'");
    h.ip = ntohl(a.s_addr);
    unsigned b[6];
    char tail;
    if (std::sscanf(mac.c_str(), "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &tail) != 6)
        throw Error(Exit::bad_value, "bad MAC address '" + mac + "'");
    for (int i = 0; i < 6; ++i) h.mac[i] = static_cast<uint8_t>(b[i]);
    return h;
}

namespace keys {
U32Key all() { return {0, 0, 0}; }
U32Key ihl5() { return {0x05000000, 0x0f000000, 0}; }
U32Key first_fragment() { return {0, 0x00001fff, 4}; }
U32Key proto(uint8_t p) { return {static_cast<uint32_t>(p) << 16, 0x00ff0000, 8}; }
U32Key dst(uint32_t ip) { return {ip, 0xffffffff, 16}; }
std::array<U32Key, 2> dst_mac(const std::array<uint8_t, 6>& m) {
    // Destination MAC = the 6 bytes before the 8 that end the Ethernet header.
    return {U32Key{(uint32_t{m[0]} << 8) | m[1], 0x0000ffff, -16},
            U32Key{(uint32_t{m[2]} << 24) | (uint32_t{m[3]} << 16) | (uint32_t{m[4]} << 8) | m[5], 0xffffffff, -12}};
}
U32Key dport(const PortBlock& b) { return {b.value, b.mask, kPortWord}; }
U32Key sport(const PortBlock& b) { return {uint32_t{b.value} << 16, uint32_t{b.mask} << 16, kPortWord}; }
}  // namespace keys

namespace {

// Keys every port-matching link starts with: plain IPv4 header, first fragment, protocol.
std::vector<U32Key> l4(uint8_t protocol) { return {keys::ihl5(), keys::first_fragment(), keys::proto(protocol)}; }

std::vector<U32Key> plus(std::vector<U32Key> base, std::initializer_list<U32Key> more) {
    base.insert(base.end(), more.begin(), more.end());
    return base;
}

std::string block_text(const PortBlock& b) { return b.range().to_string(); }

}  // namespace

std::vector<Table> host_tables(const HostFacts& host) {
    auto mac = keys::dst_mac(host.mac);
    auto eth0_l4 = [&](uint8_t p) { return plus(l4(p), {keys::dst(host.ip), mac[0], mac[1]}); };
    return {
        {"eth0-arp-copy", Dev::eth0, kPrioArp, ETH_P_ARP, kHtArp, 1, 0, {{keys::all()}}},
        {"eth0-icmp-copy", Dev::eth0, kPrioIcmp, ETH_P_IP, kHtIcmp, 1, 0, {{keys::proto(IPPROTO_ICMP), keys::dst(host.ip)}}},
        {"eth0-ports", Dev::eth0, kPrioIp, ETH_P_IP, kHtPorts, 256, kHashDport, {eth0_l4(IPPROTO_TCP), eth0_l4(IPPROTO_UDP)}},
        {"lo-ports", Dev::lo, kPrioIp, ETH_P_IP, kHtPorts, 256, kHashDport, {l4(IPPROTO_TCP), l4(IPPROTO_UDP)}},
    };
}

std::vector<Table> container_tables(const HostFacts& host) {
    auto to = [&](uint8_t p, uint32_t ip) { return plus(l4(p), {keys::dst(ip)}); };
    return {
        {"veth-arp-out", Dev::veth, kPrioArp, ETH_P_ARP, kHtArp, 1, 0, {{keys::all()}}},
        {"veth-icmp-out", Dev::veth, kPrioIcmp, ETH_P_IP, kHtIcmp, 1, 0, {{keys::proto(IPPROTO_ICMP)}}},
        // Links are walked in order: to the host first, then everything else out.
        {"veth-to-host", Dev::veth, kPrioIp, ETH_P_IP, kHtToHost, 256, kHashSport,
         {to(IPPROTO_TCP, host.ip), to(IPPROTO_UDP, host.ip), to(IPPROTO_TCP, kLoopback), to(IPPROTO_UDP, kLoopback)}},
        {"veth-out", Dev::veth, kPrioOut, ETH_P_IP, kHtOut, 256, kHashSport, {l4(IPPROTO_TCP), l4(IPPROTO_UDP)}},
        {"container-lo-icmp", Dev::c_lo, kPrioIcmp, ETH_P_IP, kHtIcmp, 1, 0, {{keys::proto(IPPROTO_ICMP)}}},
        {"container-lo-own", Dev::c_lo, kPrioOwn, ETH_P_IP, kHtPorts, 256, kHashDport, {l4(IPPROTO_TCP), l4(IPPROTO_UDP)}},
        {"container-lo-out", Dev::c_lo, kPrioIp, ETH_P_IP, kHtLoOut, 1, 0, {{keys::all()}}},
        {"container-eth0-loopback", Dev::c_eth0, kPrioIp, ETH_P_IP, kHtPorts, 256, kHashDport,
         {to(IPPROTO_TCP, kLoopback), to(IPPROTO_UDP, kLoopback)}},
    };
}

std::vector<uint32_t> buckets(const PortBlock& block) {
    std::vector<uint32_t> out;
    for (uint32_t b = block.value >> 8; b <= block.last() >> 8; ++b) out.push_back(b);
    return out;
}

uint32_t leaf_node(const PortBlock& block) {
    uint32_t log2 = static_cast<uint32_t>(std::countr_zero(block.size()));
    return 1 + (log2 << 8) + (block.value & 0xffu);
}

uint32_t mirror_node(const PortRange& e) {
    uint32_t size = e.size();
    if (size < 16 || !std::has_single_bit(size) || e.first % size != 0 || e.first == 0)
        throw Error(Exit::bad_value,
                    "ephemeral block " + e.to_string() + " is not an aligned power-of-two block of at least 16 ports");
    return e.first >> 4;
}

std::vector<Leaf> container_leaves(const HostFacts& host, const std::vector<PortBlock>& blocks, uint32_t mirror) {
    std::vector<Leaf> out;
    const std::string host_ip = ip_to_string(host.ip);
    auto one = [&](std::string role, Dev dev, uint16_t prio, uint16_t proto, uint32_t htid, uint32_t node,
                   std::vector<U32Key> k, Act act, Dev target, std::string match) {
        out.push_back({std::move(role), dev, prio, proto, nl::u32_handle(htid, 0, node), std::move(k), act, target,
                       std::move(match), 0});
    };
    // Per block, in every bucket it covers.
    auto per_block = [&](const char* role, Dev dev, uint16_t prio, uint32_t htid, bool by_sport, Act act, Dev target,
                         const std::string& extra) {
        for (const auto& b : blocks)
            for (uint32_t bucket : buckets(b))
                out.push_back({role, dev, prio, ETH_P_IP, nl::u32_handle(htid, bucket, leaf_node(b)),
                               {by_sport ? keys::sport(b) : keys::dport(b)}, act, target,
                               (by_sport ? "sport " : "dport ") + block_text(b) + extra, 0});
    };

    // Phase 0: the host veth (the container's way out).
    one("out-arp", Dev::veth, kPrioArp, ETH_P_ARP, kHtArp, 1, {keys::all()}, Act::redirect, Dev::eth0, "arp");
    one("out-icmp", Dev::veth, kPrioIcmp, ETH_P_IP, kHtIcmp, 1, {keys::all()}, Act::redirect, Dev::eth0, "icmp");
    per_block("out-to-host", Dev::veth, kPrioIp, kHtToHost, true, Act::redirect, Dev::lo,
              " dst " + host_ip + "|127.0.0.1");
    per_block("out", Dev::veth, kPrioOut, kHtOut, true, Act::redirect, Dev::eth0, "");
    // Phase 1: inside the container.
    one("icmp-self", Dev::c_lo, kPrioIcmp, ETH_P_IP, kHtIcmp, 1, {keys::dst(host.ip)}, Act::local, Dev::c_lo,
        "icmp dst " + host_ip);
    one("icmp-self", Dev::c_lo, kPrioIcmp, ETH_P_IP, kHtIcmp, 2, {keys::dst(kLoopback)}, Act::local, Dev::c_lo,
        "icmp dst 127.0.0.1");
    per_block("own", Dev::c_lo, kPrioOwn, kHtPorts, false, Act::local, Dev::c_lo, "");
    one("to-host", Dev::c_lo, kPrioIp, ETH_P_IP, kHtLoOut, 1, {keys::dst(host.ip)}, Act::redirect, Dev::c_eth0,
        "dst " + host_ip);
    one("to-host", Dev::c_lo, kPrioIp, ETH_P_IP, kHtLoOut, 2, {keys::dst(kLoopback)}, Act::redirect, Dev::c_eth0,
        "dst 127.0.0.1");
    per_block("loopback-in", Dev::c_eth0, kPrioIp, kHtPorts, false, Act::redirect, Dev::c_lo, " dst 127.0.0.1");
    // Phase 2: host eth0 and lo (inbound steering goes live last).
    one("arp-copy", Dev::eth0, kPrioArp, ETH_P_ARP, kHtArp, mirror, {keys::all()}, Act::mirror, Dev::veth, "arp");
    one("icmp-copy", Dev::eth0, kPrioIcmp, ETH_P_IP, kHtIcmp, mirror, {keys::all()}, Act::mirror, Dev::veth,
        "icmp dst " + host_ip);
    per_block("in", Dev::eth0, kPrioIp, kHtPorts, false, Act::redirect, Dev::veth, "");
    per_block("in-local", Dev::lo, kPrioIp, kHtPorts, false, Act::redirect, Dev::veth, "");
    return out;
}

LeafDiff diff_leaves(const std::vector<Leaf>& old_leaves, const std::vector<Leaf>& new_leaves) {
    LeafDiff d;
    auto contains = [](const std::vector<Leaf>& set, const Leaf& l) {
        for (const auto& x : set)
            if (x.same_place(l)) return true;
        return false;
    };
    for (const auto& l : new_leaves) {
        if (contains(old_leaves, l))
            ++d.kept;
        else
            d.add.push_back(l);
    }
    for (const auto& l : old_leaves)
        if (!contains(new_leaves, l)) d.remove.push_back(l);
    return d;
}

}  // namespace pm::tc
