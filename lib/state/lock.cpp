#include "state/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <time.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "core/error.hpp"

namespace pm {

StateLock::StateLock(const std::filesystem::path& lock_file, double wait_seconds)
    : StateLock(lock_file, wait_seconds, LockMode::exclusive) {}

StateLock::StateLock(const std::filesystem::path& lock_file, double wait_seconds, LockMode mode) {
    const bool shared = mode == LockMode::shared;
    fd_.reset(shared ? ::open(lock_file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
                     : ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (!fd_.valid()) {
        if (shared && errno == ENOENT) return;
        throw system_error("cannot open lock file " + lock_file.string(), errno);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(wait_seconds);
    auto pause = std::chrono::microseconds(200);
    for (;;) {
        if (::flock(fd_.get(), (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) == 0) return;
        if (errno == EINTR) continue;
        if (errno != EWOULDBLOCK) throw system_error("cannot lock " + lock_file.string(), errno);
        if (std::chrono::steady_clock::now() >= deadline)
            throw Error(Exit::temporary, "state lock " + lock_file.string() + " is busy (held by another pm-* command; retry or raise --wait)");
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::microseconds(2000));
    }
}

}  // namespace pm
