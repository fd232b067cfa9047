#include "stats/http_server.hpp"

#include <httplib.h>
#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>

#include "core/diag.hpp"
#include "core/error.hpp"
#include "stats/mesos_json.hpp"
#include "stats/prometheus.hpp"

namespace pm::stats {
namespace {

using Clock = std::chrono::steady_clock;

struct Snapshot {
    Clock::time_point started;
    std::string json, metrics;
};

// Single flight: requests wait for the pass in progress, then reuse the newest
// pass if it started after they arrived; otherwise they run one themselves.
class Snapshots {
public:
    explicit Snapshots(const std::function<Collection()>& pass) : pass_(pass) {}
    std::shared_ptr<const Snapshot> get() {
        const auto arrival = Clock::now();
        std::lock_guard lock(mutex_);
        if (last_ && last_->started >= arrival) return last_;
        auto s = std::make_shared<Snapshot>();
        s->started = Clock::now();
        const auto result = pass_();
        s->json = mesos_json(result.containers).dump() + "\n";
        s->metrics = prometheus_text(result.containers);
        last_ = std::move(s);
        return last_;
    }

private:
    const std::function<Collection()>& pass_;
    std::mutex mutex_;
    std::shared_ptr<const Snapshot> last_;
};

void serve_route(Snapshots& snapshots, Route r, httplib::Response& res) {
    try {
        auto snap = snapshots.get();
        if (r == Route::statistics) res.set_content(snap->json, "application/json");
        else res.set_content(snap->metrics, "text/plain; version=0.0.4; charset=utf-8");
    } catch (const std::exception& e) {
        diag::warning(std::string("collection failed: ") + e.what());
        res.status = 500;
        res.set_content(std::string("collection failed: ") + e.what() + "\n", "text/plain");
    }
}

}  // namespace

void serve(const ListenAddress& address, const std::function<Collection()>& collect_pass) {
    // Signals are taken by a dedicated thread: block them here before the pool
    // threads start (they inherit the mask), so no worker is interrupted.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    ::signal(SIGPIPE, SIG_IGN);  // a scraper that hangs up must not kill the server

    Snapshots snapshots(collect_pass);
    httplib::Server server;
    // SO_REUSEADDR only: restart while old connections sit in TIME_WAIT, but no
    // SO_REUSEPORT (httplib's default), so a second server on the port fails
    // instead of silently sharing it.
    server.set_socket_options([](int sock) {
        int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    server.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
        switch (route(req.method, req.path)) {
        case Route::not_found:
            res.status = 404;
            res.set_content(std::string("not found: serving GET ") + kStatisticsPath + " and GET " + kMetricsPath + "\n",
                            "text/plain");
            return httplib::Server::HandlerResponse::Handled;
        case Route::method_not_allowed:
            res.status = 405;
            res.set_header("Allow", "GET, HEAD");
            res.set_content("method not allowed: use GET\n", "text/plain");
            return httplib::Server::HandlerResponse::Handled;
        default:
            return httplib::Server::HandlerResponse::Unhandled;
        }
    });
    server.Get(kStatisticsPath, [&](const httplib::Request&, httplib::Response& res) {
        serve_route(snapshots, Route::statistics, res);
    });
    server.Get(kMetricsPath, [&](const httplib::Request&, httplib::Response& res) {
        serve_route(snapshots, Route::metrics, res);
    });

    errno = 0;
    ListenAddress bound = address;
    bool ok;
    if (address.port == 0) {
        bound.port = server.bind_to_any_port(address.host);
        ok = bound.port > 0;
    } else {
        ok = server.bind_to_port(address.host, address.port);
    }
    if (!ok) {
        const int err = errno;
        throw Error(Exit::failure, "cannot listen on " + address.to_string() +
                                       (err ? std::string(": ") + std::strerror(err) : std::string()));
    }
    std::fprintf(stderr, "%s: listening on http://%s\n", diag::program().c_str(), bound.to_string().c_str());

    std::atomic<bool> done{false};
    std::thread stopper([&] {
        const timespec tick{0, 200'000'000};
        while (!done) {
            if (sigtimedwait(&stop_signals, nullptr, &tick) > 0) {
                server.stop();
                return;
            }
        }
    });
    const bool served = server.listen_after_bind();
    done = true;
    stopper.join();
    if (!served) throw Error(Exit::failure, "the HTTP server stopped accepting connections on " + bound.to_string());
}

}  // namespace pm::stats
