#include "alloc/allocator.hpp"

#include "core/error.hpp"

namespace pm::alloc {
namespace {

// The first multiple of n at or above `port` (64-bit: no overflow near 65535).
uint64_t align_up(uint64_t port, uint32_t n) { return (port + n - 1) / n * n; }

// "port 80" / "ports 80-81,90", for messages.
std::string ports_phrase(const PortSet& set) { return (set.size() == 1 ? "port " : "ports ") + set.to_string(); }

std::string containers(uint64_t n) { return std::to_string(n) + (n == 1 ? " container" : " containers"); }

}  // namespace

std::string ports_or_none(const PortSet& set) { return set.empty() ? "none" : set.to_string(); }

void validate_block_size(uint64_t n) {
    const std::string what = "invalid --per-container " + std::to_string(n) + ": ";
    if (n < kMinBlock) throw Error(Exit::bad_value, what + "each container needs at least 16 ephemeral ports");
    if (n > kMaxBlock) throw Error(Exit::bad_value, what + "at most 32768 ephemeral ports per container");
    if ((n & (n - 1)) != 0) throw Error(Exit::bad_value, what + "not a power of two");
}

std::optional<PortRange> first_fit(const PortSet& pool, uint32_t n, const PortSet& used) {
    const PortSet free_ports = pool.subtract(used);  // named: ranges() of a temporary would dangle
    for (const auto& free : free_ports.ranges()) {
        uint64_t lower = align_up(free.first, n);
        if (lower + n - 1 <= free.last) return PortRange{static_cast<uint32_t>(lower), static_cast<uint32_t>(lower + n - 1)};
    }
    return std::nullopt;
}

uint64_t capacity(const PortSet& pool, uint32_t n, const PortSet& used) {
    uint64_t count = 0;
    const PortSet free_ports = pool.subtract(used);  // named: ranges() of a temporary would dangle
    for (const auto& free : free_ports.ranges()) {
        uint64_t lower = align_up(free.first, n);
        if (lower + n - 1 <= free.last) count += (uint64_t{free.last} + 1 - lower) / n;
    }
    return count;
}

uint32_t largest_block(const PortSet& pool) {
    for (uint32_t n = kMaxBlock; n >= kMinBlock; n /= 2)
        if (capacity(pool, n) > 0) return n;
    return 0;
}

void validate_pool(const PoolConfig& pool, const std::optional<PortRange>& host_range) {
    if (pool.ephemeral.empty()) throw Error(Exit::bad_value, "the ephemeral pool is empty (give --ephemeral-ports RANGE)");
    validate_block_size(pool.per_container);
    const std::string eph = pool.ephemeral.to_string();
    if (capacity(pool.ephemeral, pool.per_container) == 0) {
        uint32_t fits = largest_block(pool.ephemeral);
        throw Error(Exit::bad_value, "ephemeral ports " + eph + " hold no block of " + std::to_string(pool.per_container) +
                                         " ports aligned to its size (" +
                                         (fits ? "the largest block that fits is " + std::to_string(fits)
                                               : std::string("not even a block of 16 fits")) +
                                         ")");
    }
    if (auto low = pool.ephemeral.intersect(PortSet{kWellKnownPorts}); !low.empty())
        throw Error(Exit::conflict, "ephemeral ports " + eph + " overlap the well-known ports 1-1023 (" + low.to_string() + ")");
    if (auto both = pool.ephemeral.intersect(pool.ports); !both.empty())
        throw Error(Exit::conflict, "ephemeral ports " + eph + " overlap the non-ephemeral --ports " + pool.ports.to_string() +
                                        " (" + both.to_string() + ")");
    if (host_range && pool.ephemeral.overlaps(PortSet{*host_range}))
        throw Error(Exit::conflict, "ephemeral ports " + eph + " overlap the host's net.ipv4.ip_local_port_range " +
                                        host_range->to_string() + " (choose ports outside it or narrow the host range)");
}

std::optional<std::string> misfit(const PoolConfig& pool, const AllocRecord& record) {
    const std::string block = record.ephemeral.to_string();
    if (!pool.ephemeral.contains(PortSet{record.ephemeral}))
        return "its ephemeral block " + block + " lies outside the ephemeral ports " + ports_or_none(pool.ephemeral);
    if (record.ephemeral.size() != pool.per_container || record.ephemeral.first % pool.per_container != 0)
        return "its ephemeral block " + block + " is not an aligned block of " + std::to_string(pool.per_container) + " ports";
    if (!pool.ports.contains(record.ports))
        return "its ports " + record.ports.to_string() + " lie outside the managed ports " + ports_or_none(pool.ports);
    return std::nullopt;
}

void check_ports(const PoolConfig& pool, const std::string& id, const PortSet& ports, const std::vector<AllocRecord>& records) {
    if (auto outside = ports.subtract(pool.ports); !outside.empty())
        throw Error(Exit::bad_value, ports_phrase(outside) + (outside.size() == 1 ? " is" : " are") +
                                         " not managed by the pool (its non-ephemeral ports: " +
                                         ports_or_none(pool.ports) + ")");
    for (const auto& r : records) {
        if (r.id == id) continue;
        if (auto owned = ports.intersect(r.ports); !owned.empty())
            throw Error(Exit::conflict, ports_phrase(owned) + (owned.size() == 1 ? " already belongs" : " already belong") +
                                            " to container '" + r.id + "'");
    }
}

PortSet used_ephemeral(const std::vector<AllocRecord>& records) {
    PortSet used;
    for (const auto& r : records) used.add(r.ephemeral);
    return used;
}

AllocRecord place(const PoolConfig& pool, const std::string& id, const PortSet& ports, const std::vector<AllocRecord>& records) {
    auto block = first_fit(pool.ephemeral, pool.per_container, used_ephemeral(records));
    if (!block) {
        uint64_t total = capacity(pool.ephemeral, pool.per_container);
        throw Error(Exit::temporary, "pool exhausted: ephemeral ports " + pool.ephemeral.to_string() + " fit " +
                                         containers(total) + " (" + std::to_string(pool.per_container) +
                                         " ports each), all in use (release one or place '" + id + "' elsewhere)");
    }
    return AllocRecord{id, *block, ports};
}

PoolUsage usage(const PoolConfig& pool, const std::vector<AllocRecord>& records) {
    PoolUsage u;
    PortSet used = used_ephemeral(records), owned;
    for (const auto& r : records) owned = owned.unite(r.ports);
    u.blocks_total = capacity(pool.ephemeral, pool.per_container);
    u.blocks_used = records.size();
    u.blocks_free = capacity(pool.ephemeral, pool.per_container, used);
    u.ephemeral_free = pool.ephemeral.subtract(used);
    u.ports_free = pool.ports.subtract(owned);
    return u;
}

}  // namespace pm::alloc
