// pm-tc show: every filter of a container with the packet/byte counters of its
// action, read from the kernel, so an admin can see where packets went.
#pragma once
#include <optional>
#include <string>

#include "core/json.hpp"
#include "state/state_dir.hpp"

namespace pm::tc {

// One object per container: {"id","state","host_veth","netns","blocks","filters":[...]}.
// With `id`, just that container (Error(not_found) when not attached); else all.
Json show(const StateDir& state, const std::optional<std::string>& id);
// Human form of show()'s result: one aligned table (an ID column when several).
std::string show_text(const Json& containers, bool with_id);

}  // namespace pm::tc
