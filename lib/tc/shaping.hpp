// Shaping in the kernel (pm-tc attach/update/detach/show): per direction a
// root HTB 1: with `default 1` (nothing bypasses the shaper) -> class 1:1
// with the limit -> an fq_codel leaf 2: (the bloat reduction), or HTB's own
// default leaf with --bloat-reduction=none.  Egress lives on the container's
// eth0, ingress on the host veth (its transmit side is the container's
// receive side).  Statistics call the HTB `bw_limit` and the leaf
// `bloat_reduction` (`ingress_` in front for the veth).
#pragma once
#include <cstdint>
#include <string>

#include "core/json.hpp"
#include "core/undo.hpp"
#include "nl/socket.hpp"
#include "tc/apply.hpp"
#include "tc/rate_config.hpp"
#include "tc/records.hpp"

namespace pm::tc {

inline constexpr uint32_t kShaperHandle = 0x10000;  // 1:
inline constexpr uint32_t kShaperClass = 0x10001;   // 1:1
inline constexpr uint32_t kShaperLeaf = 0x20000;    // 2:

// One direction's device.
struct ShapePlace {
    nl::Socket* sock = nullptr;
    int ifindex = 0;
    std::string what;  // "container eth0", "veth pm1234" for messages
};

// Error(unsupported) naming sch_fq_codel, before anything is changed, when
// `want` needs fq_codel and the kernel has none.
void require_kernel_support(const Shaping& want);

// Brings one direction from `old` to `now` (either may be absent) in place:
// the class is changed, not recreated, so queued packets and open
// connections stay; the leaf is replaced only when its kind changes.  A root
// qdisc pm-tc did not make is Error(conflict), never replaced.  Every change
// is pushed onto `undo`.
void apply_direction(const ShapePlace& place, const std::optional<Limit>& old, Bloat old_bloat,
                     const std::optional<Limit>& now, Bloat now_bloat, UndoStack& undo);

// attach/update: every direction whose limit or leaf differs, on the
// container's eth0 (devs' c_eth0) and the host veth.  Egress first.
void apply_shaping(const Devices& devs, const Shaping& old, const Shaping& now, UndoStack& undo);

// What tc.json records while a change is in flight: `now`, plus any
// direction only `old` has, so a crash leaves every shaper listed.
Shaping covering(const Shaping& old, const Shaping& now);

// detach: removes the shaper from a recorded device if it is still that
// device (name and ifindex match); false when nothing was there.
bool remove_recorded_shaper(nl::Socket& sock, const DevRef& dev, const std::string& what);

// Removes pm-tc's root HTB (with its class and leaf) from the place; false
// when there is none.  A root qdisc of another kind is left alone.
bool remove_shaper(nl::Socket& sock, int ifindex, const std::string& what);

// Shaping part of `pm-tc show`: per shaped direction its device, limits and
// the counters of its qdiscs as the kernel reports them ({"bw_limit": {...},
// "bloat_reduction": {...}}); null counters when the qdisc is missing.
Json shaping_status(const Shaping& s, nl::Socket* egress_sock, int egress_ifindex, const std::string& egress_dev,
                    nl::Socket* ingress_sock, int ingress_ifindex, const std::string& ingress_dev);
// Human table of the "shaping" parts of show()'s containers ("" when none).
std::string shaping_text(const Json& containers, bool with_id);

}  // namespace pm::tc
