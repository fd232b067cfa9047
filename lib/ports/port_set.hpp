// Ports and inclusive port ranges (CONVENTIONS.md): "32768-33791",
// lists "31000-31009,31050", Mesos form "[31000-32000]" or "[a-b, c-d]".
// Port 0 is never valid; 65535 is.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"

namespace pm {

struct PortRange {
    uint32_t first = 0;  // inclusive; uint32 so that last+1 never overflows
    uint32_t last = 0;   // inclusive

    uint32_t size() const { return last - first + 1; }
    bool contains(uint32_t port) const { return port >= first && port <= last; }
    bool overlaps(const PortRange& o) const { return first <= o.last && o.first <= last; }
    std::string to_string() const;  // "a-b", or "a" for a single port
    bool operator==(const PortRange&) const = default;
};

// A normalized set of ports: sorted, disjoint, non-adjacent ranges.
class PortSet {
public:
    PortSet() = default;
    PortSet(std::initializer_list<PortRange> ranges);
    // Parses every accepted form; Error(bad_value) with the offending token otherwise.
    // An empty string (or "[]") is the empty set.
    static PortSet parse(std::string_view text);
    // From JSON: [{"begin":B,"end":E},...] (our files) or a string in any parse() form.
    static PortSet from_json(const Json& value);

    void add(PortRange range);
    PortSet unite(const PortSet& other) const;
    PortSet subtract(const PortSet& other) const;
    PortSet intersect(const PortSet& other) const;
    bool overlaps(const PortSet& other) const { return !intersect(other).empty(); }
    bool contains(const PortSet& other) const { return other.subtract(*this).empty(); }
    bool contains(uint32_t port) const;

    bool empty() const { return ranges_.empty(); }
    uint64_t size() const;  // number of ports
    const std::vector<PortRange>& ranges() const { return ranges_; }
    std::string to_string() const;  // "a-b,c" ; "" when empty
    Json to_json() const;           // [{"begin":a,"end":b},...]
    bool operator==(const PortSet&) const = default;

private:
    std::vector<PortRange> ranges_;
};

}  // namespace pm
