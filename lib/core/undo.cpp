#include "core/undo.hpp"

#include <cstdlib>
#include <exception>

#include "core/diag.hpp"
#include "core/error.hpp"

namespace pm {

namespace {

long fail_after_step() {
    static const long n = [] {
        const char* v = std::getenv("PORTMAP_FAIL_AFTER_STEP");
        return v ? std::strtol(v, nullptr, 10) : 0L;
    }();
    return n;
}

}  // namespace

void UndoStack::push(std::string what, std::function<void()> undo) {
    steps_.push_back({std::move(what), std::move(undo)});
    if (++pushed_ == fail_after_step())
        throw Error(Exit::failure, "injected failure after step " + std::to_string(pushed_) + " (" + steps_.back().what +
                                       " pending; PORTMAP_FAIL_AFTER_STEP)");
}

void UndoStack::rollback() noexcept {
    while (!steps_.empty()) {
        Step step = std::move(steps_.back());
        steps_.pop_back();
        try {
            step.undo();
            diag::info("rolled back: " + step.what);
        } catch (const std::exception& e) {
            failed_ = true;
            diag::warning("rollback: cannot " + step.what + ": " + e.what());
        } catch (...) {
            failed_ = true;
            diag::warning("rollback: cannot " + step.what);
        }
    }
}

}  // namespace pm
