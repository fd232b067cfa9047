#include "rlimit/render.hpp"

#include "rlimit/value.hpp"

namespace pm::rlimit {
namespace {

Json pair_json(const Pair& p) { return Json{{"soft", value_json(p.soft)}, {"hard", value_json(p.hard)}}; }

std::string pair_text(const Json& p) {
    if (!p.is_object()) return "-";
    return format_cell(p.at("soft")) + ":" + format_cell(p.at("hard"));
}

}  // namespace

Table plan_table(const std::vector<PlanEntry>& plan) {
    Table table({
        {"resource", "RESOURCE"},
        {"current", "CURRENT", false, pair_text},
        {"new", "NEW", false, pair_text},
        {"unit", "UNIT"},
        {"source", "SOURCE"},
    });
    for (const auto& entry : plan) {
        table.add_row(Json{{"resource", std::string(entry.limit->name)},
                           {"unit", std::string(entry.limit->unit)},
                           {"current", pair_json(entry.current)},
                           {"new", pair_json(entry.wanted)},
                           {"source", entry.source},
                           {"warnings", entry.warnings}});
    }
    return table;
}

}  // namespace pm::rlimit
