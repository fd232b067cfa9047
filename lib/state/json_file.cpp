#include "state/json_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "core/diag.hpp"
#include "core/error.hpp"
#include "core/read_file.hpp"
#include "core/unique_fd.hpp"

namespace pm {
namespace {

void write_all(int fd, const std::string& data, const std::filesystem::path& path) {
    size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw system_error("cannot write " + path.string(), errno);
        }
        done += static_cast<size_t>(n);
    }
}

void fsync_dir(const std::filesystem::path& dir) {
    UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.valid()) ::fsync(fd.get());
}

// A temp file next to the target; unlinked unless committed by rename.
class TempFile {
public:
    explicit TempFile(const std::filesystem::path& target) {
        path_ = target.parent_path() / ("." + target.filename().string() + ".XXXXXX");
        std::string tmpl = path_.string();
        fd_.reset(::mkostemp(tmpl.data(), O_CLOEXEC));
        if (!fd_.valid()) throw system_error("cannot create a temporary file for " + target.string(), errno);
        path_ = tmpl;
    }
    ~TempFile() {
        if (!committed_) ::unlink(path_.c_str());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    int fd() const { return fd_.get(); }
    void commit(const std::filesystem::path& target) {
        if (::fsync(fd_.get()) != 0) throw system_error("cannot fsync " + path_.string(), errno);
        fd_.reset();
        if (::rename(path_.c_str(), target.c_str()) != 0)
            throw system_error("cannot rename " + path_.string() + " to " + target.string(), errno);
        committed_ = true;
    }

private:
    std::filesystem::path path_;
    UniqueFd fd_;
    bool committed_ = false;
};

}  // namespace

void write_json_atomic(const std::filesystem::path& path, const Json& value) {
    TempFile tmp(path);
    if (::fchmod(tmp.fd(), 0644) != 0) throw system_error("cannot chmod temporary file for " + path.string(), errno);
    write_all(tmp.fd(), value.dump(2) + "\n", path);
    tmp.commit(path);
    fsync_dir(path.parent_path());
}

std::optional<Json> read_json_file(const std::filesystem::path& path) {
    UniqueFd fd;
    return read_json_file(path, fd);
}

bool still_names(const std::filesystem::path& path, int fd) {
    struct stat open_st {}, path_st {};
    return ::fstat(fd, &open_st) == 0 && ::lstat(path.c_str(), &path_st) == 0 && open_st.st_dev == path_st.st_dev &&
           open_st.st_ino == path_st.st_ino;
}

std::optional<Json> read_json_file(const std::filesystem::path& path, UniqueFd& fd) {
    fd.reset();  // closed first, so that errno below is open's
    fd.reset(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid()) {
        if (errno == ENOENT) return std::nullopt;
        if (errno == ELOOP) throw Error(Exit::failure, "refusing to follow symlink " + path.string());
        throw system_error("cannot read " + path.string(), errno);
    }
    std::string data;
    if (!read_whole_file(fd.get(), data)) throw system_error("cannot read " + path.string(), errno);
    try {
        return Json::parse(data);
    } catch (const nlohmann::json::parse_error& e) {
        throw Error(Exit::bad_value, "corrupt state file " + path.string() + ": not valid JSON (remove it or run gc)");
    }
}

void remove_file(const std::filesystem::path& path) {
    if (::unlink(path.c_str()) != 0) {
        if (errno == ENOENT) return;
        throw system_error("cannot remove " + path.string(), errno);
    }
    fsync_dir(path.parent_path());
}

void remove_dir_if_empty(const std::filesystem::path& path) { ::rmdir(path.c_str()); }

int remove_stale_temps(const std::filesystem::path& target) {
    const std::string prefix = "." + target.filename().string() + ".";
    const size_t suffix = 6;  // mkostemp's XXXXXX
    int removed = 0;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(target.parent_path(), ec), end; !ec && it != end; it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (name.size() != prefix.size() + suffix || name.compare(0, prefix.size(), prefix) != 0) continue;
        if (it->symlink_status(ec).type() == std::filesystem::file_type::directory) continue;
        diag::info("removing " + it->path().string() + " left by an interrupted write");
        if (::unlink(it->path().c_str()) == 0) ++removed;
    }
    return removed;
}

}  // namespace pm
