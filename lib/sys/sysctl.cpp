#include "sys/sysctl.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>

#include "core/error.hpp"
#include "core/read_file.hpp"
#include "core/unique_fd.hpp"

namespace pm::sysctl {

std::string path(const std::string& dotted_key) {
    std::string out = "/proc/sys/";
    for (char c : dotted_key) out += (c == '.') ? '/' : c;
    return out;
}

std::string path(const std::vector<std::string>& components) {
    std::string out = "/proc/sys";
    for (const auto& c : components) {
        if (c.empty() || c == "." || c == ".." || c.find('/') != std::string::npos)
            throw Error(Exit::bad_value, "invalid sysctl component '" + c + "'");
        out += "/" + c;
    }
    return out;
}

std::string normalize(const std::string& value) {
    std::string out;
    bool space = false;
    for (char c : value) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

bool exists(const std::string& proc_path) { return ::access(proc_path.c_str(), F_OK) == 0; }

std::optional<std::string> read(const std::string& proc_path) { return read_at(AT_FDCWD, proc_path.c_str(), proc_path); }

std::optional<std::string> read_at(int dir, const char* name, const std::string& proc_path) {
    UniqueFd fd(::openat(dir, name, O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) {
        if (errno == ENOENT) return std::nullopt;
        throw system_error("cannot read " + proc_path, errno);
    }
    std::string data;
    if (!read_whole_file(fd.get(), data)) throw system_error("cannot read " + proc_path, errno);
    return normalize(data);
}

void write(const std::string& proc_path, const std::string& value) {
    UniqueFd fd(::open(proc_path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd.valid()) {
        if (errno == ENOENT) throw Error(Exit::unsupported, "the kernel has no " + proc_path);
        throw system_error("cannot open " + proc_path, errno);
    }
    if (::write(fd.get(), value.data(), value.size()) != static_cast<ssize_t>(value.size()))
        throw system_error("cannot write '" + value + "' to " + proc_path, errno);
}

bool ensure(const std::string& proc_path, const std::string& value) {
    auto current = read(proc_path);
    if (current && *current == normalize(value)) return false;
    write(proc_path, value);
    return true;
}

}  // namespace pm::sysctl
