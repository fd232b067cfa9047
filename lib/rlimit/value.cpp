#include "rlimit/value.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"

namespace pm::rlimit {
namespace {

struct Suffix {
    std::string_view name;
    uint64_t factor;
};

// Byte suffixes, base 1024, case-insensitive; "K", "KB" and "KiB" are the same.
constexpr Suffix kByteSuffixes[] = {
    {"b", 1},
    {"k", 1ULL << 10}, {"kb", 1ULL << 10}, {"kib", 1ULL << 10},
    {"m", 1ULL << 20}, {"mb", 1ULL << 20}, {"mib", 1ULL << 20},
    {"g", 1ULL << 30}, {"gb", 1ULL << 30}, {"gib", 1ULL << 30},
    {"t", 1ULL << 40}, {"tb", 1ULL << 40}, {"tib", 1ULL << 40},
    {"p", 1ULL << 50}, {"pb", 1ULL << 50}, {"pib", 1ULL << 50},
    {"e", 1ULL << 60}, {"eb", 1ULL << 60}, {"eib", 1ULL << 60},
};

// Time suffixes in microseconds.  No bare "m": minutes or milli would be a guess.
constexpr Suffix kTimeSuffixes[] = {
    {"us", 1}, {"ms", 1000}, {"s", 1000000}, {"min", 60000000}, {"h", 3600000000ULL}, {"d", 86400000000ULL},
};

template <size_t N>
std::optional<uint64_t> find_suffix(const Suffix (&table)[N], std::string_view suffix) {
    auto same = [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; };
    for (const auto& s : table)
        if (std::equal(suffix.begin(), suffix.end(), s.name.begin(), s.name.end(), same)) return s.factor;
    return std::nullopt;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string name_of(const LimitInfo& limit) { return std::string(limit.name); }

[[noreturn]] void bad(const LimitInfo& limit, const std::string& message) {
    throw Error(Exit::bad_value, name_of(limit) + ": " + message);
}

std::string out_of_range(std::string_view text) {
    return "value '" + std::string(text) + "' out of range (max 18446744073709551615)";
}

uint64_t scale(const LimitInfo& limit, std::string_view text, uint64_t value, uint64_t factor) {
    if (factor != 0 && value > UINT64_MAX / factor) bad(limit, out_of_range(text));
    return value * factor;
}

uint64_t parse_nice(const LimitInfo& limit, std::string_view text) {
    const std::string shown(text);
    const std::string hint = "raw value must be 0..40 (or +N/-N nice level, -20..19)";
    if (text[0] == '+' || text[0] == '-') {
        std::string_view digits = text.substr(1);
        if (digits.empty() || digits.size() > 2 || !std::all_of(digits.begin(), digits.end(), is_digit))
            bad(limit, "invalid nice level '" + shown + "': " + hint);
        int level = static_cast<int>(*decimal_u64(digits)) * (text[0] == '-' ? -1 : 1);
        if (level < -20 || level > 19) bad(limit, "nice level '" + shown + "' out of range: " + hint);
        return static_cast<uint64_t>(20 - level);  // setrlimit(2): ceiling = 20 - raw
    }
    if (!std::all_of(text.begin(), text.end(), is_digit))
        bad(limit, "invalid value '" + shown + "': " + hint);
    auto raw = decimal_u64(text);
    if (!raw || *raw > 40) bad(limit, hint + ", got '" + shown + "'");
    return *raw;
}

}  // namespace

uint64_t parse_value(const LimitInfo& limit, std::string_view text, std::string* note) {
    const std::string shown(text);
    if (text.empty()) throw Error(Exit::bad_value, "empty value for " + name_of(limit));
    if (text == "unlimited" || text == "infinity") return kInfinity;
    if (limit.kind == Kind::nice) return parse_nice(limit, text);
    if (text == "-1") return kInfinity;  // prlimit/docker spelling; only this exact literal
    if (text[0] == '-') bad(limit, "negative values are not allowed in '" + shown + "' (use 'unlimited')");

    size_t end = 0;
    while (end < text.size() && is_digit(text[end])) ++end;
    std::string_view digits = text.substr(0, end), rest = text.substr(end);
    if (digits.empty()) {
        if (text[0] == '+' || std::isspace(static_cast<unsigned char>(text[0])))
            bad(limit, "trailing or invalid characters in '" + shown + "' (decimal digits only, no sign or spaces)");
        throw Error(Exit::bad_value, "invalid value '" + shown + "' for " + name_of(limit) +
                                         ": expected a non-negative integer or 'unlimited'");
    }
    if (!rest.empty() && rest[0] == '.') {
        if (limit.kind == Kind::seconds)
            bad(limit, "fractional seconds need a unit (e.g. 1500ms) in '" + shown + "'; the kernel counts whole seconds");
        bad(limit, "fractional values are not allowed in '" + shown + "'");
    }
    auto value = decimal_u64(digits);
    if (!value) bad(limit, out_of_range(text));
    if (rest.empty()) return *value;

    bool alpha = std::all_of(rest.begin(), rest.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
    switch (limit.kind) {
        case Kind::bytes:
            if (auto factor = find_suffix(kByteSuffixes, rest); alpha && factor) return scale(limit, text, *value, *factor);
            if (alpha && find_suffix(kTimeSuffixes, rest))
                bad(limit, "'" + shown + "' is a time; " + name_of(limit) + " takes bytes (suffixes K, M, G, T, P, E; base 1024)");
            bad(limit, "trailing or invalid characters in '" + shown + "' (byte suffixes: K, M, G, T, P, E; base 1024)");
        case Kind::seconds:
        case Kind::microseconds: {
            auto factor = alpha ? find_suffix(kTimeSuffixes, rest) : std::nullopt;
            if (!factor) bad(limit, "trailing or invalid characters in '" + shown + "' (time units: us, ms, s, min, h, d)");
            uint64_t micros = scale(limit, text, *value, *factor);
            if (limit.kind == Kind::microseconds) return micros;
            uint64_t seconds = micros / 1000000 + (micros % 1000000 ? 1 : 0);
            if (micros % 1000000 && note)
                *note = name_of(limit) + ": " + shown + " rounded up to " + std::to_string(seconds) +
                        " s (the kernel counts whole seconds)";
            return seconds;
        }
        default:
            if (alpha && find_suffix(kByteSuffixes, rest))
                throw Error(Exit::bad_value, name_of(limit) + " takes a count; size suffixes are only valid for byte limits ('" +
                                                 shown + "')");
            bad(limit, "trailing or invalid characters in '" + shown + "' (decimal digits only)");
    }
}

Spec parse_spec(const LimitInfo& limit, std::string_view text) {
    Spec spec;
    size_t colon = text.find(':');
    if (colon == std::string_view::npos) {
        std::string note;
        spec.soft = spec.hard = parse_value(limit, text, &note);
        if (!note.empty()) spec.notes.push_back(note);
        return spec;
    }
    if (text.find(':', colon + 1) != std::string_view::npos)
        bad(limit, "too many ':'-separated values in '" + std::string(text) + "' (expected soft[:hard])");
    std::string_view soft = text.substr(0, colon), hard = text.substr(colon + 1);
    if (soft.empty() && hard.empty()) throw Error(Exit::bad_value, "empty value for " + name_of(limit));
    for (auto [side, out] : {std::pair{soft, &spec.soft}, std::pair{hard, &spec.hard}}) {
        if (side.empty()) continue;
        std::string note;
        *out = parse_value(limit, side, &note);
        if (!note.empty()) spec.notes.push_back(note);
    }
    if (spec.soft && spec.hard && *spec.soft > *spec.hard)
        bad(limit, "soft limit " + format_value(*spec.soft) + " exceeds hard limit " + format_value(*spec.hard));
    return spec;
}

std::optional<uint64_t> decimal_u64(std::string_view digits) {
    uint64_t value = 0;
    for (char c : digits) {
        uint64_t d = static_cast<uint64_t>(c - '0');
        if (value > (UINT64_MAX - d) / 10) return std::nullopt;
        value = value * 10 + d;
    }
    return value;
}

std::string format_value(uint64_t value) { return value == kInfinity ? "unlimited" : std::to_string(value); }

std::string format_pair(uint64_t soft, uint64_t hard) { return format_value(soft) + ":" + format_value(hard); }

Json value_json(uint64_t value) { return value == kInfinity ? Json("unlimited") : Json(value); }

}  // namespace pm::rlimit
