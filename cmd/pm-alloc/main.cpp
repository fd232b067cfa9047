// pm-alloc: the port pool.  Parses the command line and prints; the rules live
// in lib/alloc/allocator.*, the files and locking in lib/alloc/store.*.
#include <charconv>

#include "alloc/allocator.hpp"
#include "alloc/host_range.hpp"
#include "alloc/namespace_probe.hpp"
#include "alloc/store.hpp"
#include "cli/subcommands.hpp"
#include "cli/tool.hpp"
#include "core/diag.hpp"
#include "core/error.hpp"
#include "output/port_text.hpp"
#include "output/table.hpp"

namespace {

uint64_t parse_block_size(const std::string& text) {
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        throw pm::Error(pm::Exit::bad_value, "invalid --per-container '" + text + "': not a number of ports");
    return n;
}

void print_record(const pm::AllocRecord& record, bool json) {
    pm::Json doc = record.to_json();
    pm::emit(json ? doc : pm::with_port_text(doc), json);
}

// The host's range for `status`: informative, so a broken sysctl is a warning.
std::optional<pm::PortRange> host_range_for_status() {
    try {
        return pm::alloc::read_host_ephemeral_range();
    } catch (const pm::Error& e) {
        pm::diag::warning(e.what());
        return std::nullopt;
    }
}

void print_status(const pm::alloc::Snapshot& snap, bool json) {
    const auto& pool = snap.pool;
    const auto use = pm::alloc::usage(pool, snap.records);
    const auto host = host_range_for_status();
    if (host && pool.ephemeral.overlaps(pm::PortSet{*host}))
        pm::diag::warning("the host's net.ipv4.ip_local_port_range " + host->to_string() +
                          " now overlaps the ephemeral ports " + pool.ephemeral.to_string());
    pm::Json doc = {{"ephemeral_ports", pool.ephemeral.to_json()},
                    {"per_container", pool.per_container},
                    {"ports", pool.ports.to_json()},
                    {"host_ephemeral_ports", host ? pm::Json{{"begin", host->first}, {"end", host->last}} : pm::Json()},
                    {"blocks_total", use.blocks_total},
                    {"blocks_used", use.blocks_used},
                    {"blocks_free", use.blocks_free},
                    {"more_containers_fit", use.blocks_free},
                    {"ephemeral_free", use.ephemeral_free.to_json()},
                    {"ports_free", use.ports_free.to_json()}};
    pm::emit(json ? doc : pm::with_port_text(doc), json);
}

}  // namespace

