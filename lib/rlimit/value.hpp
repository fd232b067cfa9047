// Limit values as users write them: "4096", "unlimited", "4G", "1500ms",
// "+5" (nice level), and the pairs "SOFT:HARD", "SOFT:", ":HARD".
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"
#include "rlimit/limits.hpp"

namespace pm::rlimit {

// One side of a limit in kernel units.  `note` is set when the text was
// rounded (CPU time in whole seconds) so the caller can say so.
// Error(bad_value) naming the limit for anything else: empty, negative (except
// the literal -1 = unlimited), junk, out of range, a unit the limit does not take.
uint64_t parse_value(const LimitInfo& limit, std::string_view text, std::string* note = nullptr);

// "S:H" both; "V" both = V; "S:" soft only; ":H" hard only (the other side is
// then taken from the current limit).  Soft > hard is refused when both are given.
struct Spec {
    std::optional<uint64_t> soft;
    std::optional<uint64_t> hard;
    std::vector<std::string> notes;
};
Spec parse_spec(const LimitInfo& limit, std::string_view text);

// Decimal digits (the caller has checked there are only digits) to a u64;
// nullopt when the number exceeds 2^64-1.
std::optional<uint64_t> decimal_u64(std::string_view digits);

// "unlimited" or the decimal number.
std::string format_value(uint64_t value);
std::string format_pair(uint64_t soft, uint64_t hard);
// JSON number, or the string "unlimited" (2^64-1 loses precision in many JSON readers).
Json value_json(uint64_t value);

}  // namespace pm::rlimit
