// The state lock: flock(2) on STATE/lock, held for every read-modify-write of
// shared state.  Shell users compose with `flock STATE/lock CMD`.
#pragma once
#include <filesystem>

#include "core/unique_fd.hpp"

namespace pm {

enum class LockMode {
    exclusive,  // writers: opens (creating) the lock file read-write
    shared,     // readers wanting a consistent snapshot of several files; opens it
                // read-only so unprivileged users can read.  A missing lock file
                // means nothing was ever written under it: no lock is taken then.
};

class StateLock {
public:
    // Waits up to `wait_seconds` (0 = try once) for an exclusive lock;
    // Error(temporary) when it stays busy.  The state dir must exist.
    StateLock(const std::filesystem::path& lock_file, double wait_seconds);
    StateLock(const std::filesystem::path& lock_file, double wait_seconds, LockMode mode);
    StateLock(StateLock&&) = default;
    StateLock& operator=(StateLock&&) = default;

private:
    UniqueFd fd_;  // closing the fd releases the lock, also on kill -9
};

inline constexpr double kDefaultLockWaitSeconds = 30.0;

}  // namespace pm
