// Helpers every state record's (de)serialisation shares: typed key access that
// reports a missing or mistyped key as bad_value, and loading a record file
// with "corrupt state file PATH: why" as the one error.
#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "core/json.hpp"
#include "state/json_file.hpp"

namespace pm {

template <typename T>
T json_get(const Json& j, const char* key) {
    if (!j.is_object() || !j.contains(key)) throw Error(Exit::bad_value, std::string("missing key '") + key + "'");
    try {
        return j.at(key).get<T>();
    } catch (const nlohmann::json::exception&) {
        throw Error(Exit::bad_value, std::string("key '") + key + "' has the wrong type");
    }
}

// nullopt when the file does not exist; Record::from_json failures become
// bad_value.  `opened`: as in read_json_file.
template <typename Record>
std::optional<Record> load_record(const std::filesystem::path& path, UniqueFd& opened) {
    auto j = read_json_file(path, opened);
    if (!j) return std::nullopt;
    try {
        return Record::from_json(*j);
    } catch (const std::exception& e) {
        throw Error(Exit::bad_value, "corrupt state file " + path.string() + ": " + e.what());
    }
}
template <typename Record>
std::optional<Record> load_record(const std::filesystem::path& path) {
    UniqueFd unused;
    return load_record<Record>(path, unused);
}

}  // namespace pm
