// RAII rollback: steps pushed while applying a change run in reverse when the
// change is abandoned (an exception unwinds past the Undo) and are dropped on
// commit().  A failing step is reported as a warning and marks the rollback
// failed(), so the caller can keep its write-ahead record for a later cleanup
// instead of pretending the kernel is clean.
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace pm::tc {

class Undo {
public:
    Undo() = default;
    Undo(const Undo&) = delete;
    Undo& operator=(const Undo&) = delete;
    ~Undo();

    void push(std::string what, std::function<void()> step);
    void commit() { steps_.clear(); }
    bool failed() const { return failed_; }
    // Runs the steps now (reverse order); used by the destructor.
    void rollback();

private:
    struct Step {
        std::string what;
        std::function<void()> run;
    };
    std::vector<Step> steps_;
    bool failed_ = false;
};

}  // namespace pm::tc
