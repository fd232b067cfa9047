// The pure half of `pm-stats --listen`: the address syntax and which request
// gets which answer.  The server itself (cpp-httplib) is in http_server.cpp.
#pragma once
#include <string>
#include <string_view>

namespace pm::stats {

struct ListenAddress {
    std::string host;  // numeric IPv4 or IPv6 (no brackets)
    int port = 0;      // 0: the kernel picks one
    std::string to_string() const;  // "127.0.0.1:9273", "[::1]:9273"
};

// "PORT" and ":PORT" bind to 127.0.0.1 (loopback by default); "ADDR:PORT" with
// a numeric IPv4 address or "localhost"; "[IPV6]:PORT".  Error(bad_value) otherwise.
ListenAddress parse_listen(std::string_view text);

enum class Route { statistics, metrics, not_found, method_not_allowed };
inline constexpr const char* kStatisticsPath = "/monitor/statistics";
inline constexpr const char* kMetricsPath = "/metrics";

// GET (and HEAD) on the two paths are served; another method on them is 405;
// any other path is 404.
Route route(std::string_view method, std::string_view path);

}  // namespace pm::stats
