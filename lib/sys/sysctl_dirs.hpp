// /proc/sys keys read and written through directory fds kept open, one per
// directory.  Every network namespace has its own net/ipv4, net/core and
// net/ipv6 dentries, all under the one /proc/sys/net under the same names, so
// looking one up walks those of every namespace on the host whose sysctls were
// ever used (~20 us on a host with two hundred).  Keys are opened from their
// directory's fd, and deeper directories (net/ipv4/conf/lo) from their
// net/X's: a create's ~40 keys pay that walk once per net/X per Dirs.
// Valid only in the network namespace it was made in: make one after entering.
#pragma once
#include <map>
#include <optional>
#include <string>

#include "core/unique_fd.hpp"

namespace pm::sysctl {

class Dirs {
public:
    // As sysctl::read: trimmed value, nullopt when the key does not exist.
    std::optional<std::string> read(const std::string& proc_path);
    // Writes `value`; false when the key is missing or not writable here (some
    // keys exist only in the initial namespace), an error otherwise.
    bool write_if_present(const std::string& proc_path, const std::string& value);

private:
    // The fd of proc_path's directory (-1 when it does not exist) and its last component.
    std::pair<int, std::string> locate(const std::string& proc_path);
    // The fd of directory `dir` (-1 when missing), opened once.
    int dir_fd(const std::string& dir);
    std::map<std::string, UniqueFd> dirs_;
};

}  // namespace pm::sysctl
