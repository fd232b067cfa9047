// The table of the 16 Linux resource limits: names, units, and what the
// kernel really does with each (some are ignored, some counted per user).
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace pm::rlimit {

// How a limit's value is written on the command line.
enum class Kind {
    count,         // plain number (files, processes, signals, locks)
    bytes,         // number with optional K/M/G/T/P/E suffix, base 1024
    seconds,       // CPU: number of seconds or a time with a unit
    microseconds,  // RTTIME: number of microseconds or a time with a unit
    nice,          // raw 0..40 or a +N/-N nice level
    priority,      // RTPRIO: 0..99 is meaningful
};

// Per RLIM64_INFINITY; kept here so callers need no <sys/resource.h>.
inline constexpr uint64_t kInfinity = UINT64_MAX;

struct LimitInfo {
    std::string_view name;  // lower case: "nofile"
    int resource;           // RLIMIT_NOFILE, or -1 when this platform lacks it
    Kind kind;
    std::string_view unit;  // as /proc/PID/limits and the man page say it
    std::string_view description;
    bool ignored = false;   // accepted by the kernel but without effect (LOCKS, RSS)
    bool per_user = false;  // usage counted per real UID (NPROC, SIGPENDING, MSGQUEUE)
};

// All 16, in the man page's (alphabetical) order.
std::span<const LimitInfo> all_limits();

// Accepts "nofile", "NOFILE", "RLIMIT_NOFILE", "RLMT_NOFILE" and "LimitNOFILE"
// (case-insensitive).  nullptr when unknown.
const LimitInfo* find_limit(std::string_view name);
// The exact JSON spellings: Mesos "RLMT_NOFILE", OCI "RLIMIT_NOFILE".
const LimitInfo* find_mesos_type(std::string_view type);
const LimitInfo* find_oci_type(std::string_view type);

// The closest limit name to a misspelling ("nofiles" -> "nofile"), if any is near.
std::optional<std::string_view> suggest_limit(std::string_view name);
// "as, core, cpu, ..." for error messages.
std::string limit_names();

// "RLIMIT_NOFILE" / "RLMT_NOFILE".
std::string oci_type(const LimitInfo& limit);
std::string mesos_type(const LimitInfo& limit);

// Error(bad_value) "NAME is not supported on this platform" when resource < 0.
void require_supported(const LimitInfo& limit);

}  // namespace pm::rlimit
