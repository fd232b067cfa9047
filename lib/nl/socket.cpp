#include "nl/socket.hpp"

#include <netlink/errno.h>

namespace pm::nl {

Error error(const std::string& what, int nl_err, Exit code) {
    int e = nl_err < 0 ? -nl_err : nl_err;
    if (e == NLE_PERM || e == NLE_NOACCESS) code = Exit::permission;
    return Error(code, what + ": " + nl_geterror(e));
}

int check(int rc, const std::string& what) {
    if (rc < 0) throw error(what, rc);
    return rc;
}

Socket::Socket() {
    sock_ = nl_socket_alloc();
    if (!sock_) throw Error(Exit::failure, "cannot allocate a netlink socket");
    int rc = nl_connect(sock_, NETLINK_ROUTE);
    if (rc < 0) {
        nl_socket_free(sock_);
        sock_ = nullptr;
        throw error("cannot connect a netlink socket", rc);
    }
}

Socket::~Socket() {
    if (sock_) nl_socket_free(sock_);
}

}  // namespace pm::nl
