#include "stats/shaping_elements.hpp"

#include <linux/pkt_sched.h>

namespace pm::stats {

std::vector<TcElement> shaping_elements(const std::vector<QdiscSample>& qdiscs, const std::string& prefix) {
    std::vector<TcElement> out;
    const QdiscSample* root = nullptr;
    for (const auto& q : qdiscs)
        if (q.parent == TC_H_ROOT && q.kind == "htb") root = &q;
    if (!root) return out;
    TcElement bw = root->counters;
    bw.id = prefix + "bw_limit";
    out.push_back(std::move(bw));
    const uint32_t leaf_parent = TC_H_MAKE(TC_H_MAJ(root->handle), 1);
    for (const auto& q : qdiscs) {
        if (q.parent == leaf_parent && q.kind == "fq_codel") {
            TcElement br = q.counters;
            br.id = prefix + "bloat_reduction";
            out.push_back(std::move(br));
            break;
        }
    }
    return out;
}

}  // namespace pm::stats
