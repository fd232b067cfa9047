// Shaping limits as pure data: the command line's shaping options, how they
// become per-direction limits (clamps, per-CPU scaling), the HTB parameters
// derived from a limit, and the "shaping" object of tc.json.  No kernel access.
//
// Rules (man/pm-tc.8 "SHAPING"):
//   rate = --egress-rate, else --rate-per-cpu x floor(--cpus) (for each
//   direction without its own rate); then raised to --min-rate (default
//   1mbit, as Mesos) and lowered to --max-rate.  0 CPUs therefore gives the
//   minimum rate.  A limit above the link speed is applied as given (it never
//   binds: the link is slower).  ceil >= rate (raised with the rate when a
//   clamp lifts the rate above it); burst only together with a ceil.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "core/json.hpp"
#include "nl/htb.hpp"

namespace pm::tc {

enum class Bloat { fq_codel, none };
const char* bloat_key(Bloat b);               // "fq_codel", "none"
Bloat bloat_from_key(const std::string& s);   // Error(bad_value)

inline constexpr uint64_t kDefaultMinRate = 125000;  // 1 Mbit/s in bytes/s (Mesos's default minimum)

struct Limit {
    uint64_t rate = 0;   // bytes/s
    uint64_t ceil = 0;   // bytes/s; 0 = none (HTB ceil = rate)
    uint64_t burst = 0;  // bytes; 0 = none (a default derived from the rate)
    bool operator==(const Limit&) const = default;
    Json to_json() const;
    static Limit from_json(const Json& j);  // Error(bad_value)
    std::string text() const;               // "10Mbit ceil 20Mbit burst 64KB"
};

// What a container has (tc.json "shaping").
struct Shaping {
    Bloat bloat = Bloat::fq_codel;
    std::optional<Limit> egress;   // container eth0 root (container -> network)
    std::optional<Limit> ingress;  // host veth root (network -> container)
    bool any() const { return egress || ingress; }
    bool needs_fq_codel() const { return any() && bloat == Bloat::fq_codel; }
    // Equal limits; the leaf kind counts only when something is shaped.
    bool same(const Shaping& o) const;
    Json to_json() const;
    static Shaping from_json(const Json& j);  // Error(bad_value)
};

// The options as typed; "" = not given.
struct ShapingOptions {
    struct Dir {
        std::string rate, ceil, burst;  // rate may be "none"
    };
    Dir egress, ingress;
    std::string min_rate, max_rate, rate_per_cpu, cpus, bloat;
};

// What one attach/update asks for.  Directions not mentioned stay as they are.
struct ShapingChange {
    enum class Op { keep, set, remove };
    Op egress = Op::keep, ingress = Op::keep;
    Limit egress_limit, ingress_limit;
    std::optional<Bloat> bloat;
    bool empty() const { return egress == Op::keep && ingress == Op::keep && !bloat; }
    Shaping apply_to(const Shaping& current) const;
};

// Error(usage) for combinations (ceil without rate, burst without ceil, --cpus
// without --rate-per-cpu, clamps without a rate), Error(bad_value) for values
// (units, zero, negative, ceil below rate, max below min, unknown leaf).
ShapingChange parse_shaping(const ShapingOptions& opt);

// The HTB class for a limit: burst = the given one or max(1 ms at the rate,
// 1600 B); cburst likewise at the ceil; quantum = rate/10 within 2000..200000
// bytes (HTB's sane range, no kernel warnings).
nl::HtbClass htb_class_for(const Limit& l);
uint64_t default_burst(uint64_t rate);

}  // namespace pm::tc
