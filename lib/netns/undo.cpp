#include "netns/undo.hpp"

#include <exception>

#include "core/diag.hpp"

namespace pm::netns {

void UndoStack::push(std::string what, std::function<void()> undo) {
    steps_.push_back({std::move(what), std::move(undo)});
}

void UndoStack::rollback() noexcept {
    while (!steps_.empty()) {
        Step step = std::move(steps_.back());
        steps_.pop_back();
        try {
            step.undo();
            diag::info("rolled back: " + step.what);
        } catch (const std::exception& e) {
            diag::warning("rollback: cannot " + step.what + ": " + e.what());
        } catch (...) {
            diag::warning("rollback: cannot " + step.what);
        }
    }
}

}  // namespace pm::netns
