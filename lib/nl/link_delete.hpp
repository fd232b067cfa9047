// Deleting a link without sitting out the kernel's tail.  The kernel unlists a
// deleted link at once (gone from dumps, its name free, its qdiscs and filters
// dropped), then waits for an RCU barrier (~15 ms, more on a busy host) before
// it answers the request.  A child process sends the request and sits that
// out; the caller returns as soon as the link is unlisted.
#pragma once
#include <string>

#include "nl/socket.hpp"

namespace pm::nl {

// Deletes link `ifindex` (named `name`, for messages) of the caller's network
// namespace, which `query` is a socket of.  Returns false when it was already
// gone; throws when the kernel refuses or the link is still listed after
// `timeout_seconds`.
bool delete_link_unlisted(Socket& query, int ifindex, const std::string& name, double timeout_seconds);

}  // namespace pm::nl
