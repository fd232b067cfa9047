// Inclusive port ranges as aligned power-of-two blocks, the shape a single
// u32 key (value/mask on a 16-bit port) can match.  Greedy from the low end,
// as in the Mesos reference §1.6; ranges ending at 65535 included.
#pragma once
#include <cstdint>
#include <vector>

#include "ports/port_set.hpp"

namespace pm {

struct PortBlock {
    uint16_t value;  // first port of the block
    uint16_t mask;   // ~(size-1) over 16 bits
    uint32_t size() const { return (~static_cast<uint32_t>(mask) & 0xffffu) + 1; }
    uint32_t last() const { return static_cast<uint32_t>(value) + size() - 1; }
    PortRange range() const { return {value, last()}; }
    bool operator==(const PortBlock&) const = default;
};

std::vector<PortBlock> port_blocks(const PortRange& range);
std::vector<PortBlock> port_blocks(const PortSet& set);

}  // namespace pm
