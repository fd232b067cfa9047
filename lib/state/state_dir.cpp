#include "state/state_dir.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <memory>

#include "core/container_id.hpp"
#include "core/error.hpp"

namespace pm {

StateDir StateDir::resolve(const std::string& cli_value) {
    if (!cli_value.empty()) return StateDir(cli_value);
    if (const char* env = std::getenv("PORTMAP_STATE_DIR"); env && *env) return StateDir(env);
    return StateDir(kDefaultStateDir);
}

namespace {

void refuse_symlink(const std::filesystem::path& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode))
        throw Error(Exit::failure, "refusing to follow symlink " + path.string() + " in the state directory");
}

}  // namespace

void make_private_dir(const std::filesystem::path& path, unsigned mode) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
        if (S_ISLNK(st.st_mode)) refuse_symlink(path);
        if (!S_ISDIR(st.st_mode)) throw Error(Exit::failure, path.string() + " exists and is not a directory");
        return;
    }
    if (errno != ENOENT) throw system_error("cannot inspect " + path.string(), errno);
    if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST)
        throw system_error("cannot create " + path.string(), errno);
    ::chmod(path.c_str(), mode);  // undo umask; root-owned 0755 per the conventions
}

std::filesystem::path StateDir::container_dir(const std::string& id) const {
    refuse_symlink(containers_dir());
    auto dir = containers_dir() / id;
    refuse_symlink(dir);
    return dir;
}

void StateDir::ensure() const {
    // Every record write comes here: when the root is a directory already (not
    // a symlink), its parent needs no look and the root no second lstat.
    struct stat st {};
    if (::lstat(root_.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        std::error_code ec;
        auto parent = root_.parent_path();
        if (!parent.empty() && !std::filesystem::exists(parent, ec)) {
            std::filesystem::create_directories(parent, ec);
            if (ec) throw system_error("cannot create " + parent.string(), ec.value());  // EACCES: 77
        }
        make_private_dir(root_);
    }
    make_private_dir(containers_dir());
}

std::filesystem::path StateDir::ensure_container_dir(const std::string& id) const {
    validate_container_id(id);
    ensure();  // containers/ is a directory, not a symlink
    auto dir = containers_dir() / id;
    make_private_dir(dir);  // refuses a symlink there, as container_dir() does
    return dir;
}

bool StateDir::exists() const {
    struct stat st {};
    return ::lstat(root_.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::vector<std::string> StateDir::container_ids() const {
    std::vector<std::string> ids;
    // readdir rather than std::filesystem: commands that check against every
    // container list them all, and the listing already says which entries are
    // directories (no path objects or stat per entry).
    std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(containers_dir().c_str()), ::closedir);
    if (!dir) return ids;
    while (const dirent* e = ::readdir(dir.get())) {
        if (!is_valid_container_id(e->d_name)) continue;
        bool is_dir = e->d_type == DT_DIR;
        if (e->d_type == DT_UNKNOWN) {  // file systems without d_type
            struct stat st {};
            is_dir = ::fstatat(::dirfd(dir.get()), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
        }
        if (is_dir) ids.emplace_back(e->d_name);  // never a symlink: DT_LNK / lstat
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

}  // namespace pm
