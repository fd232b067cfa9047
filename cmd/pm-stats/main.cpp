// pm-stats: per-container network and traffic-control statistics, in the
// shape of Mesos's /monitor/statistics, as Prometheus text, or as a table.
// --listen continues in the separately linked server program (listen/main.cpp),
// so this binary never loads the HTTP library.
#include "cli.hpp"
#include "stats/listen_exec.hpp"

int main(int argc, char** argv) {
    return pm::stats::stats_main(argc, argv, [argv](const pm::stats::ListenAddress&, const auto&) {
        pm::stats::exec_listener(argv);
    });
}
