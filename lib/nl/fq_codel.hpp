// fq_codel qdiscs (the bloat-reduction leaf under a shaper, the unique-flow
// qdisc on host eth0) and a side-effect-free check that the kernel has them.
#pragma once
#include <cstdint>
#include <string>

#include "nl/socket.hpp"

namespace pm::nl {

inline constexpr const char* kFqCodelModule = "sch_fq_codel";

// Adds an fq_codel qdisc with `handle` (0 = kernel's choice) at `parent`
// (TC_H_ROOT or a class) of `ifindex`, with the kernel's default parameters
// (limit 10240p, 1024 flows, target 5 ms, interval 100 ms, ECN).  With
// `replace`, a qdisc already at `parent` is replaced (NLM_F_REPLACE);
// otherwise an existing one is an error.  Error(unsupported) naming
// sch_fq_codel when the kernel lacks it; `what` names the link in errors.
// `flows` > 0 sets the number of flow buckets (the unique-flow qdisc).
void add_fq_codel(Socket& sock, int ifindex, uint32_t parent, uint32_t handle, const std::string& what,
                  bool replace = false, int flows = 0);

// True when the kernel can create fq_codel qdiscs.  Tried once per process on
// the loopback of a throwaway network namespace in a short-lived child
// process, so no interface the user can see is touched (the kernel may load
// the module on demand, exactly as a real add would).  When the probe itself
// cannot run (no CAP_SYS_ADMIN for unshare), it answers true and the real
// add reports the error.
bool fq_codel_available();

// Error(unsupported) "the kernel has no fq_codel qdisc (module sch_fq_codel)"
// + `hint` unless fq_codel_available().
void require_fq_codel(const std::string& hint);

}  // namespace pm::nl
