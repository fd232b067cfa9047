// The port pool's pure logic (no files): pool validation, first-fit aligned
// ephemeral blocks, capacity, and the rules for a container's non-ephemeral
// ports.  Mirrors Mesos's EphemeralPortsAllocator (reference §2): blocks are
// aligned to their size, so pool 30001-30999 with N=512 yields only 30208-30719.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ports/port_set.hpp"
#include "state/records.hpp"

namespace pm::alloc {

inline constexpr uint32_t kMinBlock = 16;
inline constexpr uint32_t kMaxBlock = 32768;   // 32768-65535 is the largest aligned block without port 0
inline constexpr uint32_t kDefaultBlock = 1024;
inline constexpr PortRange kWellKnownPorts{1, 1023};

// Error(bad_value) unless n is a power of two in [16, 32768].
void validate_block_size(uint64_t n);

// First aligned block of n ports inside `pool` and outside `used`, lowest first.
std::optional<PortRange> first_fit(const PortSet& pool, uint32_t n, const PortSet& used = {});
// How many more aligned blocks of n fit in pool minus used (= how many allocations will succeed).
uint64_t capacity(const PortSet& pool, uint32_t n, const PortSet& used = {});
// The largest power-of-two block size >= 16 of which `pool` holds an aligned block; 0 if none.
uint32_t largest_block(const PortSet& pool);

// Pool rules, in order: empty pool, bad N, no aligned block (bad_value 65);
// overlap with ports 1-1023, with the pool's non-ephemeral ports, with the host's
// ephemeral range when known (conflict 73).
void validate_pool(const PoolConfig& pool, const std::optional<PortRange>& host_range);

// Why `record` does not fit `pool` (block outside the pool, of another size or
// misaligned, ports outside the managed ports); nullopt when it fits.
std::optional<std::string> misfit(const PoolConfig& pool, const AllocRecord& record);

// Non-ephemeral ports for `id`: must lie in pool.ports (bad_value) and belong to
// no other record (conflict, naming the owner).  `records` may include `id` itself.
void check_ports(const PoolConfig& pool, const std::string& id, const PortSet& ports,
                 const std::vector<AllocRecord>& records);

// "a-b,c", or "none" for the empty set (for messages).
std::string ports_or_none(const PortSet& set);

// Ephemeral blocks of all records.
PortSet used_ephemeral(const std::vector<AllocRecord>& records);

// A new record for `id`: first-fit block plus `ports` (already checked).
// Error(temporary) "pool exhausted ... fits K containers" when no block is free.
AllocRecord place(const PoolConfig& pool, const std::string& id, const PortSet& ports,
                  const std::vector<AllocRecord>& records);

struct PoolUsage {
    uint64_t blocks_total = 0;  // blocks the empty pool holds
    uint64_t blocks_used = 0;   // records
    uint64_t blocks_free = 0;   // further allocations that will succeed
    PortSet ephemeral_free;     // pool minus every record's block
    PortSet ports_free;         // managed non-ephemeral ports no record owns
};
PoolUsage usage(const PoolConfig& pool, const std::vector<AllocRecord>& records);

}  // namespace pm::alloc
