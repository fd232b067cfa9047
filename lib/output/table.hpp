// One output layer for human and --json output (as iproute2 does): callers
// build rows as JSON objects once; emit() renders either aligned columns or
// one JSON document.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "core/json.hpp"

namespace pm {

struct Column {
    std::string key;     // JSON key of the row object
    std::string header;  // human header, upper case by convention
    bool right_align = false;
    // Human rendering of the cell; default: strings raw, null "-", numbers and
    // booleans as JSON, arrays/objects compact JSON.
    std::function<std::string(const Json&)> format = nullptr;
};

class Table {
public:
    explicit Table(std::vector<Column> columns) : columns_(std::move(columns)) {}
    void add_row(Json row) { rows_.push_back(std::move(row)); }
    bool empty() const { return rows_.empty(); }

    Json to_json() const;         // array of the row objects (all their keys)
    std::string to_text() const;  // header + aligned rows, trailing newline

private:
    std::vector<Column> columns_;
    std::vector<Json> rows_;
};

std::string format_cell(const Json& value);
// "key: value" lines, keys aligned, for one object (e.g. `show ID`).
std::string record_to_text(const Json& record);

// Write to stdout: the JSON document (pretty) or the human text.
void emit(const Table& table, bool json);
void emit(const Json& record, bool json);
void emit_json(const Json& document);

}  // namespace pm
