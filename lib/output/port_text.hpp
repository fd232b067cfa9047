// Human rendering of port ranges found in JSON documents: {"begin":a,"end":b}
// -> "a-b", [{"begin":..},..] -> "a-b,c" ("-" when empty).  For Column::format
// and for `show`-style records, whose --json form keeps the structured ranges.
#pragma once
#include "core/json.hpp"

namespace pm {

// True for a range object or an array of them (an empty array counts).
bool is_port_json(const Json& value);
std::string port_text(const Json& value);  // anything else: format_cell()
// `record` with every top-level port value replaced by its text.
Json with_port_text(const Json& record);

}  // namespace pm
