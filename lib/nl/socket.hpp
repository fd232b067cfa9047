// RAII over libnl: a connected NETLINK_ROUTE socket, owning pointers for
// libnl objects and caches, and libnl error codes turned into pm::Error.
#pragma once
#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/object.h>

#include <memory>
#include <string>

#include "core/error.hpp"

namespace pm::nl {

struct ObjectPut {
    void operator()(void* object) const { if (object) nl_object_put(static_cast<nl_object*>(object)); }
};
// Owns one reference of any libnl object (rtnl_link, rtnl_addr, rtnl_qdisc, ...).
template <typename T>
using Object = std::unique_ptr<T, ObjectPut>;

struct CacheFree {
    void operator()(nl_cache* cache) const { if (cache) nl_cache_free(cache); }
};
using Cache = std::unique_ptr<nl_cache, CacheFree>;

// Error for a negative libnl return: "what: <nl_geterror>".  Permission errors
// map to Exit::permission; everything else to `code`.
Error error(const std::string& what, int nl_err, Exit code = Exit::failure);
// Throws error(what, rc) when rc < 0; returns rc otherwise.
int check(int rc, const std::string& what);

class Socket {
public:
    // Connects a NETLINK_ROUTE socket in the caller's current network namespace.
    Socket();
    ~Socket();
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    nl_sock* get() const { return sock_; }

private:
    nl_sock* sock_ = nullptr;
};

}  // namespace pm::nl
