#include "alloc/host_range.hpp"

#include <charconv>

#include "core/error.hpp"
#include "sys/sysctl.hpp"

namespace pm::alloc {

PortRange parse_local_port_range(const std::string& value) {
    const std::string text = sysctl::normalize(value);
    auto bad = [&] { return Error(Exit::failure, "unexpected format of net.ipv4.ip_local_port_range: '" + value + "'"); };
    auto space = text.find(' ');
    if (space == std::string::npos) throw bad();
    PortRange r;
    const char* end = text.data() + text.size();
    auto [p1, e1] = std::from_chars(text.data(), text.data() + space, r.first);
    auto [p2, e2] = std::from_chars(text.data() + space + 1, end, r.last);
    if (e1 != std::errc() || e2 != std::errc() || p1 != text.data() + space || p2 != end) throw bad();
    if (r.first == 0 || r.last > 65535 || r.first > r.last) throw bad();
    return r;
}

std::optional<PortRange> read_host_ephemeral_range() {
    auto value = sysctl::read(sysctl::path("net.ipv4.ip_local_port_range"));
    if (!value) return std::nullopt;
    return parse_local_port_range(*value);
}

}  // namespace pm::alloc
