// One netlink request and its answer, without a libnl cache: the kernel looks
// up the one object asked for, where a cache would dump every object of its
// kind (every link, every qdisc on the host) and parse them all.
#pragma once
#include <netlink/handlers.h>
#include <netlink/msg.h>

#include "nl/socket.hpp"

#include <memory>

namespace pm::nl {

struct MsgFree {
    void operator()(nl_msg* msg) const { if (msg) nlmsg_free(msg); }
};
using Msg = std::unique_ptr<nl_msg, MsgFree>;

// Sends `msg` and hands every message of the answer to `on_message`
// (return NL_OK).  For a single get (`dump` false) the ACK that follows an
// answer is read too.  0, or libnl's negative error (e.g. -NLE_NODEV,
// -NLE_OBJ_NOTFOUND when the kernel refused with ENODEV/ENOENT).
int exchange(Socket& sock, nl_msg* msg, bool dump, nl_recvmsg_msg_cb_t on_message, void* arg);

}  // namespace pm::nl