int main(int argc, char** argv) {
    pm::CommonOptions common;
    std::string id, ephemeral, per_container = std::to_string(pm::alloc::kDefaultBlock), ports;
    bool no_namespace = false;
    double older_than = 0;
    auto store = [&] { return pm::alloc::Store(common.state(), common.wait); };

    return pm::run_tool(
        "pm-alloc", "pm-alloc - the port pool: aligned ephemeral port blocks and non-ephemeral ports per container",
        argc, argv, [&](CLI::App& app) {
            pm::add_common_options(app, common);
            app.require_subcommand(1);

            pm::add_subcommands(
                app, argc, argv,
                {
                    {"init", "define (or change) the port pool",
                     [&](CLI::App& init) {
                         init.add_option("--ephemeral-ports", ephemeral, "ports split into per-container blocks")
                             ->type_name("RANGES")
                             ->required();
                         init.add_option("--per-container", per_container,
                                         "ephemeral ports per container: a power of two >= 16 (default 1024)")
                             ->type_name("N");
                         init.add_option("--ports", ports, "non-ephemeral ports containers may own")
                             ->type_name("RANGES");
                         init.callback([&] {
                             pm::PoolConfig pool;
                             pool.ephemeral = pm::PortSet::parse(ephemeral);
                             pool.ports = pm::PortSet::parse(ports);
                             const uint64_t n = parse_block_size(per_container);
                             pm::alloc::validate_block_size(n);
                             pool.per_container = static_cast<uint32_t>(n);
                             auto s = store();
                             s.init(pool);
                             print_status(s.snapshot(), common.json);
                         });
                     }},
                    {"allocate", "give a container a free ephemeral block (and its ports)",
                     [&](CLI::App& allocate) {
                         pm::add_container_id(allocate, id);
                         allocate
                             .add_option("--ports", ports,
                                         "non-ephemeral ports for the container, inside the pool's --ports")
                             ->type_name("RANGES");
                         allocate.callback([&] {
                             print_record(store().allocate(id, pm::PortSet::parse(ports)).record, common.json);
                         });
                     }},
                    {"update", "change a container's non-ephemeral ports",
                     [&](CLI::App& update) {
                         pm::add_container_id(update, id);
                         update.add_option("--ports", ports, "the container's new non-ephemeral ports (\"\" for none)")
                             ->type_name("RANGES")
                             ->required();
                         update.callback(
                             [&] { print_record(store().update(id, pm::PortSet::parse(ports)).record, common.json); });
                     }},
                    {"release", "free a container's ports (exit 0 if it holds none)",
                     [&](CLI::App& release) {
                         pm::add_container_id(release, id);
                         release.callback([&] {
                             bool released = store().release(id);
                             if (common.json) pm::emit_json({{"id", id}, {"released", released}});
                         });
                     }},
                    {"show", "print a container's allocation",
                     [&](CLI::App& show) {
                         pm::add_container_id(show, id);
                         show.callback([&] { print_record(store().show(id), common.json); });
                     }},
                    {"list", "list every allocation",
                     [&](CLI::App& list) {
                         list.callback([&] {
                             pm::Table table({{"id", "ID"},
                                              {"ephemeral_ports", "EPHEMERAL", false, pm::port_text},
                                              {"ports", "PORTS", false, pm::port_text}});
                             for (const auto& r : store().list()) table.add_row(r.to_json());
                             pm::emit(table, common.json);
                         });
                     }},
                    {"status", "print the pool, used and free blocks, and how many more containers fit",
                     [&](CLI::App& status) {
                         status.callback([&] { print_status(store().snapshot(), common.json); });
                     }},
                    {"gc",
                     "remove leftovers of killed runs; list (and with --no-namespace release) allocations without a "
                     "namespace",
                     [&](CLI::App& gc) {
                         gc.add_flag("--no-namespace", no_namespace,
                                     "release allocations whose container has no network namespace (opt-in: allocate "
                                     "precedes pm-netns create)");
                         gc.add_option("--older-than", older_than,
                                       "only release allocations unchanged for at least SECONDS (default 0)")
                             ->type_name("SECONDS")
                             ->check(CLI::Validator(
                                 [](std::string& text) {
                                     double v = -1;
                                     return CLI::detail::lexical_cast(text, v) && v >= 0
                                                ? std::string()
                                                : "'" + text + "' is not a number of seconds >= 0";
                                 },
                                 ""));
                         gc.callback([&] {
                             const auto state = common.state();
                             auto probe = [&](const std::string& gc_id) {
                                 return pm::alloc::missing_namespace(state, gc_id);
                             };
                             pm::Table table({{"id", "ID"},
                                              {"ephemeral_ports", "EPHEMERAL", false, pm::port_text},
                                              {"ports", "PORTS", false, pm::port_text},
                                              {"reason", "REASON"},
                                              {"released", "RELEASED"}});
                             for (auto& e : store().gc(probe, no_namespace, older_than)) {
                                 pm::Json row = e.record.to_json();
                                 row["reason"] = e.reason;
                                 row["released"] = e.released;
                                 table.add_row(std::move(row));
                             }
                             if (!common.json && table.empty()) return;  // nothing to report: quiet, like rm
                             pm::emit(table, common.json);
                         });
                     }},
                });
        });
}
