#include "units/units.hpp"

#include <cctype>
#include <cmath>
#include <fmt/format.h>

#include "core/error.hpp"

namespace pm {
namespace {

struct Unit {
    const char* name;
    long double bytes;  // bytes (per second) per unit
    bool case_sensitive;
};

// Bit units are case-insensitive as in tc ("Mbit" == "mbit"); byte units are the
// Mesos spellings and must be upper case so "mb" is never mistaken for "mbit".
constexpr Unit kUnits[] = {
    {"B", 1.0L, true},
    {"KB", 1024.0L, true},
    {"MB", 1024.0L * 1024, true},
    {"GB", 1024.0L * 1024 * 1024, true},
    {"TB", 1024.0L * 1024 * 1024 * 1024, true},
    {"bit", 1.0L / 8, false},
    {"kbit", 1e3L / 8, false},
    {"mbit", 1e6L / 8, false},
    {"gbit", 1e9L / 8, false},
    {"tbit", 1e12L / 8, false},
};

bool unit_matches(const Unit& u, std::string_view text) {
    std::string_view name = u.name;
    if (name.size() != text.size()) return false;
    for (size_t i = 0; i < name.size(); ++i) {
        char a = name[i], b = text[i];
        if (u.case_sensitive ? a != b : std::tolower(static_cast<unsigned char>(a)) != std::tolower(static_cast<unsigned char>(b)))
            return false;
    }
    return true;
}

uint64_t parse_quantity(std::string_view text, const char* what, bool allow_zero) {
    const std::string shown(text);
    size_t i = 0;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
        if (text[i] == '-') throw Error(Exit::bad_value, fmt::format("invalid {} '{}': must not be negative", what, shown));
        ++i;
    }
    size_t digits_start = i;
    bool dot = false;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || (text[i] == '.' && !dot))) {
        dot |= text[i] == '.';
        ++i;
    }
    std::string number(text.substr(digits_start, i - digits_start));
    if (number.empty() || number == ".")
        throw Error(Exit::bad_value, fmt::format("invalid {} '{}': expected a number with a unit, e.g. 10mbit or 5MB", what, shown));
    std::string_view unit = text.substr(i);
    if (unit.empty())
        throw Error(Exit::bad_value,
                    fmt::format("invalid {} '{}': a unit is required (bit kbit mbit gbit tbit, or B KB MB GB TB), e.g. {}mbit",
                                what, shown, number));
    const Unit* found = nullptr;
    for (const auto& u : kUnits)
        if (unit_matches(u, unit)) found = &u;
    if (!found)
        throw Error(Exit::bad_value, fmt::format("invalid {} '{}': unknown unit '{}' (use bit kbit mbit gbit tbit, or B KB MB GB TB)",
                                                 what, shown, std::string(unit)));
    long double value = std::strtold(number.c_str(), nullptr) * found->bytes;
    if (value > 9.2e18L) throw Error(Exit::bad_value, fmt::format("invalid {} '{}': too large", what, shown));
    auto bytes = static_cast<uint64_t>(std::llround(value));
    if (bytes == 0 && !allow_zero)
        throw Error(Exit::bad_value, fmt::format("invalid {} '{}': must be at least 1 byte", what, shown));
    return bytes;
}

std::string trim_number(double v) {
    std::string s = fmt::format("{:.3f}", v);
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

}  // namespace

uint64_t parse_rate(std::string_view text, bool allow_zero) { return parse_quantity(text, "rate", allow_zero); }
uint64_t parse_size(std::string_view text) { return parse_quantity(text, "size", false); }

std::string format_rate(uint64_t bytes_per_second) {
    double bits = static_cast<double>(bytes_per_second) * 8.0;
    if (bits >= 1e12) return trim_number(bits / 1e12) + "Tbit";
    if (bits >= 1e9) return trim_number(bits / 1e9) + "Gbit";
    if (bits >= 1e6) return trim_number(bits / 1e6) + "Mbit";
    if (bits >= 1e3) return trim_number(bits / 1e3) + "Kbit";
    return trim_number(bits) + "bit";
}

std::string format_size(uint64_t bytes) {
    if (bytes >= (1ull << 30) && bytes % (1ull << 30) == 0) return std::to_string(bytes >> 30) + "GB";
    if (bytes >= (1ull << 20) && bytes % (1ull << 20) == 0) return std::to_string(bytes >> 20) + "MB";
    if (bytes >= (1ull << 10) && bytes % (1ull << 10) == 0) return std::to_string(bytes >> 10) + "KB";
    return std::to_string(bytes) + "B";
}

}  // namespace pm
