#include "rlimit/limits.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "core/error.hpp"

// Linux-specific limits may be missing elsewhere; keep them in the table and
// report "not supported" instead of failing to build (as Mesos does).
#ifndef RLIMIT_LOCKS
#define RLIMIT_LOCKS -1
#endif
#ifndef RLIMIT_MSGQUEUE
#define RLIMIT_MSGQUEUE -1
#endif
#ifndef RLIMIT_NICE
#define RLIMIT_NICE -1
#endif
#ifndef RLIMIT_RTPRIO
#define RLIMIT_RTPRIO -1
#endif
#ifndef RLIMIT_RTTIME
#define RLIMIT_RTTIME -1
#endif
#ifndef RLIMIT_SIGPENDING
#define RLIMIT_SIGPENDING -1
#endif

namespace pm::rlimit {
namespace {

// Resource numbers differ between architectures: always the macros, never numbers.
const std::array<LimitInfo, 16> kLimits = {{
    {"as", RLIMIT_AS, Kind::bytes, "bytes", "address space (virtual memory)"},
    {"core", RLIMIT_CORE, Kind::bytes, "bytes", "core file size; 0 disables core dumps"},
    {"cpu", RLIMIT_CPU, Kind::seconds, "seconds", "CPU time: SIGXCPU at soft, SIGKILL at hard"},
    {"data", RLIMIT_DATA, Kind::bytes, "bytes", "data segment (heap and private writable mappings)"},
    {"fsize", RLIMIT_FSIZE, Kind::bytes, "bytes", "size of a file written: SIGXFSZ beyond it"},
    {"locks", RLIMIT_LOCKS, Kind::count, "locks", "file locks (ignored by the kernel since 2.4.25)", true, false},
    {"memlock", RLIMIT_MEMLOCK, Kind::bytes, "bytes", "memory locked into RAM"},
    {"msgqueue", RLIMIT_MSGQUEUE, Kind::bytes, "bytes", "POSIX message queue bytes (per real user)", false, true},
    {"nice", RLIMIT_NICE, Kind::nice, "raw 0..40", "nice ceiling: 20 - value"},
    {"nofile", RLIMIT_NOFILE, Kind::count, "files", "open files (highest descriptor + 1)"},
    {"nproc", RLIMIT_NPROC, Kind::count, "processes", "processes/threads (per real user)", false, true},
    {"rss", RLIMIT_RSS, Kind::bytes, "bytes", "resident set (ignored by the kernel)", true, false},
    {"rtprio", RLIMIT_RTPRIO, Kind::priority, "priority", "real-time priority ceiling (0..99)"},
    {"rttime", RLIMIT_RTTIME, Kind::microseconds, "us", "real-time CPU time without blocking"},
    {"sigpending", RLIMIT_SIGPENDING, Kind::count, "signals", "queued signals (per real user)", false, true},
    {"stack", RLIMIT_STACK, Kind::bytes, "bytes", "main thread stack (1/4 of it for argv + environment)"},
}};

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

const LimitInfo* find_exact(std::string_view lower_name) {
    for (const auto& limit : kLimits)
        if (limit.name == lower_name) return &limit;
    return nullptr;
}

size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

std::span<const LimitInfo> all_limits() { return kLimits; }

const LimitInfo* find_limit(std::string_view name) {
    std::string key = lower(name);
    for (std::string_view prefix : {"rlimit_", "rlmt_", "limit"}) {
        if (key.size() > prefix.size() && key.starts_with(prefix)) {
            if (auto* found = find_exact(std::string_view(key).substr(prefix.size()))) return found;
        }
    }
    return find_exact(key);
}

const LimitInfo* find_mesos_type(std::string_view type) {
    if (!type.starts_with("RLMT_") || upper(type) != type) return nullptr;
    return find_exact(lower(type.substr(5)));
}

const LimitInfo* find_oci_type(std::string_view type) {
    if (!type.starts_with("RLIMIT_") || upper(type) != type) return nullptr;
    return find_exact(lower(type.substr(7)));
}

std::optional<std::string_view> suggest_limit(std::string_view name) {
    std::string key = lower(name);
    for (std::string_view prefix : {"rlimit_", "rlmt_", "limit"})
        if (key.size() > prefix.size() && key.starts_with(prefix)) key.erase(0, prefix.size());
    const LimitInfo* best = nullptr;
    size_t best_distance = 3;  // farther than 2 edits is no longer a typo
    for (const auto& limit : kLimits) {
        size_t d = edit_distance(key, limit.name);
        if (d < best_distance) best_distance = d, best = &limit;
    }
    if (!best) return std::nullopt;
    return best->name;
}

std::string limit_names() {
    std::string out;
    for (const auto& limit : kLimits) out += (out.empty() ? "" : ", ") + std::string(limit.name);
    return out;
}

std::string oci_type(const LimitInfo& limit) { return "RLIMIT_" + upper(limit.name); }
std::string mesos_type(const LimitInfo& limit) { return "RLMT_" + upper(limit.name); }

void require_supported(const LimitInfo& limit) {
    if (limit.resource < 0) throw Error(Exit::bad_value, std::string(limit.name) + " is not supported on this platform");
}

}  // namespace pm::rlimit
