// The rollback of a multi-step kernel change as RAII: each step that made
// something pushes how to undo it; unless commit() is reached, the destructor
// undoes every step in reverse order.  Undo steps must not depend on later
// steps; a failing undo step is reported as a warning, marks failed(), and
// the rest still run.  (Shared by every tool that changes the kernel in
// several steps.)
//
// Failure injection for tests: with PORTMAP_FAIL_AFTER_STEP=N in the
// environment, the N-th push() throws right after recording its step, so a
// test can fail a command after each of its steps and check the rollback.
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace pm {

class UndoStack {
public:
    UndoStack() = default;
    ~UndoStack() { rollback(); }
    UndoStack(const UndoStack&) = delete;
    UndoStack& operator=(const UndoStack&) = delete;

    // `what` describes the undo action ("delete veth pm1234"), for -v and warnings.
    void push(std::string what, std::function<void()> undo);
    // Keep everything: the steps become permanent.
    void commit() noexcept { steps_.clear(); }
    // Undo now (reverse order); idempotent.
    void rollback() noexcept;
    size_t size() const { return steps_.size(); }
    // A rollback step failed: the kernel may not be as before.
    bool failed() const { return failed_; }

private:
    struct Step {
        std::string what;
        std::function<void()> undo;
    };
    std::vector<Step> steps_;
    long pushed_ = 0;
    bool failed_ = false;
};

}  // namespace pm
