// Read-only views: `list`, `show`, `path`, `status`.  Each builds JSON once;
// the CLI renders it as text or --json through lib/output.
#pragma once
#include <string>

#include "core/json.hpp"
#include "output/table.hpp"
#include "state/state_dir.hpp"

namespace pm::netns {

// One row per container with a netns record (rows hold the whole record).
Table list_table(const StateDir& state);

// The record plus live facts: handle mounted, veth present, processes inside.
// Error(not_found) when ID has no namespace.
Json show_json(const StateDir& state, const std::string& id);
// The same, flattened for "key: value" text.
Json show_text_view(const Json& shown);

// The handle path for nsenter --net= (Error(not_found) when ID has none).
std::string handle_path(const StateDir& state, const std::string& id);

// Host-wide settings: wanted vs current, from netns-host.json or, before any
// create, for the interfaces create would pick.
Json status_json(const StateDir& state);
Table status_table(const Json& status);
Json status_summary(const Json& status);  // the non-table part, for text output

}  // namespace pm::netns
