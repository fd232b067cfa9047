// pm-stats-listen: the `pm-stats --listen` HTTP server.  pm-stats execs it
// with its own arguments (same PID), and it runs the same command line; only
// this program links cpp-httplib.  Installed in LIBEXECDIR, not on PATH.
#include "../cli.hpp"
#include "stats/http_server.hpp"

int main(int argc, char** argv) { return pm::stats::stats_main(argc, argv, pm::stats::serve); }
