#include "core/error.hpp"

#include <cerrno>
#include <cstring>

namespace pm {

Error system_error(const std::string& what, int err, Exit code) {
    if (err == EPERM || err == EACCES) code = Exit::permission;
    return Error(code, what + ": " + std::strerror(err));
}

}  // namespace pm
