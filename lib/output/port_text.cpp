#include "output/port_text.hpp"

#include "output/table.hpp"
#include "ports/port_set.hpp"

namespace pm {
namespace {

bool is_range(const Json& v) {
    return v.is_object() && v.size() == 2 && v.contains("begin") && v.contains("end") && v["begin"].is_number_integer() &&
           v["end"].is_number_integer() && v["begin"].get<int64_t>() > 0 && v["end"].get<int64_t>() <= 65535;
}

}  // namespace

bool is_port_json(const Json& value) {
    if (is_range(value)) return true;
    if (!value.is_array()) return false;
    for (const auto& item : value)
        if (!is_range(item)) return false;
    return true;
}

std::string port_text(const Json& value) {
    if (!is_port_json(value)) return format_cell(value);
    PortSet set;
    for (const auto& r : value.is_array() ? value : Json::array({value}))
        set.add({r["begin"].get<uint32_t>(), r["end"].get<uint32_t>()});
    return set.empty() ? "-" : set.to_string();
}

Json with_port_text(const Json& record) {
    Json out = record;
    for (auto it = out.begin(); it != out.end(); ++it)
        if (is_port_json(it.value())) it.value() = port_text(it.value());
    return out;
}

}  // namespace pm
