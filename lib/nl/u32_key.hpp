// One u32 match key (value/mask on the 32-bit word at `offset`), host byte
// order; offsets count from the network header, negative ones reach into the
// Ethernet header at ingress.  Kept free of libnl headers so pure planning
// code and unit tests can use it.
#pragma once
#include <cstdint>

namespace pm::nl {

struct U32Key {
    uint32_t value = 0;  // already masked
    uint32_t mask = 0;
    int offset = 0;
    bool operator==(const U32Key&) const = default;
};

}  // namespace pm::nl
