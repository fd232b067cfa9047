// /proc/sys keys read and written through directory fds kept open, one per
// directory.  Every network namespace has its own /proc/sys/net dentries under
// the same names, so looking up a path such as net/ipv4 walks those of every
// namespace on the host (~10 us each on a host with a hundred): a create's
// ~40 keys pay that once per directory instead of once per key.
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
    std::map<std::string, UniqueFd> dirs_;
};

}  // namespace pm::sysctl
