// One sysctl change as an undoable step: written only when different; the
// undo restores the previous value, re-entering the namespace first when the
// scope names one (undo runs after the code that entered it has left).
#pragma once
#include <filesystem>
#include <string>

#include "core/undo.hpp"
#include "sys/sysctl_dirs.hpp"

namespace pm::netns {

struct SysctlScope {
    UndoStack* undo = nullptr;      // null: no restore needed (e.g. a namespace this call created)
    std::filesystem::path netns;    // where the undo must run; empty = the caller's namespace
    std::string where = "host";     // for -v messages
};

// Returns true when the value changed.
bool set_sysctl(const std::string& proc_path, const std::string& value, const SysctlScope& scope);

// For a namespace or link this call created (nothing to restore, nothing to
// compare with): writes `value` through `dirs` (of the namespace the caller is
// in) unless the key is missing or read-only here (some keys exist only in the
// initial namespace); true when written.  One open and one write, where
// set_sysctl also checks and reads.
bool set_fresh_sysctl(sysctl::Dirs& dirs, const std::string& proc_path, const std::string& value,
                      const std::string& where);

}  // namespace pm::netns
