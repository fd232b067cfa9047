#include "tc/undo.hpp"

#include <exception>

#include "core/diag.hpp"

namespace pm::tc {

Undo::~Undo() { rollback(); }

void Undo::push(std::string what, std::function<void()> step) { steps_.push_back({std::move(what), std::move(step)}); }

void Undo::rollback() {
    while (!steps_.empty()) {
        Step step = std::move(steps_.back());
        steps_.pop_back();
        try {
            step.run();
            diag::info("rolled back: " + step.what);
        } catch (const std::exception& e) {
            failed_ = true;
            diag::warning("rollback: cannot undo " + step.what + ": " + e.what());
        }
    }
}

}  // namespace pm::tc
