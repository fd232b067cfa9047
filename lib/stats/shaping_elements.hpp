// Which qdiscs of a link are Mesos's shaping elements: the root HTB is the
// bandwidth limit, an fq_codel under its class 1:1 (major of the root) the
// bloat reduction.  Anything else on the link is not reported.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "stats/model.hpp"

namespace pm::stats {

struct QdiscSample {
    uint32_t handle = 0, parent = 0;
    std::string kind;
    TcElement counters;  // id left empty; filled by shaping_elements()
};

// `prefix` is "" for the container's eth0 and "ingress_" for the host veth.
std::vector<TcElement> shaping_elements(const std::vector<QdiscSample>& link_qdiscs, const std::string& prefix);

}  // namespace pm::stats
