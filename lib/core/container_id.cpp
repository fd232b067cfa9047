#include "core/container_id.hpp"

#include <cctype>

#include "core/error.hpp"

namespace pm {

bool is_valid_container_id(std::string_view id) {
    if (id.empty() || id.size() > 64 || id == "." || id == "..") return false;
    if (!std::isalnum(static_cast<unsigned char>(id[0]))) return false;
    for (char c : id) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') return false;
    }
    return true;
}

const std::string& validate_container_id(const std::string& id) {
    if (!is_valid_container_id(id))
        throw Error(Exit::bad_value, "invalid container ID '" + id +
                                         "': use 1-64 characters from [A-Za-z0-9_.-], starting with a letter or digit");
    return id;
}

}  // namespace pm
