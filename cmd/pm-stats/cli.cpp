#include "cli.hpp"

#include <linux/capability.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <map>
#include <thread>

#include "cli/tool.hpp"
#include "core/container_id.hpp"
#include "core/error.hpp"
#include "output/table.hpp"
#include "sys/privileges.hpp"
#include "stats/collect.hpp"
#include "stats/mesos_json.hpp"
#include "stats/prometheus.hpp"
#include "stats/render.hpp"

namespace {

using pm::stats::Listener;

struct Options {
    pm::CommonOptions common;
    std::vector<std::string> ids;
    std::string format;
    double watch = 0;
    std::string listen;
    pm::stats::CollectOptions collect;
};

void put(const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

// Explicitly named containers must exist before anything is read.
void check_ids(const pm::StateDir& dir, const std::vector<std::string>& ids) {
    for (const auto& id : ids) {
        std::error_code ec;
        if (!std::filesystem::exists(dir.container_file(id, "netns.json"), ec))
            throw pm::Error(pm::Exit::not_found,
                            "no such container '" + id + "': no network namespace record in " + dir.root().string());
    }
}

std::string resolve_format(const Options& o) {
    if (o.format.empty()) return o.common.json ? "json" : "table";
    if (o.common.json && o.format != "json")
        throw pm::Error(pm::Exit::usage, "--json conflicts with --format " + o.format);
    return o.format;
}

pm::stats::Collection pass(const pm::StateDir& dir, const Options& o) {
    return pm::stats::collect(dir, o.ids, o.collect);
}

void watch(const pm::StateDir& dir, const Options& o) {
    const bool tty = ::isatty(STDOUT_FILENO);
    const auto interval = std::chrono::duration<double>(o.watch);
    std::map<std::string, pm::stats::ContainerStats> before;
    for (auto& c : pass(dir, o).containers) before.emplace(c.id, std::move(c));
    for (;;) {
        std::this_thread::sleep_for(interval);
        auto now = pass(dir, o).containers;
        char clock[16];
        std::time_t t = std::time(nullptr);
        std::strftime(clock, sizeof clock, "%H:%M:%S", std::localtime(&t));
        std::string screen = tty ? "\033[H\033[2J" : "";
        screen += "Every " + pm::stats::format_sample_value(o.watch) + "s, " + clock + "\n";
        screen += pm::stats::rates_table(before, now).to_text();
        if (!tty) screen += "\n";
        put(screen);
        before.clear();
        for (auto& c : now) before.emplace(c.id, std::move(c));
    }
}

void run(Options& o, const Listener& listen) {
    const std::string format = resolve_format(o);
    if (!o.listen.empty() && o.watch > 0) throw pm::Error(pm::Exit::usage, "--listen and --watch cannot be combined");
    if (!o.listen.empty() && (!o.format.empty() || o.common.json))
        throw pm::Error(pm::Exit::usage, "--listen serves both formats; drop --format/--json");
    if (o.watch > 0 && format != "table")
        throw pm::Error(pm::Exit::usage, "--watch shows a table; drop --format/--json");
    std::optional<pm::stats::ListenAddress> address;
    if (!o.listen.empty()) address = pm::stats::parse_listen(o.listen);

    for (const auto& id : o.ids) pm::validate_container_id(id);
    pm::require_capability(CAP_SYS_ADMIN, "CAP_SYS_ADMIN", "reading statistics inside container network namespaces");
    const auto dir = o.common.state();
    check_ids(dir, o.ids);

    if (address) {
        listen(*address, [&] { return pass(dir, o); });
        return;
    }
    if (o.watch > 0) return watch(dir, o);

    const auto result = pass(dir, o);
    if (format == "json") pm::emit_json(pm::stats::mesos_json(result.containers));
    else if (format == "prometheus") put(pm::stats::prometheus_text(result.containers));
    else put(pm::stats::counters_table(result.containers, o.collect.sockets).to_text());
    if (result.failed > 0)
        throw pm::Error(pm::Exit::failure, std::to_string(result.failed) + " container(s) could not be read (see warnings)");
}

}  // namespace

namespace pm::stats {

int stats_main(int argc, char** argv, const Listener& listen) {
    Options o;
    return pm::run_tool(
        "pm-stats", "Per-container network and traffic-control statistics", argc, argv, [&](CLI::App& app) {
            app.add_option("ID", o.ids, "container IDs (default: every container with a network namespace)");
            app.add_option("--format", o.format, "output format: table (default), json (Mesos /monitor/statistics), prometheus")
                ->type_name("FORMAT")
                ->check(CLI::IsMember({"json", "prometheus", "table"}));
            app.add_option("--watch", o.watch, "redraw a table of per-second rates every SECONDS")
                ->type_name("SECONDS")
                ->check(CLI::Range(0.1, 86400.0));
            app.add_option("--listen", o.listen,
                           "serve GET /monitor/statistics and GET /metrics over HTTP (PORT alone binds 127.0.0.1)")
                ->type_name("ADDR:PORT");
            app.add_flag("--sockets", o.collect.sockets, "add TCP connection counts and RTT percentiles (inet_diag)");
            app.add_flag("--snmp", o.collect.snmp, "add the namespace's /proc/net/snmp counters");
            app.add_option("--state-dir", o.common.state_dir, "state directory (default $PORTMAP_STATE_DIR or /run/portmap)")
                ->type_name("DIR");
            pm::add_common_options(app, o.common, false);
            app.callback([&] { run(o, listen); });
        });
}

}  // namespace pm::stats
