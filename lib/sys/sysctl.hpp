// sysctl through /proc/sys (never the sysctl binary).  /proc/sys/net follows
// the caller's network namespace, so call these after entering the right one.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace pm::sysctl {

// "net.ipv4.ip_local_port_range" -> "/proc/sys/net/ipv4/ip_local_port_range".
// Keys whose components hold dots (interface names) use path(): {"net","ipv4","conf","eth0.5","rp_filter"}.
std::string path(const std::string& dotted_key);
std::string path(const std::vector<std::string>& components);

// Value with surrounding whitespace trimmed; nullopt when the key does not exist.
std::optional<std::string> read(const std::string& proc_path);
// The same for `name` under the directory fd `dir` (AT_FDCWD: a path);
// `proc_path` names the key in messages.
std::optional<std::string> read_at(int dir, const char* name, const std::string& proc_path);
// Error(unsupported) when the key does not exist; Error(permission/failure) otherwise.
void write(const std::string& proc_path, const std::string& value);
// Write only when different (compares whitespace-normalized values); true if changed.
bool ensure(const std::string& proc_path, const std::string& value);
bool exists(const std::string& proc_path);

// Whitespace runs collapsed to one space ("32768\t60999" -> "32768 60999").
std::string normalize(const std::string& value);

}  // namespace pm::sysctl
