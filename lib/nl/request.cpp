#include "nl/request.hpp"

#include <memory>

#include <netlink/errno.h>

namespace pm::nl {
namespace {

struct CbPut {
    void operator()(nl_cb* cb) const { if (cb) nl_cb_put(cb); }
};

struct Counted {
    nl_recvmsg_msg_cb_t fn;
    void* arg;
    int messages = 0;
};

int counted(nl_msg* msg, void* arg) {
    auto* c = static_cast<Counted*>(arg);
    ++c->messages;
    return c->fn(msg, c->arg);
}

}  // namespace

int exchange(Socket& sock, nl_msg* msg, bool dump, nl_recvmsg_msg_cb_t on_message, void* arg) {
    if (int rc = nl_send_auto(sock.get(), msg); rc < 0) return rc;
    std::unique_ptr<nl_cb, CbPut> cb(nl_cb_clone(nl_socket_get_cb(sock.get())));
    if (!cb) return -NLE_NOMEM;
    Counted c{on_message, arg};
    nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, counted, &c);
    if (int rc = nl_recvmsgs(sock.get(), cb.get()); rc < 0) return rc;
    // A single get is answered by the object and then an ACK (or only by an
    // error); a dump ends with DONE.
    if (!dump && c.messages > 0) return nl_wait_for_ack(sock.get());
    return 0;
}

}  // namespace pm::nl
