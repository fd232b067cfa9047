// The whole pm-stats command line, shared by the two programs that run it:
// `pm-stats` itself and its --listen server (libexec/portmap/pm-stats-listen).
// They differ only in what --listen does, so the HTTP library is linked into
// the server alone and the plain path never loads it (start-up cost).
#pragma once
#include <functional>

#include "stats/collect.hpp"
#include "stats/http_route.hpp"

namespace pm::stats {

// Called for --listen after every option, the capability and the named IDs
// were checked; `collect_pass` reads live data.  Serves until stopped.
using Listener = std::function<void(const ListenAddress& address, const std::function<Collection()>& collect_pass)>;

// main() of both programs: parse, run, map errors to the exit status.
int stats_main(int argc, char** argv, const Listener& listen);

}  // namespace pm::stats
