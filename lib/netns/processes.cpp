#include "netns/processes.hpp"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>

namespace pm::netns {

std::vector<pid_t> pids_in_netns(ino_t netns_inode) {
    std::vector<pid_t> out;
    if (netns_inode == 0) return out;
    std::unique_ptr<DIR, int (*)(DIR*)> proc(::opendir("/proc"), ::closedir);
    if (!proc) return out;
    const std::string want = "net:[" + std::to_string(netns_inode) + "]";
    char target[64];
    while (dirent* e = ::readdir(proc.get())) {
        char* end = nullptr;
        long pid = std::strtol(e->d_name, &end, 10);
        if (*end != '\0' || pid <= 0) continue;
        std::string link = std::string("/proc/") + e->d_name + "/ns/net";
        ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
        if (n <= 0) continue;  // gone, a kernel thread, or not ours to see
        if (want.compare(0, std::string::npos, target, static_cast<size_t>(n)) == 0) out.push_back(static_cast<pid_t>(pid));
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace pm::netns
