// Waiting for the kernel to remove a link on its own, and asking whether a
// peer network namespace is still alive: what an asynchronous teardown needs
// (the kernel deletes a dying namespace's veth pairs in its cleanup work).
#pragma once
#include <functional>

#include "nl/socket.hpp"

namespace pm::nl {

// Whether the namespace that the caller's network namespace knows as
// `netnsid` is still alive.  A namespace whose last reference is gone can no
// longer be reached by its id (the kernel answers EINVAL), although the id
// stays assigned until the namespace's cleanup has run: so false means "gone
// or being dismantled".
bool netns_alive(int netnsid);

// Whether link `ifindex` no longer exists in `query`'s namespace.  A device in
// the middle of its unregistration may fail to be described (seen as "invalid
// input"): that is not gone yet.
bool link_gone(Socket& query, int ifindex);

// A netlink socket subscribed to link events, to wait for a link to go away
// without polling.  Create it before the
// action that makes it go, so that no event can be missed.
class LinkWatch {
public:
    LinkWatch();
    // Waits until link `ifindex` no longer exists in `query`'s namespace (the
    // watch's own namespace); false on timeout.
    bool wait_gone(Socket& query, int ifindex, double timeout_seconds);
    // Waits until done() is true, asking again after every link event and
    // whenever `also_fd` (when >= 0) becomes readable; false on timeout.
    bool wait_until(const std::function<bool()>& done, double timeout_seconds, int also_fd = -1);

private:
    Socket events_;
};

}  // namespace pm::nl
