#include "netns/ip_netns_link.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "core/diag.hpp"
#include "core/error.hpp"
#include "netns/names.hpp"

namespace pm::netns {
namespace fs = std::filesystem;

namespace {

bool points_to(const fs::path& link, const fs::path& target) {
    std::error_code ec;
    return fs::is_symlink(fs::symlink_status(link, ec)) && fs::read_symlink(link, ec) == target;
}

}  // namespace

void check_ip_netns_free(const std::string& id, const fs::path& handle) {
    fs::path link = fs::path(kIpNetnsDir) / ip_netns_name(id);
    std::error_code ec;
    if (fs::exists(fs::symlink_status(link, ec)) && !points_to(link, fs::absolute(handle)))
        throw Error(Exit::conflict, link.string() + " already exists (another namespace has that name)");
}

fs::path link_ip_netns(const std::string& id, const fs::path& handle, UndoStack& undo) {
    fs::path dir = kIpNetnsDir;
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) throw system_error("cannot create " + dir.string(), errno);
    fs::path link = dir / ip_netns_name(id);
    fs::path target = fs::absolute(handle);
    if (::symlink(target.c_str(), link.c_str()) != 0) {
        if (errno == EEXIST && points_to(link, target)) return link;
        if (errno == EEXIST) throw Error(Exit::conflict, link.string() + " already exists (another namespace has that name)");
        throw system_error("cannot create " + link.string(), errno);
    }
    diag::info("linked " + link.string() + " -> " + target.string());
    undo.push("remove " + link.string(), [link] {
        if (::unlink(link.c_str()) != 0 && errno != ENOENT) throw system_error("unlink", errno);
    });
    return link;
}

bool unlink_ip_netns(const fs::path& link, const fs::path& handle) {
    if (!points_to(link, fs::absolute(handle))) return false;
    if (::unlink(link.c_str()) != 0 && errno != ENOENT) throw system_error("cannot remove " + link.string(), errno);
    return true;
}

}  // namespace pm::netns
