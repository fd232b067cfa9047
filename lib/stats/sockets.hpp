// TCP socket counts and RTT percentiles of the current thread's network
// namespace, from one inet_diag dump per address family (no /proc parsing,
// no helper process).
#pragma once
#include "stats/model.hpp"

namespace pm::stats {

// Error(failure) when the dump fails.
SocketSummary tcp_socket_summary();

}  // namespace pm::stats
