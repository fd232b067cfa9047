#include "ports/port_blocks.hpp"

namespace pm {

std::vector<PortBlock> port_blocks(const PortRange& range) {
    std::vector<PortBlock> out;
    // 32-bit arithmetic: `end` may be 65536 when the range ends at 65535.
    uint32_t lower = range.first;
    const uint32_t end = range.last + 1;
    while (lower < end) {
        uint32_t size = 1u << 16;
        while (size > 1 && (lower % size != 0 || lower + size > end)) size >>= 1;
        out.push_back({static_cast<uint16_t>(lower), static_cast<uint16_t>(~(size - 1) & 0xffffu)});
        lower += size;
    }
    return out;
}

std::vector<PortBlock> port_blocks(const PortSet& set) {
    std::vector<PortBlock> out;
    for (const auto& r : set.ranges()) {
        auto blocks = port_blocks(r);
        out.insert(out.end(), blocks.begin(), blocks.end());
    }
    return out;
}

}  // namespace pm
