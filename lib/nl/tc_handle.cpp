#include "nl/tc_handle.hpp"

#include <fmt/format.h>

#include <charconv>

#include "core/error.hpp"

namespace pm::nl {
namespace {

// One hex field; empty means 0.  `limit` is the largest allowed value.
uint32_t hex_field(std::string_view field, uint32_t limit, std::string_view whole) {
    if (field.empty()) return 0;
    uint32_t v = 0;
    auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), v, 16);
    if (ec != std::errc() || ptr != field.data() + field.size() || v > limit)
        throw Error(Exit::bad_value, fmt::format("malformed tc handle '{}'", whole));
    return v;
}

}  // namespace

std::string format_tc_handle(uint32_t handle) {
    uint32_t minor = handle & 0xffffu;
    return minor ? fmt::format("{:x}:{:x}", handle >> 16, minor) : fmt::format("{:x}:", handle >> 16);
}

std::string format_u32_handle(uint32_t handle) {
    std::string out;
    if (u32_htid(handle)) out += fmt::format("{:x}:", u32_htid(handle));
    if (u32_bucket(handle)) out += fmt::format("{:x}", u32_bucket(handle));
    if (u32_node(handle)) out += fmt::format(":{:x}", u32_node(handle));
    return out.empty() ? "0" : out;
}

uint32_t parse_tc_handle(std::string_view text) {
    auto colon = text.find(':');
    if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos || colon == 0)
        throw Error(Exit::bad_value, fmt::format("malformed tc handle '{}'", text));
    return tc_handle(hex_field(text.substr(0, colon), 0xffff, text), hex_field(text.substr(colon + 1), 0xffff, text));
}

uint32_t parse_u32_handle(std::string_view text) {
    if (text == "0") return 0;
    auto c1 = text.find(':');
    if (c1 == std::string_view::npos) throw Error(Exit::bad_value, fmt::format("malformed u32 handle '{}'", text));
    uint32_t htid = hex_field(text.substr(0, c1), 0xfff, text);
    auto rest = text.substr(c1 + 1);
    auto c2 = rest.find(':');
    uint32_t bucket = hex_field(rest.substr(0, c2), 0xff, text);
    uint32_t node = c2 == std::string_view::npos ? 0 : hex_field(rest.substr(c2 + 1), 0xfff, text);
    if (c2 != std::string_view::npos && rest.substr(c2 + 1).find(':') != std::string_view::npos)
        throw Error(Exit::bad_value, fmt::format("malformed u32 handle '{}'", text));
    return u32_handle(htid, bucket, node);
}

}  // namespace pm::nl
