// For a tool's gc: the temp files its killed writers left next to its record
// files (see remove_stale_temps in state/json_file.hpp), across the state dir.
#pragma once
#include <filesystem>
#include <initializer_list>

#include "state/state_dir.hpp"

namespace pm {

// Removes the stale temps of `container_files` (file names such as "tc.json")
// in every containers/ID/ and of `root_files` (paths such as state.host_file()),
// then every containers/ID/ left empty (a first write killed before its rename).
// Returns how many temp files were removed.  Call only under the exclusive
// state lock (StateLock), so that no writer is mid-write.
int remove_stale_record_temps(const StateDir& state, std::initializer_list<const char*> container_files,
                              std::initializer_list<std::filesystem::path> root_files = {});

}  // namespace pm
