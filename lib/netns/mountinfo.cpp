#include "netns/mountinfo.hpp"

#include <cerrno>
#include <charconv>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace pm::netns {
namespace {

std::string unescape(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size()) {
            int v = 0;
            bool octal = true;
            for (size_t k = 1; k <= 3; ++k) {
                char c = s[i + k];
                if (c < '0' || c > '7') octal = false;
                v = v * 8 + (c - '0');
            }
            if (octal) {
                out += static_cast<char>(v);
                i += 3;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

std::optional<int> tagged(std::string_view field, std::string_view tag) {
    if (field.substr(0, tag.size()) != tag) return std::nullopt;
    int v = 0;
    auto rest = field.substr(tag.size());
    auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), v);
    if (ec != std::errc()) return std::nullopt;
    return v;
}

}  // namespace

std::vector<MountEntry> parse_mountinfo(std::string_view text) {
    std::vector<MountEntry> out;
    while (!text.empty()) {
        size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        std::vector<std::string_view> fields;
        size_t pos = 0;
        while (pos < line.size()) {
            size_t sp = line.find(' ', pos);
            if (sp == std::string_view::npos) sp = line.size();
            if (sp > pos) fields.push_back(line.substr(pos, sp - pos));
            pos = sp + 1;
        }
        if (fields.size() < 7) continue;
        MountEntry e;
        if (std::from_chars(fields[0].data(), fields[0].data() + fields[0].size(), e.id).ec != std::errc()) continue;
        if (std::from_chars(fields[1].data(), fields[1].data() + fields[1].size(), e.parent).ec != std::errc()) continue;
        e.mount_point = unescape(fields[4]);
        for (size_t i = 6; i < fields.size() && fields[i] != "-"; ++i) {
            if (auto v = tagged(fields[i], "shared:")) e.shared = v;
            if (auto v = tagged(fields[i], "master:")) e.master = v;
        }
        out.push_back(std::move(e));
    }
    return out;
}

const MountEntry* find_mount(const std::vector<MountEntry>& mounts, const std::string& path) {
    const MountEntry* found = nullptr;
    for (const auto& m : mounts)
        if (m.mount_point == path) found = &m;
    return found;
}

const MountEntry* find_mount_by_id(const std::vector<MountEntry>& mounts, int id) {
    for (const auto& m : mounts)
        if (m.id == id) return &m;
    return nullptr;
}

std::vector<MountEntry> read_mountinfo() {
    std::ifstream in("/proc/self/mountinfo");
    if (!in) throw system_error("cannot read /proc/self/mountinfo", errno);
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_mountinfo(ss.str());
}

}  // namespace pm::netns
