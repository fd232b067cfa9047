// /proc/net/snmp of the current thread's network namespace: the Ip, Icmp, Tcp
// and Udp sections (as Mesos reports them), kernel field names kept.
#pragma once
#include <string_view>
#include <vector>

#include "stats/model.hpp"

namespace pm::stats {

// Parses the alternating "Proto: names..." / "Proto: values..." lines.
// Other sections (IcmpMsg, UdpLite) are ignored.  Error(failure) on a line
// that does not fit the format, naming the line.
std::vector<SnmpSection> parse_snmp(std::string_view text);

// Reads /proc/thread-self/net/snmp: the namespace of this thread, which is the
// one setns() entered (/proc/self/net would follow the thread-group leader).
std::vector<SnmpSection> read_snmp();

}  // namespace pm::stats
