#include "tc/rate_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "core/error.hpp"
#include "units/units.hpp"

namespace pm::tc {
namespace {

uint64_t rate_of(const std::string& option, const std::string& text) {
    try {
        return parse_rate(text);
    } catch (const Error& e) {
        throw e.with_context(option);
    }
}

uint64_t size_of(const std::string& option, const std::string& text) {
    uint64_t v = 0;
    try {
        v = parse_size(text);
    } catch (const Error& e) {
        throw e.with_context(option);
    }
    if (v > std::numeric_limits<uint32_t>::max())  // HTB's buffer is 32 bits
        throw Error(Exit::bad_value, option + ": invalid size '" + text + "': at most 4GB");
    return v;
}

Error usage(const std::string& msg) { return Error(Exit::usage, msg); }

// A rate given for a direction, as opposed to none or "none" (which removes it).
bool sets_rate(const ShapingOptions::Dir& d) { return !d.rate.empty() && d.rate != "none"; }

// floor(cpus); Error(bad_value) unless a non-negative finite number.
uint64_t whole_cpus(const std::string& text) {
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || errno || !std::isfinite(v) || v < 0 || v > 1e6)
        throw Error(Exit::bad_value, "--cpus: invalid CPU count '" + text + "' (a non-negative number, e.g. 4 or 2.5)");
    return static_cast<uint64_t>(std::floor(v));
}

uint64_t json_u64(const Json& j, const char* key) {
    if (!j.contains(key) || j[key].is_null()) return 0;
    if (!j[key].is_number_integer() || j[key].get<int64_t>() < 0) throw Error(Exit::bad_value, fmt::format("shaping: '{}' is not a byte count", key));
    return j[key].get<uint64_t>();
}

}  // namespace

const char* bloat_key(Bloat b) { return b == Bloat::fq_codel ? "fq_codel" : "none"; }

Bloat bloat_from_key(const std::string& s) {
    if (s == "fq_codel") return Bloat::fq_codel;
    if (s == "none") return Bloat::none;
    throw Error(Exit::bad_value, "--bloat-reduction: unknown value '" + s + "' (fq_codel or none)");
}

Json Limit::to_json() const {
    Json j = {{"rate", rate}};
    if (ceil) j["ceil"] = ceil;
    if (burst) j["burst"] = burst;
    return j;
}

Limit Limit::from_json(const Json& j) {
    if (!j.is_object()) throw Error(Exit::bad_value, "shaping: a direction is not an object");
    Limit l{json_u64(j, "rate"), json_u64(j, "ceil"), json_u64(j, "burst")};
    if (!l.rate) throw Error(Exit::bad_value, "shaping: a direction has no rate");
    return l;
}

std::string Limit::text() const {
    std::string s = format_rate(rate);
    if (ceil) s += " ceil " + format_rate(ceil);
    if (burst) s += " burst " + format_size(burst);
    return s;
}

bool Shaping::same(const Shaping& o) const {
    return egress == o.egress && ingress == o.ingress && (!any() || bloat == o.bloat);
}

Json Shaping::to_json() const {
    Json j = {{"bloat_reduction", bloat_key(bloat)}};
    if (egress) j["egress"] = egress->to_json();
    if (ingress) j["ingress"] = ingress->to_json();
    return j;
}

Shaping Shaping::from_json(const Json& j) {
    Shaping s;
    if (!j.is_object()) throw Error(Exit::bad_value, "shaping: not an object");
    if (j.contains("bloat_reduction")) {
        if (!j["bloat_reduction"].is_string()) throw Error(Exit::bad_value, "shaping: bloat_reduction is not a string");
        s.bloat = bloat_from_key(j["bloat_reduction"].get<std::string>());
    }
    if (j.contains("egress") && !j["egress"].is_null()) s.egress = Limit::from_json(j["egress"]);
    if (j.contains("ingress") && !j["ingress"].is_null()) s.ingress = Limit::from_json(j["ingress"]);
    return s;
}

Shaping ShapingChange::apply_to(const Shaping& current) const {
    Shaping s = current;
    if (bloat) s.bloat = *bloat;
    auto one = [](Op op, const Limit& l, std::optional<Limit>& slot) {
        if (op == Op::set) slot = l;
        if (op == Op::remove) slot.reset();
    };
    one(egress, egress_limit, s.egress);
    one(ingress, ingress_limit, s.ingress);
    return s;
}

