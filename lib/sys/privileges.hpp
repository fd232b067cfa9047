// Capability checks done before any change, so a missing privilege is exit 77
// with a message instead of a half-applied EPERM.
#pragma once
#include <string>

namespace pm {

// True when the effective capability set holds `cap` (a CAP_* value).
bool has_capability(int cap);
// Error(permission) "needs CAP_X (run as root): why" when missing.
void require_capability(int cap, const std::string& cap_name, const std::string& why);

}  // namespace pm
