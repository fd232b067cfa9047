// pm-stats's --listen: replace this process (same PID, same arguments) with the
// separately linked HTTP server program, so pm-stats itself never links
// cpp-httplib and its OpenSSL/zlib/brotli dependencies.
#pragma once

namespace pm::stats {

// The server program's file name.
inline constexpr const char* kListenProgram = "pm-stats-listen";

// Execs the server found next to this executable: DIR/libexec/portmap/ (the
// build tree), DIR/../libexec/portmap/ (an installed tree, sbin's sibling),
// then the LIBEXECDIR it was built for.  Error(failure) if none can be run.
[[noreturn]] void exec_listener(char** argv);

}  // namespace pm::stats
