#include "cli/tool.hpp"

#include "core/container_id.hpp"
#include "core/diag.hpp"
#include "core/error.hpp"

namespace pm {

void add_common_options(CLI::App& app, CommonOptions& options, bool with_state) {
    if (with_state) {
        app.add_option("--state-dir", options.state_dir, "state directory (default $PORTMAP_STATE_DIR or /run/portmap)")
            ->type_name("DIR");
        app.add_option("--wait", options.wait, "seconds to wait for the state lock (default 30)")
            ->type_name("SECONDS")
            ->check(CLI::NonNegativeNumber);
    }
    app.add_flag("-j,--json", options.json, "print one JSON document on stdout");
    app.add_flag_callback("-v,--verbose", [&options] {
        options.verbose = true;
        diag::set_verbose(true);
    }, "say on stderr what was changed");
}

CLI::Option* add_container_id(CLI::App& sub, std::string& id, bool required) {
    auto* opt = sub.add_option("ID", id, "container ID");
    if (required) opt->required();
    return opt;
}

int run_tool(const std::string& name, const std::string& description, int argc, char** argv,
             const std::function<void(CLI::App&)>& build, int own_failure_status) {
    diag::set_program(name);
    auto status = [&](int code) { return own_failure_status >= 0 ? own_failure_status : code; };
    CLI::App app(description, name);
    app.set_version_flag("--version", name + " " + PORTMAP_VERSION);
    app.fallthrough();
    app.option_defaults()->always_capture_default(false);
    try {
        build(app);
        app.parse(argc, argv);
        return 0;
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ConversionError& e) {
        diag::error(std::string(e.what()));
        return status(static_cast<int>(Exit::bad_value));
    } catch (const CLI::ValidationError& e) {
        diag::error(std::string(e.what()));
        return status(static_cast<int>(Exit::bad_value));
    } catch (const CLI::ParseError& e) {
        diag::error(std::string(e.what()) + " (see " + name + " --help)");
        return status(static_cast<int>(Exit::usage));
    } catch (const Error& e) {
        diag::error(e.what());
        return status(e.exit_status());
    } catch (const std::exception& e) {
        diag::error(std::string("unexpected failure: ") + e.what());
        return status(static_cast<int>(Exit::failure));
    }
}

}  // namespace pm
