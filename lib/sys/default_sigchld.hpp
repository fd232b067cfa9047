// SIGCHLD at its default disposition for a scope in which the caller waits for
// a child of its own: an ignored SIGCHLD (inheritable through exec from
// whoever started us) has the kernel reap children at once, and their exit
// status is lost to waitpid.
#pragma once
#include <signal.h>

namespace pm {

class DefaultSigchld {
public:
    DefaultSigchld() {
        struct sigaction dfl {};
        dfl.sa_handler = SIG_DFL;
        restore_ = ::sigaction(SIGCHLD, &dfl, &old_) == 0;
    }
    ~DefaultSigchld() {
        if (restore_) ::sigaction(SIGCHLD, &old_, nullptr);
    }
    DefaultSigchld(const DefaultSigchld&) = delete;
    DefaultSigchld& operator=(const DefaultSigchld&) = delete;

private:
    struct sigaction old_ {};
    bool restore_ = false;
};

}  // namespace pm
