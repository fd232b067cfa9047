// tc handles as numbers and as the text `tc` prints, so records and `pm-tc
// show` use the same spelling an admin sees in `tc filter show`:
// qdisc/class "ffff:" / "1:10", u32 "800::1" (table 800, bucket 0, node 1),
// "30:7a:801", tables "30:".
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace pm::nl {

constexpr uint32_t tc_handle(uint32_t major, uint32_t minor) { return (major << 16) | (minor & 0xffffu); }
constexpr uint32_t kIngressParent = 0xffff0000u;  // "ffff:", the ingress qdisc

// u32 handle = htid(12 bits) << 20 | bucket(8) << 12 | node(12).
constexpr uint32_t u32_handle(uint32_t htid, uint32_t bucket, uint32_t node) {
    return ((htid & 0xfffu) << 20) | ((bucket & 0xffu) << 12) | (node & 0xfffu);
}
constexpr uint32_t u32_htid(uint32_t handle) { return handle >> 20; }
constexpr uint32_t u32_bucket(uint32_t handle) { return (handle >> 12) & 0xffu; }
constexpr uint32_t u32_node(uint32_t handle) { return handle & 0xfffu; }

std::string format_tc_handle(uint32_t handle);   // "ffff:", "1:10"
std::string format_u32_handle(uint32_t handle);  // "800::1", "30:7a:801", "30:"
// Inverses; Error(bad_value) on malformed text.
uint32_t parse_tc_handle(std::string_view text);
uint32_t parse_u32_handle(std::string_view text);

}  // namespace pm::nl
