// The JSON type used everywhere: insertion-ordered, so files and --json output
// keep the order the code writes keys in.
#pragma once
#include <nlohmann/json.hpp>

namespace pm {
using Json = nlohmann::ordered_json;
}
