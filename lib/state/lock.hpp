// The state lock: flock(2) on STATE/lock, held for every read-modify-write of
// shared state.  Shell users compose with `flock STATE/lock CMD`.
#pragma once
#include <filesystem>

#include "core/unique_fd.hpp"

namespace pm {

class StateLock {
public:
    // Waits up to `wait_seconds` (0 = try once) for an exclusive lock;
    // Error(temporary) when it stays busy.  The state dir must exist.
    StateLock(const std::filesystem::path& lock_file, double wait_seconds);
    StateLock(StateLock&&) = default;
    StateLock& operator=(StateLock&&) = default;

private:
    UniqueFd fd_;  // closing the fd releases the lock, also on kill -9
};

inline constexpr double kDefaultLockWaitSeconds = 30.0;

}  // namespace pm
