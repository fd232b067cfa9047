#include "core/read_file.hpp"

#include <unistd.h>

#include <cerrno>

namespace pm {

bool read_whole_file(int fd, std::string& out) {
    out.clear();
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        out.append(buf, static_cast<size_t>(n));
        if (static_cast<size_t>(n) < sizeof buf) return true;
    }
}

}  // namespace pm
