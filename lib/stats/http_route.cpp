#include "stats/http_route.hpp"

#include <arpa/inet.h>

#include <charconv>

#include "core/error.hpp"

namespace pm::stats {
namespace {

Error bad_listen(std::string_view text, const std::string& why) {
    return Error(Exit::bad_value,
                 "invalid --listen '" + std::string(text) + "': " + why + " (expected [ADDR:]PORT, e.g. 127.0.0.1:9273)");
}

int parse_port(std::string_view all, std::string_view p) {
    int port = -1;
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
    if (p.empty() || ec != std::errc() || ptr != p.data() + p.size() || port < 0 || port > 65535)
        throw bad_listen(all, "port must be a number from 0 to 65535");
    return port;
}

}  // namespace

std::string ListenAddress::to_string() const {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

ListenAddress parse_listen(std::string_view text) {
    ListenAddress a{"127.0.0.1", 0};
    if (text.empty()) throw bad_listen(text, "empty");
    if (text.front() == '[') {
        const size_t close = text.find("]:");
        if (close == std::string_view::npos) throw bad_listen(text, "an IPv6 address needs the form [ADDR]:PORT");
        a.host = std::string(text.substr(1, close - 1));
        in6_addr v6{};
        if (inet_pton(AF_INET6, a.host.c_str(), &v6) != 1) throw bad_listen(text, "'" + a.host + "' is not an IPv6 address");
        a.port = parse_port(text, text.substr(close + 2));
        return a;
    }
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
        a.port = parse_port(text, text);
        return a;
    }
    if (colon > 0) {
        a.host = std::string(text.substr(0, colon));
        if (a.host == "localhost") a.host = "127.0.0.1";
        in_addr v4{};
        if (inet_pton(AF_INET, a.host.c_str(), &v4) != 1)
            throw bad_listen(text, "'" + a.host + "' is not an IPv4 address (IPv6 goes in brackets)");
    }
    a.port = parse_port(text, text.substr(colon + 1));
    return a;
}

Route route(std::string_view method, std::string_view path) {
    Route target;
    if (path == kStatisticsPath) target = Route::statistics;
    else if (path == kMetricsPath) target = Route::metrics;
    else return Route::not_found;
    if (method == "GET" || method == "HEAD") return target;
    return Route::method_not_allowed;
}

}  // namespace pm::stats
