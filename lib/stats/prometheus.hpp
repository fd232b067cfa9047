// Prometheus text exposition (format 0.0.4): one HELP and one TYPE line per
// family, base units (bytes, seconds), counters ending in _total, a `container`
// label on every sample, and no timestamps, so the text can be written
// atomically into node_exporter's textfile collector directory.
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "stats/model.hpp"

namespace pm::stats {

using Labels = std::vector<std::pair<std::string, std::string>>;

// Collects samples grouped by family, in first-seen order.
class Exposition {
public:
    void add(const std::string& family, const char* type, const std::string& help, const Labels& labels, double value);
    void add(const std::string& family, const char* type, const std::string& help, const Labels& labels, uint64_t value);
    void add(const std::string& family, const char* type, const std::string& help, const Labels& labels, int64_t value);
    std::string text() const;

private:
    struct Family {
        std::string name, type, help;
        std::vector<std::string> samples;  // "name{labels} value"
    };
    void put(const std::string& family, const char* type, const std::string& help, const Labels& labels, std::string value);
    std::vector<Family> families_;
    std::unordered_map<std::string, size_t> index_;  // family name -> families_ slot
};

std::string escape_label_value(std::string_view value);  // \\ \" \n
std::string escape_help(std::string_view help);          // \\ \n
std::string format_sample_value(double value);            // Go-style floats, +Inf/-Inf/NaN

// All containers' metrics.
std::string prometheus_text(const std::vector<ContainerStats>& containers);

}  // namespace pm::stats
