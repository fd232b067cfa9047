#include "nl/fq_codel.hpp"

#include <linux/pkt_sched.h>
#include <netlink/errno.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/qdisc/fq_codel.h>
#include <netlink/route/tc.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

#include "core/error.hpp"
#include "nl/qdisc.hpp"
#include "sys/default_sigchld.hpp"

namespace pm::nl {
namespace {

constexpr int kProbeOk = 0, kProbeMissing = 3, kProbeCannot = 4;

Error missing(const std::string& what, const std::string& hint = "") {
    return Error(Exit::unsupported, "the kernel has no fq_codel qdisc (module " + std::string(kFqCodelModule) + ")" +
                                        (what.empty() ? "" : " for " + what) + (hint.empty() ? "" : " (" + hint + ")"));
}

int add_raw(Socket& sock, int ifindex, uint32_t parent, uint32_t handle, bool replace, int flows = 0) {
    auto q = new_qdisc(ifindex, parent, handle);
    check(rtnl_tc_set_kind(TC_CAST(q.get()), "fq_codel"), "cannot select the fq_codel qdisc");
    if (flows > 0) check(rtnl_qdisc_fq_codel_set_flows(q.get(), flows), "cannot set the fq_codel flows");
    return rtnl_qdisc_add(sock.get(), q.get(), NLM_F_CREATE | (replace ? NLM_F_REPLACE : NLM_F_EXCL));
}

// Runs in the forked child: a fresh namespace whose only link is a down
// loopback (ifindex 1).  Returns the child's exit status.
int probe_child() noexcept {
    try {
        if (unshare(CLONE_NEWNET) != 0) return kProbeCannot;
        Socket sock;
        int rc = add_raw(sock, 1, TC_H_ROOT, 0, false);
        if (rc == 0) return kProbeOk;
        return rc == -NLE_OBJ_NOTFOUND ? kProbeMissing : kProbeCannot;
    } catch (...) {
        return kProbeCannot;
    }
}

}  // namespace

void add_fq_codel(Socket& sock, int ifindex, uint32_t parent, uint32_t handle, const std::string& what, bool replace,
                  int flows) {
    int rc = add_raw(sock, ifindex, parent, handle, replace, flows);
    // The kernel answers ENOENT ("unknown qdisc kind") when the module is missing.
    if (rc == -NLE_OBJ_NOTFOUND && !fq_codel_available()) throw missing(what);
    if (rc < 0) throw error("cannot add an fq_codel qdisc to " + what, rc);
}

bool fq_codel_available() {
    static std::optional<bool> known;
    if (known) return *known;
    DefaultSigchld sigchld;
    const pid_t pid = fork();
    if (pid < 0) throw system_error("cannot fork the fq_codel probe", errno);
    if (pid == 0) _exit(probe_child());  // the child must not return into the caller's stack
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw system_error("cannot wait for the fq_codel probe", errno);
    known = !(WIFEXITED(status) && WEXITSTATUS(status) == kProbeMissing);
    return *known;
}

void require_fq_codel(const std::string& hint) {
    if (!fq_codel_available()) throw missing("", hint);
}

}  // namespace pm::nl
