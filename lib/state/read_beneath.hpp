// Reading many small state files quickly: each is opened relative to an open
// directory with openat2(RESOLVE_NO_SYMLINKS), one system call that refuses a
// symlink anywhere on the way, where the path-based readers (json_file.hpp,
// StateDir::container_dir) lstat every part first.  Callers that read one
// record per container (pm-alloc's checks against every other record) use it
// for the common case and fall back to the path-based reader, which gives the
// precise error, for anything else.
#pragma once
#include <filesystem>
#include <string>

#include "core/unique_fd.hpp"

namespace pm {

// The directory itself, opened without following a symlink there; invalid on
// any failure (the caller then takes the path-based way).
UniqueFd open_dir_nofollow(const std::filesystem::path& dir);

enum class ReadBeneath {
    ok,       // `out` holds the whole file
    missing,  // no such file
    other,    // a symlink on the way, no openat2, a read error...: use the path-based reader
};
// Reads `relative` ("ID/alloc.json") under `dirfd` into `out`.
ReadBeneath read_beneath(int dirfd, const std::string& relative, std::string& out);

}  // namespace pm
