#include "output/table.hpp"

#include <algorithm>
#include <cstdio>

namespace pm {

std::string format_cell(const Json& value) {
    if (value.is_null()) return "-";
    if (value.is_string()) return value.get<std::string>();
    return value.dump();
}

Json Table::to_json() const {
    Json out = Json::array();
    for (const auto& row : rows_) out.push_back(row);
    return out;
}

std::string Table::to_text() const {
    std::vector<std::vector<std::string>> cells;
    std::vector<size_t> width(columns_.size());
    for (size_t c = 0; c < columns_.size(); ++c) width[c] = columns_[c].header.size();
    for (const auto& row : rows_) {
        auto& line = cells.emplace_back();
        for (size_t c = 0; c < columns_.size(); ++c) {
            const auto& col = columns_[c];
            Json value = row.contains(col.key) ? row.at(col.key) : Json();
            line.push_back(col.format ? col.format(value) : format_cell(value));
            width[c] = std::max(width[c], line.back().size());
        }
    }
    auto render = [&](const std::vector<std::string>& line) {
        std::string out;
        for (size_t c = 0; c < line.size(); ++c) {
            bool last = c + 1 == line.size();
            std::string pad(width[c] - line[c].size(), ' ');
            if (columns_[c].right_align)
                out += pad + line[c];
            else
                out += line[c] + (last ? "" : pad);
            if (!last) out += "  ";
        }
        return out + "\n";
    };
    std::vector<std::string> header;
    for (const auto& col : columns_) header.push_back(col.header);
    std::string out = render(header);
    for (const auto& line : cells) out += render(line);
    return out;
}

std::string record_to_text(const Json& record) {
    size_t width = 0;
    for (auto it = record.begin(); it != record.end(); ++it) width = std::max(width, it.key().size());
    std::string out;
    for (auto it = record.begin(); it != record.end(); ++it)
        out += it.key() + ":" + std::string(width - it.key().size() + 1, ' ') + format_cell(it.value()) + "\n";
    return out;
}

static void put(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

void emit_json(const Json& document) { put(document.dump(2) + "\n"); }

void emit(const Table& table, bool json) { json ? emit_json(table.to_json()) : put(table.to_text()); }

void emit(const Json& record, bool json) { json ? emit_json(record) : put(record_to_text(record)); }

}  // namespace pm
