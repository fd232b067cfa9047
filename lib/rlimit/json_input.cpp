#include "rlimit/json_input.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "core/error.hpp"
#include "core/unique_fd.hpp"
#include "rlimit/value.hpp"

namespace pm::rlimit {
namespace {

constexpr size_t kMaxInput = 16 << 20;  // a limit list, not a data set

[[noreturn]] void bad(const std::string& where, const std::string& message) {
    throw Error(Exit::bad_value, where + ": " + message);
}

// A Mesos uint64 field: JSON number or decimal string (stout accepts both);
// floats, negatives and junk are refused instead of truncated or wrapped.
uint64_t unsigned_field(const Json& value, const std::string& where) {
    if (value.is_number_unsigned()) return value.get<uint64_t>();
    if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        if (text.empty()) bad(where, "empty value");
        if (std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            if (auto value = decimal_u64(text)) return *value;
            bad(where, "value '" + text + "' out of range (max 18446744073709551615)");
        }
    }
    bad(where, "expected unsigned integer (got " + value.dump() + ")");
}

std::string type_hint(std::string_view type) {
    std::string_view name = type;
    for (std::string_view prefix : {"RLIMIT_", "RLMT_"})
        if (name.starts_with(prefix)) name.remove_prefix(prefix.size());
    auto near = suggest_limit(name);
    if (!near) return "";
    const LimitInfo* limit = find_limit(*near);
    return " (did you mean '" + (type.starts_with("RLIMIT_") ? oci_type(*limit) : mesos_type(*limit)) + "'?)";
}

Request entry_request(const Json& entry, const std::string& where) {
    if (!entry.is_object()) bad(where, "expected an object with 'type', 'soft' and 'hard'");
    for (auto it = entry.begin(); it != entry.end(); ++it)
        if (it.key() != "type" && it.key() != "soft" && it.key() != "hard") bad(where, "unknown key '" + it.key() + "'");
    if (!entry.contains("type")) bad(where, "missing 'type'");
    const Json& type_value = entry.at("type");
    if (!type_value.is_string()) bad(where + ".type", "expected a string (got " + type_value.dump() + ")");
    const auto& type = type_value.get_ref<const std::string&>();

    Request request;
    bool has_soft = entry.contains("soft"), has_hard = entry.contains("hard");
    if (type.starts_with("RLIMIT_")) {
        // OCI runtime-spec: type matches ^RLIMIT_[A-Z]+$, soft and hard REQUIRED.
        bool pattern = type.size() > 7 && std::all_of(type.begin() + 7, type.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
        if (!pattern) bad(where + ".type", "'" + type + "' does not match ^RLIMIT_[A-Z]+$");
        request.limit = find_oci_type(type);
        if (!request.limit) bad(where, "unknown rlimit type '" + type + "'" + type_hint(type));
        if (!has_soft || !has_hard) bad(where, type + ": OCI requires 'type', 'soft' and 'hard'");
        request.source = "oci-json";
    } else {
        request.limit = find_mesos_type(type);
        if (!request.limit) bad(where, "unknown rlimit type '" + type + "'" + type_hint(type));
        // mesos.proto: either both set or both unset; unset means unlimited.
        if (has_soft != has_hard) bad(where, type + ": Mesos requires both 'soft' and 'hard' or neither");
        request.source = "mesos-json";
    }
    require_supported(*request.limit);
    request.soft = has_soft ? unsigned_field(entry.at("soft"), where + ".soft") : kInfinity;
    request.hard = has_hard ? unsigned_field(entry.at("hard"), where + ".hard") : kInfinity;
    if (*request.soft > *request.hard)
        bad(where, type + ": soft limit " + format_value(*request.soft) + " exceeds hard limit " + format_value(*request.hard));
    return request;
}

std::vector<Request> list_requests(const Json& list, const std::string& where) {
    if (!list.is_array()) bad(where, "expected an array of rlimits");
    std::vector<Request> out;
    for (size_t i = 0; i < list.size(); ++i) out.push_back(entry_request(list[i], where + "[" + std::to_string(i) + "]"));
    return out;
}

// The member `key` of `object` (nullptr when absent), which must be an object.
const Json* object_member(const Json& object, const std::string& key, const std::string& where) {
    auto it = object.find(key);
    if (it == object.end()) return nullptr;
    if (!it->is_object()) bad(where, "expected an object");
    return &*it;
}

// RLimitInfo {"rlimits":[...]} (also the OCI process object), or the
// ContainerLaunchInfo wrapping {"rlimits":{"rlimits":[...]}}.
std::vector<Request> rlimit_info(const Json& object, const std::string& prefix) {
    auto it = object.find("rlimits");
    if (it == object.end()) return {};  // an empty RLimitInfo: nothing to set
    if (it->is_object()) return rlimit_info(*it, prefix + "rlimits.");
    return list_requests(*it, prefix + "rlimits");
}

// "[json.exception.parse_error.101] parse error at line 3, column 5: REASON"
// -> "3:5: REASON" (the form compilers use).
std::string parse_error_text(const std::string& what) {
    const std::string at = "at line ";
    auto line = what.find(at);
    auto column = what.find(", column ", line);
    auto colon = what.find(": ", column);
    if (line == std::string::npos || column == std::string::npos || colon == std::string::npos) return what;
    return what.substr(line + at.size(), column - line - at.size()) + ":" +
           what.substr(column + 9, colon - column - 9) + ": " + what.substr(colon + 2);
}

std::string read_all(int fd, const std::string& name) {
    std::string data;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw system_error("cannot read " + name, errno, Exit::bad_value);
        if (n == 0) return data;
        data.append(buf, static_cast<size_t>(n));
        if (data.size() > kMaxInput) throw Error(Exit::bad_value, name + ": larger than 16 MiB");
    }
}

}  // namespace

std::vector<Request> requests_from_json(const Json& document) {
    if (document.is_array()) return list_requests(document, "");  // a bare OCI process.rlimits
    if (!document.is_object()) bad("json", "expected an object or an array");
    if (auto* process = object_member(document, "process", "process")) return rlimit_info(*process, "process.");
    if (auto* container = object_member(document, "container", "container")) {
        auto* info = object_member(*container, "rlimit_info", "container.rlimit_info");
        return info ? rlimit_info(*info, "container.rlimit_info.") : std::vector<Request>{};
    }
    if (auto* info = object_member(document, "rlimit_info", "rlimit_info")) return rlimit_info(*info, "rlimit_info.");
    if (document.contains("rlimits")) return rlimit_info(document, "");
    bad("json", "no rlimits found: expected a Mesos RLimitInfo {\"rlimits\":[...]}, a ContainerInfo with "
                "\"rlimit_info\", or an OCI config with \"process\": {\"rlimits\": [...]}");
}

Json parse_json_text(const std::string& text, const std::string& name) {
    try {
        return Json::parse(text);
    } catch (const Json::parse_error& e) {
        throw Error(Exit::bad_value, name + ": json: " + parse_error_text(e.what()));
    }
}

std::vector<Request> load_json_requests(const std::string& path) {
    std::string name = path == "-" ? "stdin" : path;
    std::string text;
    if (path == "-") {
        text = read_all(STDIN_FILENO, name);
    } else {
        UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
        if (!fd.valid()) throw system_error("cannot open " + path, errno, Exit::bad_value);
        text = read_all(fd.get(), name);
    }
    Json document = parse_json_text(text, name);
    try {
        return requests_from_json(document);
    } catch (const Error& e) {
        throw e.with_context(name);
    }
}

}  // namespace pm::rlimit