ShapingChange parse_shaping(const ShapingOptions& opt) {
    ShapingChange c;
    if (!opt.bloat.empty()) c.bloat = bloat_from_key(opt.bloat);

    // Combinations first (usage), then values.
    if (!opt.cpus.empty() && opt.rate_per_cpu.empty()) throw usage("--cpus needs --rate-per-cpu");
    if (!opt.rate_per_cpu.empty() && opt.cpus.empty()) throw usage("--rate-per-cpu needs --cpus");
    for (auto [name, d] : {std::pair{"egress", &opt.egress}, std::pair{"ingress", &opt.ingress}}) {
        const std::string p = std::string("--") + name;
        const bool has_rate = sets_rate(*d);
        if (d->rate == "none" && (!d->ceil.empty() || !d->burst.empty()))
            throw usage(p + "-rate none removes the limit; it takes no " + p + "-ceil or " + p + "-burst");
        if (!d->ceil.empty() && !has_rate && opt.rate_per_cpu.empty())
            throw usage(p + "-ceil needs " + p + "-rate (or --rate-per-cpu)");
        if (!d->burst.empty() && d->ceil.empty()) throw usage(p + "-burst needs " + p + "-ceil (the burst is allowed above the rate, up to the ceil)");
    }
    const bool any_rate = !opt.rate_per_cpu.empty() || sets_rate(opt.egress) || sets_rate(opt.ingress);
    if ((!opt.min_rate.empty() || !opt.max_rate.empty()) && !any_rate)
        throw usage("--min-rate/--max-rate clamp a rate given with --egress-rate, --ingress-rate or --rate-per-cpu");

    const uint64_t min = opt.min_rate.empty() ? kDefaultMinRate : rate_of("--min-rate", opt.min_rate);
    const uint64_t max = opt.max_rate.empty() ? 0 : rate_of("--max-rate", opt.max_rate);
    if (max && max < min)
        throw Error(Exit::bad_value, fmt::format("--max-rate {} is below the minimum rate {}", format_rate(max), format_rate(min)));
    std::optional<uint64_t> scaled;
    if (!opt.rate_per_cpu.empty()) {
        const uint64_t per = rate_of("--rate-per-cpu", opt.rate_per_cpu);
        const uint64_t cpus = whole_cpus(opt.cpus);
        if (cpus && per > std::numeric_limits<uint64_t>::max() / 2 / cpus)
            throw Error(Exit::bad_value, "--rate-per-cpu x --cpus is too large");
        scaled = per * cpus;  // 0 CPUs -> 0, raised to the minimum below
    }

    for (auto [name, d, op, limit] : {std::tuple{"egress", &opt.egress, &c.egress, &c.egress_limit},
                                      std::tuple{"ingress", &opt.ingress, &c.ingress, &c.ingress_limit}}) {
        const std::string p = std::string("--") + name;
        if (d->rate == "none") {
            *op = ShapingChange::Op::remove;
            continue;
        }
        std::optional<uint64_t> base;
        if (!d->rate.empty()) base = rate_of(p + "-rate", d->rate);
        else if (scaled) base = *scaled;
        if (!base) continue;
        Limit l;
        if (!d->ceil.empty()) {
            l.ceil = rate_of(p + "-ceil", d->ceil);
            if (l.ceil < *base)
                throw Error(Exit::bad_value, fmt::format("{}-ceil {} is below the rate {}", p, format_rate(l.ceil), format_rate(*base)));
        }
        if (!d->burst.empty()) l.burst = size_of(p + "-burst", d->burst);
        l.rate = std::max(*base, min);
        if (max) l.rate = std::min(l.rate, max);
        if (l.ceil) l.ceil = std::max(l.ceil, l.rate);
        *op = ShapingChange::Op::set;
        *limit = l;
    }
    return c;
}

uint64_t default_burst(uint64_t rate) {
    return std::clamp<uint64_t>(rate / 1000, 1600, std::numeric_limits<uint32_t>::max());
}

nl::HtbClass htb_class_for(const Limit& l) {
    nl::HtbClass c;
    c.rate = l.rate;
    c.ceil = l.ceil ? l.ceil : l.rate;
    c.burst = static_cast<uint32_t>(l.burst ? l.burst : default_burst(c.rate));
    c.cburst = static_cast<uint32_t>(default_burst(c.ceil));
    c.quantum = static_cast<uint32_t>(std::clamp<uint64_t>(l.rate / 10, 2000, 200000));
    return c;
}

}  // namespace pm::tc
