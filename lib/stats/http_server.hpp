// `pm-stats --listen`: GET /monitor/statistics (Mesos JSON) and GET /metrics
// (Prometheus text) from live data, on cpp-httplib's thread pool.
#pragma once
#include <functional>

#include "stats/collect.hpp"
#include "stats/http_route.hpp"

namespace pm::stats {

// Serves until SIGINT or SIGTERM, then returns.  Concurrent scrapes share one
// collection pass: a request is answered from a pass that started after it
// arrived (always live data), and passes never overlap.
// Error(failure) when the address cannot be bound.
void serve(const ListenAddress& address, const std::function<Collection()>& collect_pass);

}  // namespace pm::stats
