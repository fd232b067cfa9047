#include "shaping_options.hpp"

#include <string>

void add_shaping_options(CLI::App& sub, pm::tc::ShapingOptions& opt, bool is_update) {
    const char* g = "Shaping";
    for (auto [dir, d, where] : {std::tuple{"egress", &opt.egress, "container -> network, on the container's eth0"},
                                 std::tuple{"ingress", &opt.ingress, "network -> container, on the host veth"}}) {
        const std::string p = std::string("--") + dir;
        sub.add_option(p + "-rate", d->rate,
                       std::string("limit ") + where + (is_update ? "; 'none' removes the limit" : "; 'none' = no limit"))
            ->type_name("RATE")
            ->group(g);
        sub.add_option(p + "-ceil", d->ceil, "HTB ceil (>= the rate)")->type_name("RATE")->group(g);
        sub.add_option(p + "-burst", d->burst, "bytes allowed at line speed after idle (needs the ceil)")
            ->type_name("SIZE")
            ->group(g);
    }
    sub.add_option("--rate-per-cpu", opt.rate_per_cpu, "rate = RATE x floor(--cpus) for directions without their own rate")
        ->type_name("RATE")
        ->group(g);
    sub.add_option("--cpus", opt.cpus, "the container's CPUs, for --rate-per-cpu")->type_name("N")->group(g);
    sub.add_option("--min-rate", opt.min_rate, "raise rates below this (default 1mbit)")->type_name("RATE")->group(g);
    sub.add_option("--max-rate", opt.max_rate, "lower rates above this")->type_name("RATE")->group(g);
    sub.add_option("--bloat-reduction", opt.bloat,
                   is_update ? "leaf under the shaper: fq_codel or none (default: as attached)"
                             : "leaf under the shaper: fq_codel (default) or none")
        ->type_name("LEAF")
        ->group(g);
}
