#include "state/stale_temps.hpp"

#include "state/json_file.hpp"

namespace pm {

int remove_stale_record_temps(const StateDir& state, std::initializer_list<const char*> container_files,
                              std::initializer_list<std::filesystem::path> root_files) {
    if (!state.exists()) return 0;
    int removed = 0;
    for (const auto& file : root_files) removed += remove_stale_temps(file);
    // container_ids() skips planted symlinks, so nothing here is reached through one.
    for (const auto& id : state.container_ids()) {
        const auto dir = state.container_dir(id);
        int here = 0;
        for (const char* name : container_files) here += remove_stale_temps(dir / name);
        if (here > 0) remove_dir_if_empty(dir);
        removed += here;
    }
    return removed;
}

}  // namespace pm
