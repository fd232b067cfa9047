// Rates and sizes with units (CONVENTIONS.md "Rates").
//   Rates: Mesos byte units B KB MB GB TB (base 1024, bytes/s) and tc bit units
//   bit kbit mbit gbit tbit (base 1000, bits/s).  A bare number is refused.
//   Sizes (bursts): B KB MB GB TB (base 1024) or bit kbit mbit gbit.
// Everything is converted to bytes (per second) in 64 bits.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace pm {

// Error(bad_value) for malformed text, no unit, unknown unit, negative or zero
// (zero is allowed only when `allow_zero`), or more than 2^63 bytes/s.
uint64_t parse_rate(std::string_view text, bool allow_zero = false);
uint64_t parse_size(std::string_view text);

// Human forms as tc prints them: rate in bit/s base 1000 ("10Mbit", "1.5Gbit"),
// size in bytes base 1024 ("64KB", "1514B").
std::string format_rate(uint64_t bytes_per_second);
std::string format_size(uint64_t bytes);

}  // namespace pm
