// pm-netns: a container's network namespace on the host's IP (issue 3).
// The command line only; the work is in lib/netns.
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "cli/subcommands.hpp"
#include "cli/tool.hpp"
#include "core/diag.hpp"
#include "netns/create.hpp"
#include "netns/destroy.hpp"
#include "netns/exec.hpp"
#include "netns/gc.hpp"
#include "netns/report.hpp"
#include "output/table.hpp"

namespace {

bool takes_value(const std::string& arg) { return arg == "--state-dir" || arg == "--wait"; }

// `exec` is a launcher (125 for its own failures, like env/nice): returns the
// index of the "exec" word, or 0 when this is not an exec invocation.
int exec_index(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--") return 0;
        if (takes_value(arg)) {
            ++i;
            continue;
        }
        if (!arg.empty() && arg[0] == '-') continue;
        return arg == "exec" ? i : 0;
    }
    return 0;
}

// `exec ID CMD ARGS...` works without "--" too (as `ip netns exec` does):
// insert it after ID so CMD's own options are never taken for ours.
std::vector<char*> exec_argv(int argc, char** argv, int exec_at) {
    static char separator[] = "--";
    std::vector<char*> out(argv, argv + argc);
    for (int i = exec_at + 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--") break;
        if (takes_value(arg)) {
            ++i;
            continue;
        }
        if (!arg.empty() && arg[0] == '-') continue;
        if (i + 1 < argc && std::strcmp(argv[i + 1], "--") != 0) out.insert(out.begin() + i + 1, separator);
        break;
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    pm::CommonOptions common;
    pm::netns::CreateOptions create;
    std::string eth0, lo;
    int pid = 0;
    std::string id;
    std::vector<std::string> command;
    std::optional<int> exec_status;
    bool gc_empty = false;
    bool destroy_sync = false;
    const int exec_at = exec_index(argc, argv);
    std::vector<char*> args = exec_at ? exec_argv(argc, argv, exec_at) : std::vector<char*>(argv, argv + argc);

    int rc = pm::run_tool(
        "pm-netns", "A container's network namespace on the host's IP, joined to the host by a veth pair.",
        static_cast<int>(args.size()), args.data(),
        [&](CLI::App& app) {
            pm::add_common_options(app, common);
            app.require_subcommand(1);

            pm::add_subcommands(
                app, argc, argv,
                {
                    {"create", "create (or adopt with --pid) the network namespace of container ID",
                     [&](CLI::App& c) {
                         pm::add_container_id(c, create.id);
                         auto* eth0_opt = c.add_option("--eth0", eth0,
                                                       "host public interface (default: the link of the default route)")
                                              ->type_name("IFACE");
                         auto* lo_opt =
                             c.add_option("--lo", lo, "host loopback interface (default: the first loopback)")
                                 ->type_name("IFACE");
                         auto* pid_opt =
                             c.add_option("--pid", pid,
                                          "adopt the network namespace of process PID instead of creating one")
                                 ->type_name("PID")
                                 ->check(CLI::PositiveNumber);
                         c.add_flag("--link-ip-netns", create.link_ip_netns,
                                    "also link it as /run/netns/pm-ID so `ip netns` sees it");
                         c.callback([&, pid_opt, eth0_opt, lo_opt] {
                             if (pid_opt->count()) create.pid = pid;
                             if (eth0_opt->count()) create.eth0 = eth0;
                             if (lo_opt->count()) create.lo = lo;
                             create.wait = common.wait;
                             auto result = pm::netns::create_netns(common.state(), create);
                             if (!result.created) pm::diag::info(create.id + " already exists with these parameters");
                             if (common.json) pm::emit_json(result.record.to_json());
                         });
                     }},
                    {"destroy", "delete the veth pair and release the namespace of container ID",
                     [&](CLI::App& d) {
                         pm::add_container_id(d, id);
                         d.add_flag("--sync", destroy_sync,
                                    "return only once the veth pair is gone (deleted, not left to the kernel's "
                                    "namespace cleanup)");
                         d.callback([&] {
                             auto result = pm::netns::destroy_netns(common.state(), id, common.wait,
                                                                    common.verbose || common.json, destroy_sync);
                             if (!result.existed) pm::diag::info(id + " has no network namespace: nothing to do");
                             if (!result.still_inside.empty()) {
                                 std::string pids;
                                 for (auto p : result.still_inside) pids += " " + std::to_string(p);
                                 pm::diag::info(std::to_string(result.still_inside.size()) +
                                                " process(es) still inside the released namespace, not killed:" + pids);
                             }
                             if (common.json)
                                 pm::emit_json(
                                     {{"id", id}, {"existed", result.existed}, {"still_inside", result.still_inside}});
                         });
                     }},
                    {"exec", "run CMD inside the network namespace of container ID",
                     [&](CLI::App& e) {
                         pm::add_container_id(e, id);
                         e.add_option("CMD", command, "command and its arguments (\"--\" before them is optional)")
                             ->required();
                         e.callback([&] { exec_status = pm::netns::exec_in_netns(common.state(), id, command); });
                     }},
                    {"list", "list containers with a network namespace",
                     [&](CLI::App& l) {
                         l.callback([&] { pm::emit(pm::netns::list_table(common.state()), common.json); });
                     }},
                    {"show", "show the namespace, veth and addresses of container ID",
                     [&](CLI::App& s) {
                         pm::add_container_id(s, id);
                         s.callback([&] {
                             auto shown = pm::netns::show_json(common.state(), id);
                             pm::emit(common.json ? shown : pm::netns::show_text_view(shown), common.json);
                         });
                     }},
                    {"path", "print the namespace handle of container ID (for nsenter --net=)",
                     [&](CLI::App& p) {
                         pm::add_container_id(p, id);
                         p.callback([&] {
                             auto path = pm::netns::handle_path(common.state(), id);
                             if (common.json)
                                 pm::emit_json({{"id", id}, {"netns", path}});
                             else
                                 std::printf("%s\n", path.c_str());
                         });
                     }},
                    {"gc", "remove containers whose namespace or veth is gone, and stray handles",
                     [&](CLI::App& g) {
                         g.add_flag("--empty", gc_empty, "also remove namespaces no process lives in any more");
                         g.callback([&] {
                             pm::Table table({{"id", "ID"}, {"reason", "REASON"}});
                             for (const auto& e : pm::netns::gc_netns(common.state(), gc_empty, common.wait))
                                 table.add_row({{"id", e.id}, {"reason", e.reason}});
                             if (common.json || !table.empty()) pm::emit(table, common.json);
                         });
                     }},
                    {"status", "show the host-wide settings containers rely on",
                     [&](CLI::App& st) {
                         st.callback([&] {
                             auto status = pm::netns::status_json(common.state());
                             if (common.json) return pm::emit_json(status);
                             pm::emit(pm::netns::status_summary(status), false);
                             std::printf("\n");
                             pm::emit(pm::netns::status_table(status), false);
                         });
                     }},
                });
        },
        exec_at ? 125 : -1);
    return exec_status ? *exec_status : rc;
}
