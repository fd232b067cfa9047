#include "stats/tc_record.hpp"

#include <initializer_list>

#include "core/error.hpp"
#include "state/json_file.hpp"
#include "units/units.hpp"

namespace pm::stats {
namespace {

// A byte quantity: a non-negative JSON number, or a string with a unit
// ("10mbit", "5MB") as the command line takes it.
std::optional<uint64_t> quantity(const Json& v, bool is_size) {
    if (v.is_number_unsigned()) return v.get<uint64_t>();
    if (v.is_number_integer() && v.get<int64_t>() >= 0) return static_cast<uint64_t>(v.get<int64_t>());
    if (v.is_number_float() && v.get<double>() >= 0) return static_cast<uint64_t>(v.get<double>());
    if (v.is_string()) {
        try {
            return is_size ? parse_size(v.get<std::string>()) : parse_rate(v.get<std::string>());
        } catch (const Error&) {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

std::optional<uint64_t> first_of(const Json& obj, std::initializer_list<const char*> keys, bool is_size) {
    for (const char* k : keys)
        if (obj.contains(k) && !obj[k].is_null()) return quantity(obj[k], is_size);
    return std::nullopt;
}

ShapingLimits limits_from(const Json& dir) {
    ShapingLimits l;
    if (!dir.is_object()) return l;
    l.rate = first_of(dir, {"rate", "rate_bytes", "rate_limit", "bytes_per_second"}, false);
    l.ceil = first_of(dir, {"ceil", "ceil_bytes", "ceil_limit", "burst_rate", "burst_rate_limit"}, false);
    l.burst = first_of(dir, {"burst", "burst_bytes", "burst_size"}, true);
    return l;
}

const Json* direction(const Json& obj, const char* name, const char* alias) {
    if (!obj.is_object()) return nullptr;
    if (obj.contains(name) && obj[name].is_object()) return &obj[name];
    if (obj.contains(alias) && obj[alias].is_object()) return &obj[alias];
    return nullptr;
}

// Flat keys named like the command line (--egress-rate -> "egress_rate").
ShapingLimits flat_limits(const Json& obj, const std::string& dir) {
    ShapingLimits l;
    auto key = [&](const char* what) { return dir + "_" + what; };
    for (const char* suffix : {"", "_bytes"}) {
        const std::string s = suffix;
        if (!l.rate && obj.contains(key("rate") + s)) l.rate = quantity(obj[key("rate") + s], false);
        if (!l.ceil && obj.contains(key("ceil") + s)) l.ceil = quantity(obj[key("ceil") + s], false);
        if (!l.burst && obj.contains(key("burst") + s)) l.burst = quantity(obj[key("burst") + s], true);
    }
    return l;
}

}  // namespace

ShapingRecord shaping_from_tc_json(const Json& tc) {
    ShapingRecord r;
    if (!tc.is_object()) return r;
    // The shaping part may be nested ("shaping"/"shape") or at the top level,
    // per direction ({"egress":{"rate":..}}) or flat ({"egress_rate":..}).
    const Json* root = &tc;
    for (const char* k : {"shaping", "shape"})
        if (tc.contains(k) && tc[k].is_object()) root = &tc[k];
    if (const Json* e = direction(*root, "egress", "tx")) r.egress = limits_from(*e);
    else r.egress = flat_limits(*root, "egress");
    if (const Json* i = direction(*root, "ingress", "rx")) r.ingress = limits_from(*i);
    else r.ingress = flat_limits(*root, "ingress");
    return r;
}

std::optional<Json> load_tc_json(const StateDir& dir, const std::string& id) {
    return read_json_file(dir.container_file(id, "tc.json"));
}

}  // namespace pm::stats
