// JSON state files: atomic writes (temp file in the same directory, fsync,
// rename, fsync of the directory) and reads that never follow symlinks.
#pragma once
#include <filesystem>
#include <optional>

#include "core/json.hpp"
#include "core/unique_fd.hpp"

namespace pm {

void write_json_atomic(const std::filesystem::path& path, const Json& value);
// nullopt when the file does not exist; Error(bad_value) naming the file when corrupt.
std::optional<Json> read_json_file(const std::filesystem::path& path);
// The same, handing back the file still open in `opened` (left invalid when
// missing), so the caller can later ask whether the path still names it.
std::optional<Json> read_json_file(const std::filesystem::path& path, UniqueFd& opened);
// Whether `path` (not followed) still names the file open as `fd`.  State
// files are replaced by rename, never rewritten in place, and an open file's
// inode is not reused: true means the content read from `fd` is current.
bool still_names(const std::filesystem::path& path, int fd);
// Unlink; a missing file is fine.  Fsyncs the directory so removal survives a crash.
void remove_file(const std::filesystem::path& path);
// rmdir; missing or non-empty directories are left alone.
void remove_dir_if_empty(const std::filesystem::path& path);
// Removes the temp files (".NAME.XXXXXX") that writers of `target` killed
// before their rename left next to it; returns how many.  Call only under the
// exclusive state lock, when no writer can be mid-write (a tool's gc, or before
// its own write).
int remove_stale_temps(const std::filesystem::path& target);

}  // namespace pm
