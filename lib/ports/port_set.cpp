#include "ports/port_set.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"

namespace pm {
namespace {

constexpr uint32_t kMaxPort = 65535;

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

Error bad_range(std::string_view text, std::string_view why) {
    return Error(Exit::bad_value, "invalid port range '" + std::string(text) + "': " + std::string(why));
}

uint32_t parse_port(std::string_view token, std::string_view whole) {
    token = trim(token);
    if (token.empty()) throw bad_range(whole, "missing port number");
    uint64_t value = 0;
    for (char c : token) {
        if (!std::isdigit(static_cast<unsigned char>(c))) throw bad_range(whole, "'" + std::string(token) + "' is not a port number");
        value = value * 10 + static_cast<uint64_t>(c - '0');
        if (value > 1000000) break;
    }
    if (value == 0 || value > kMaxPort) throw bad_range(whole, "port " + std::string(token) + " is outside 1-65535");
    return static_cast<uint32_t>(value);
}

}  // namespace

std::string PortRange::to_string() const {
    return first == last ? std::to_string(first) : std::to_string(first) + "-" + std::to_string(last);
}

PortSet::PortSet(std::initializer_list<PortRange> ranges) {
    for (const auto& r : ranges) add(r);
}

void PortSet::add(PortRange range) {
    if (range.first > range.last) std::swap(range.first, range.last);
    std::vector<PortRange> out;
    out.reserve(ranges_.size() + 1);
    bool placed = false;
    for (const auto& r : ranges_) {
        if (r.last + 1 < range.first) {
            out.push_back(r);
        } else if (range.last + 1 < r.first) {
            if (!placed) out.push_back(range), placed = true;
            out.push_back(r);
        } else {  // overlapping or adjacent: merge into `range`
            range.first = std::min(range.first, r.first);
            range.last = std::max(range.last, r.last);
        }
    }
    if (!placed) out.push_back(range);
    ranges_ = std::move(out);
}

PortSet PortSet::parse(std::string_view text) {
    std::string_view body = trim(text);
    if (!body.empty() && body.front() == '[') {
        if (body.back() != ']') throw bad_range(text, "missing closing ']'");
        body = trim(body.substr(1, body.size() - 2));
    }
    PortSet set;
    if (body.empty()) return set;
    size_t start = 0;
    while (start <= body.size()) {
        size_t comma = body.find(',', start);
        std::string_view item = trim(body.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        if (item.empty()) throw bad_range(text, "empty item in list");
        size_t dash = item.find('-');
        PortRange r;
        if (dash == std::string_view::npos) {
            r.first = r.last = parse_port(item, text);
        } else {
            r.first = parse_port(item.substr(0, dash), text);
            r.last = parse_port(item.substr(dash + 1), text);
            if (r.first > r.last)
                throw bad_range(text, "reversed range " + std::string(item) + " (write it low-high)");
        }
        set.add(r);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return set;
}

PortSet PortSet::from_json(const Json& value) {
    if (value.is_string()) return parse(value.get<std::string>());
    if (!value.is_array()) throw Error(Exit::bad_value, "port set must be an array of {begin,end} or a string");
    PortSet set;
    for (const auto& item : value) {
        if (!item.is_object() || !item.contains("begin") || !item.contains("end") || !item["begin"].is_number_unsigned() ||
            !item["end"].is_number_unsigned())
            throw Error(Exit::bad_value, "port range entry must be {\"begin\":N,\"end\":N}: " + item.dump());
        auto b = item["begin"].get<uint64_t>(), e = item["end"].get<uint64_t>();
        if (b == 0 || e > kMaxPort || b > e) throw Error(Exit::bad_value, "invalid port range entry " + item.dump());
        set.add({static_cast<uint32_t>(b), static_cast<uint32_t>(e)});
    }
    return set;
}

PortSet PortSet::unite(const PortSet& other) const {
    PortSet out = *this;
    for (const auto& r : other.ranges_) out.add(r);
    return out;
}

PortSet PortSet::intersect(const PortSet& other) const {
    PortSet out;
    size_t i = 0, j = 0;
    while (i < ranges_.size() && j < other.ranges_.size()) {
        const auto& a = ranges_[i];
        const auto& b = other.ranges_[j];
        uint32_t lo = std::max(a.first, b.first), hi = std::min(a.last, b.last);
        if (lo <= hi) out.ranges_.push_back({lo, hi});
        (a.last < b.last) ? ++i : ++j;
    }
    return out;
}

PortSet PortSet::subtract(const PortSet& other) const {
    PortSet out;
    size_t j = 0;
    for (auto r : ranges_) {
        while (j < other.ranges_.size() && other.ranges_[j].last < r.first) ++j;
        uint32_t cursor = r.first;
        bool done = false;
        for (size_t k = j; k < other.ranges_.size() && other.ranges_[k].first <= r.last; ++k) {
            const auto& cut = other.ranges_[k];
            if (cut.first > cursor) out.ranges_.push_back({cursor, cut.first - 1});
            if (cut.last >= r.last) {
                done = true;
                break;
            }
            cursor = std::max(cursor, cut.last + 1);
        }
        if (!done) out.ranges_.push_back({cursor, r.last});
    }
    return out;
}

bool PortSet::contains(uint32_t port) const {
    return std::any_of(ranges_.begin(), ranges_.end(), [&](const PortRange& r) { return r.contains(port); });
}

uint64_t PortSet::size() const {
    uint64_t n = 0;
    for (const auto& r : ranges_) n += r.size();
    return n;
}

std::string PortSet::to_string() const {
    std::string out;
    for (const auto& r : ranges_) {
        if (!out.empty()) out += ',';
        out += r.to_string();
    }
    return out;
}

Json PortSet::to_json() const {
    Json arr = Json::array();
    for (const auto& r : ranges_) arr.push_back({{"begin", r.first}, {"end", r.last}});
    return arr;
}

}  // namespace pm
