// pm-tc: traffic control for portmap containers — port-range steering on one
// shared IPv4 address.  This file only parses the command line and prints;
// the design and the kernel work live in lib/tc/ (see layout.hpp) and lib/nl/.
#include "cli/subcommands.hpp"
#include "cli/tool.hpp"
#include "core/error.hpp"
#include "output/table.hpp"
#include "shaping_options.hpp"
#include "tc/host.hpp"
#include "tc/show.hpp"
#include "tc/steering.hpp"

namespace {

void report(const std::string& id, pm::tc::Outcome outcome, const char* done, bool json) {
    if (json) pm::emit_json({{"id", id}, {"result", outcome == pm::tc::Outcome::changed ? done : "unchanged"}});
}

}  // namespace

int main(int argc, char** argv) {
    pm::CommonOptions common;
    pm::tc::SetupOptions setup_opt;
    std::string id;
    bool force = false;
    pm::tc::ShapingOptions shape_opt;

    return pm::run_tool(
        "pm-tc", "pm-tc - steer traffic to containers that share the host's IP by port range (tc u32 + mirred)", argc,
        argv, [&](CLI::App& app) {
            pm::add_common_options(app, common);
            app.require_subcommand(1);

            pm::add_subcommands(
                app, argc, argv,
                {
                    {"setup", "prepare the host once: ingress qdiscs and shared u32 tables",
                     [&](CLI::App& setup) {
                         setup
                             .add_option("--eth0", setup_opt.eth0,
                                         "host public interface (default: the default route's)")
                             ->type_name("IFACE");
                         setup
                             .add_option("--lo", setup_opt.lo, "host loopback interface (default: the first loopback)")
                             ->type_name("IFACE");
                         setup.add_flag("--unique-flows", setup_opt.flows.enable,
                                        "fq_codel on host eth0 egress with one flow per container");
                         setup
                             .add_option("--flows", setup_opt.flows.flows,
                                         "fq_codel flow count (default 1024; containers get 3..N-1)")
                             ->type_name("N");
                         setup
                             .add_option("--flow-parent", setup_opt.flows.parent,
                                         "put the flow qdisc under this class of eth0's qdisc (default: root)")
                             ->type_name("MAJ:MIN");
                         setup.callback([&] {
                             auto rec = pm::tc::setup_host(common.state(), common.wait, setup_opt);
                             if (common.json) pm::emit_json(rec.to_json());
                         });
                     }},
                    {"attach", "steer a container's ports to it",
                     [&](CLI::App& attach) {
                         pm::add_container_id(attach, id);
                         add_shaping_options(attach, shape_opt, false);
                         attach.callback([&] {
                             const auto shape = pm::tc::parse_shaping(shape_opt);
                             report(id, pm::tc::attach(common.state(), common.wait, id, shape), "attached",
                                    common.json);
                         });
                     }},
                    {"update", "apply a container's changed ports (after pm-alloc update) and rate limits",
                     [&](CLI::App& update) {
                         pm::add_container_id(update, id);
                         add_shaping_options(update, shape_opt, true);
                         update.callback([&] {
                             const auto shape = pm::tc::parse_shaping(shape_opt);
                             report(id, pm::tc::update(common.state(), common.wait, id, shape), "updated", common.json);
                         });
                     }},
                    {"detach", "remove a container's filters (exit 0 if not attached)",
                     [&](CLI::App& detach) {
                         pm::add_container_id(detach, id);
                         detach.callback([&] {
                             report(id, pm::tc::detach(common.state(), common.wait, id), "detached", common.json);
                         });
                     }},
                    {"teardown", "remove the host-wide structures made by setup",
                     [&](CLI::App& teardown) {
                         teardown.add_flag("--force", force, "detach every attached container first");
                         teardown.callback([&] { pm::tc::teardown_host(common.state(), common.wait, force); });
                     }},
                    {"gc", "detach containers whose veth is gone, and unfinished attaches",
                     [&](CLI::App& gc) {
                         gc.callback([&] {
                             pm::Table table({{"id", "ID"}, {"reason", "REASON"}});
                             for (const auto& c : pm::tc::gc(common.state(), common.wait))
                                 table.add_row({{"id", c.id}, {"reason", c.reason}});
                             if (common.json)
                                 pm::emit_json(table.to_json());
                             else if (!table.empty())
                                 std::fputs(table.to_text().c_str(), stdout);
                         });
                     }},
                    {"show", "every filter of a container (or of all) with packet/byte counters",
                     [&](CLI::App& show) {
                         pm::add_container_id(show, id, false);
                         show.callback([&] {
                             std::optional<std::string> which;
                             if (!id.empty()) which = id;
                             auto doc = pm::tc::show(common.state(), which);
                             if (common.json)
                                 pm::emit_json(which ? doc.at(0) : doc);
                             else
                                 std::fputs(pm::tc::show_text(doc, !which).c_str(), stdout);
                         });
                     }},
                });
        });
}
