// Container IDs: [A-Za-z0-9][A-Za-z0-9_.-]{0,63}, never "." or "..".
#pragma once
#include <string>
#include <string_view>

namespace pm {

bool is_valid_container_id(std::string_view id);
// Throws Error(bad_value) naming the rule when `id` is not valid; returns it otherwise.
const std::string& validate_container_id(const std::string& id);

}  // namespace pm
