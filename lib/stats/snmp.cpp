#include "stats/snmp.hpp"

#include <cerrno>
#include <charconv>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace pm::stats {
namespace {

bool wanted(std::string_view section) {
    return section == "Ip" || section == "Icmp" || section == "Tcp" || section == "Udp";
}

std::vector<std::string_view> words(std::string_view s) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        size_t j = i;
        while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
        if (j > i) out.push_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

Error bad_line(std::string_view line, const char* why) {
    return Error(Exit::failure, "unexpected /proc/net/snmp line '" + std::string(line) + "': " + why);
}

}  // namespace

std::vector<SnmpSection> parse_snmp(std::string_view text) {
    std::vector<std::string_view> lines;
    for (size_t pos = 0; pos < text.size();) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) nl = text.size();
        if (nl > pos) lines.push_back(text.substr(pos, nl - pos));
        pos = nl + 1;
    }
    std::vector<SnmpSection> out;
    for (size_t i = 0; i < lines.size(); i += 2) {
        const auto header = lines[i];
        const size_t colon = header.find(':');
        if (colon == std::string_view::npos || colon == 0) throw bad_line(header, "no 'Section:' prefix");
        const auto name = header.substr(0, colon);
        if (i + 1 >= lines.size()) throw bad_line(header, "header without a value line");
        const auto values_line = lines[i + 1];
        if (values_line.substr(0, colon + 1) != header.substr(0, colon + 1))
            throw bad_line(values_line, "value line does not follow its header");
        if (!wanted(name)) continue;
        const auto keys = words(header.substr(colon + 1));
        const auto values = words(values_line.substr(colon + 1));
        if (keys.size() != values.size()) throw bad_line(values_line, "field count differs from the header");
        SnmpSection section{std::string(name), {}};
        for (size_t k = 0; k < keys.size(); ++k) {
            int64_t v = 0;
            const auto* end = values[k].data() + values[k].size();
            auto [ptr, ec] = std::from_chars(values[k].data(), end, v);
            if (ec != std::errc() || ptr != end) throw bad_line(values_line, "a value is not an integer");
            section.fields.emplace_back(std::string(keys[k]), v);
        }
        out.push_back(std::move(section));
    }
    return out;
}

std::vector<SnmpSection> read_snmp() {
    const char* path = "/proc/thread-self/net/snmp";
    std::ifstream in(path);
    if (!in) throw system_error(std::string("cannot read ") + path, errno);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return parse_snmp(buffer.str());
}

}  // namespace pm::stats
