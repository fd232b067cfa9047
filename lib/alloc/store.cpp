#include "alloc/store.hpp"

#include <unistd.h>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

#include "alloc/allocator.hpp"
#include "alloc/host_range.hpp"
#include "core/container_id.hpp"
#include "core/diag.hpp"
#include "core/error.hpp"
#include "state/json_file.hpp"
#include "state/lock.hpp"
#include "state/read_beneath.hpp"

namespace pm::alloc {
namespace {

constexpr const char* kAllocFile = "alloc.json";

Error no_pool(const StateDir& dir) {
    return Error(Exit::not_found, "no pool defined in " + dir.root().string() + " (run pm-alloc init first)");
}

// True only when the state dir certainly does not exist (ENOENT): any other
// failure (EACCES for an unprivileged caller) goes on to the lock and is reported there.
bool state_absent(const StateDir& dir) {
    struct stat st {};
    return ::lstat(dir.root().c_str(), &st) != 0 && errno == ENOENT;
}

Error unknown(const std::string& id) {
    return Error(Exit::not_found, "container '" + id + "' has no allocation");
}

// Runs a step that writes to the state dir; a permission error gets the hint
// every unprivileged caller needs.
template <typename F>
auto writing(const StateDir& dir, F&& step) {
    try {
        return step();
    } catch (const Error& e) {
        if (e.code() != Exit::permission) throw;
        throw Error(Exit::permission, std::string(e.what()) + " (changing " + dir.root().string() + " needs root)");
    }
}

StateLock exclusive_lock(const StateDir& dir, double wait) {
    return writing(dir, [&] {
        dir.ensure();
        return StateLock(dir.lock_file(), wait, LockMode::exclusive);
    });
}

std::optional<AllocRecord> load_record(const StateDir& dir, const std::string& id) {
    std::error_code ec;
    if (std::filesystem::is_symlink(dir.container_dir(id), ec))
        throw Error(Exit::failure, "refusing to follow symlink " + dir.container_dir(id).string() + " in the state directory");
    auto record = load_alloc(dir, id);
    if (record && record->id != id)
        throw Error(Exit::bad_value, "corrupt state file " + dir.container_file(id, kAllocFile).string() + ": its id '" +
                                         record->id + "' does not match the directory");
    return record;
}

// Every record: allocate and update check against all of them, so this is
// the part of those commands that grows with the number of containers.  Each
// file is read with one openat2 under the containers directory (no symlink
// followed, as load_record guarantees with its lstats); whatever that cannot
// read or parse cleanly goes through load_record, which reports it.
std::vector<AllocRecord> load_records(const StateDir& dir) {
    std::vector<AllocRecord> records;
    const auto ids = dir.container_ids();
    if (ids.empty()) return records;
    const UniqueFd containers = open_dir_nofollow(dir.containers_dir());
    std::string text;
    for (const auto& id : ids) {
        if (containers.valid()) {
            const ReadBeneath got = read_beneath(containers.get(), id + "/" + kAllocFile, text);
            if (got == ReadBeneath::missing) continue;
            if (got == ReadBeneath::ok) {
                try {
                    AllocRecord r = AllocRecord::from_json(Json::parse(text));
                    if (r.id == id) {
                        records.push_back(std::move(r));
                        continue;
                    }
                } catch (const std::exception&) {
                    // corrupt: load_record below says so with the file's name
                }
            }
        }
        if (auto r = load_record(dir, id)) records.push_back(std::move(*r));
    }
    return records;
}

// pool.json as init would have accepted it (the host's range aside).
std::optional<PoolConfig> load_valid_pool(const StateDir& dir) {
    auto pool = load_pool(dir);
    if (pool) {
        try {
            validate_pool(*pool, std::nullopt);
        } catch (const Error& e) {
            throw Error(Exit::bad_value, "corrupt state file " + dir.pool_file().string() + ": " + e.what());
        }
    }
    return pool;
}

PoolConfig require_pool(const StateDir& dir) {
    auto pool = load_valid_pool(dir);
    if (!pool) throw no_pool(dir);
    return *pool;
}

// What a change of one record runs under: the exclusive lock, and the pool and
// records it is checked against.  `absent` is thrown when there is no state dir.
struct LockedState {
    StateLock lock;
    PoolConfig pool;
    std::vector<AllocRecord> records;

    const AllocRecord* find(const std::string& id) const {
        auto it = std::find_if(records.begin(), records.end(), [&](const AllocRecord& r) { return r.id == id; });
        return it == records.end() ? nullptr : &*it;
    }
};

LockedState lock_for_change(const StateDir& dir, double wait, const std::string& id, const Error& absent) {
    validate_container_id(id);
    if (state_absent(dir)) throw absent;
    StateLock lock = exclusive_lock(dir, wait);
    PoolConfig pool = require_pool(dir);
    return {std::move(lock), std::move(pool), load_records(dir)};
}

void write_record(const StateDir& dir, const AllocRecord& record) {
    const auto file = dir.container_file(record.id, kAllocFile);
    const bool had_dir = std::filesystem::is_directory(dir.container_dir(record.id));
    writing(dir, [&] {
        dir.ensure_container_dir(record.id);
        remove_stale_temps(file);
        try {
            write_json_atomic(file, record.to_json());
        } catch (...) {
            if (!had_dir) remove_dir_if_empty(dir.container_dir(record.id));  // leave no trace of a failed allocate
            throw;
        }
    });
}

}  // namespace

bool Store::init(const PoolConfig& pool) {
    // Values and the host's range first: a refused init touches nothing.
    validate_pool(pool, read_host_ephemeral_range());
    auto lock = exclusive_lock(dir_, wait_);
    auto current = load_valid_pool(dir_);
    if (current && *current == pool) {
        diag::info("pool unchanged in " + dir_.pool_file().string());
        return false;
    }
    for (const auto& record : load_records(dir_))
        if (auto why = misfit(pool, record))
            throw Error(Exit::conflict, "cannot change the pool: container '" + record.id + "' does not fit it: " + *why +
                                            " (release it first)");
    writing(dir_, [&] {
        remove_stale_temps(dir_.pool_file());
        write_json_atomic(dir_.pool_file(), pool.to_json());
    });
    diag::info("wrote " + dir_.pool_file().string() + ": ephemeral ports " + pool.ephemeral.to_string() + ", " +
               std::to_string(pool.per_container) + " per container, ports " + ports_or_none(pool.ports));
    return true;
}

Store::Result Store::allocate(const std::string& id, const PortSet& ports) {
    const auto state = lock_for_change(dir_, wait_, id, no_pool(dir_));
    if (const AllocRecord* r = state.find(id)) {
        if (r->ports == ports) {
            diag::info("container '" + id + "' already holds " + r->ephemeral.to_string());
            return {*r, false};
        }
        throw Error(Exit::conflict, "container '" + id + "' is already allocated with ports " + ports_or_none(r->ports) +
                                        " (use pm-alloc update to change them)");
    }
    check_ports(state.pool, id, ports, state.records);
    AllocRecord record = place(state.pool, id, ports, state.records);
    write_record(dir_, record);
    diag::info("allocated ephemeral ports " + record.ephemeral.to_string() + " to '" + id + "' in " +
               dir_.container_file(id, kAllocFile).string());
    return {record, true};
}

Store::Result Store::update(const std::string& id, const PortSet& ports) {
    const auto state = lock_for_change(dir_, wait_, id, unknown(id));
    const AllocRecord* current = state.find(id);
    if (!current) throw unknown(id);
    if (current->ports == ports) {
        diag::info("container '" + id + "' already has ports " + ports_or_none(ports));
        return {*current, false};
    }
    check_ports(state.pool, id, ports, state.records);
    AllocRecord record = *current;
    record.ports = ports;
    write_record(dir_, record);
    diag::info("changed the ports of '" + id + "' to " + ports_or_none(ports));
    return {record, true};
}

bool Store::release(const std::string& id) {
    validate_container_id(id);
    if (state_absent(dir_)) return false;
    auto lock = exclusive_lock(dir_, wait_);
    const auto file = dir_.container_file(id, kAllocFile);
    try {
        if (!load_record(dir_, id)) {
            diag::info("container '" + id + "' holds no allocation");
            return false;
        }
    } catch (const Error& e) {
        if (e.code() != Exit::bad_value) throw;
        diag::warning(std::string(e.what()) + "; removing it");  // release is how an admin clears a broken record
    }
    writing(dir_, [&] {
        remove_stale_temps(file);
        remove_file(file);
        remove_dir_if_empty(dir_.container_dir(id));
    });
    diag::info("released the allocation of '" + id + "' (removed " + file.string() + ")");
    return true;
}

std::vector<Store::GcEntry> Store::gc(const OrphanProbe& orphaned, bool release_orphans, double older_than) {
    std::vector<GcEntry> entries;
    if (state_absent(dir_)) return entries;
    auto lock = exclusive_lock(dir_, wait_);
    writing(dir_, [&] { remove_stale_temps(dir_.pool_file()); });
    const auto now = std::filesystem::file_time_type::clock::now();
    for (const auto& id : dir_.container_ids()) {
        const auto file = dir_.container_file(id, kAllocFile);
        writing(dir_, [&] { remove_stale_temps(file); });
        std::optional<AllocRecord> record;
        try {
            record = load_record(dir_, id);
        } catch (const Error& e) {
            if (e.code() != Exit::bad_value) throw;
            diag::warning(std::string(e.what()) + "; kept (pm-alloc release " + id + " removes it)");
            continue;
        }
        if (!record) {
            remove_dir_if_empty(dir_.container_dir(id));  // an allocate killed before its rename
            continue;
        }
        auto reason = orphaned(id);
        if (!reason) continue;
        bool release = release_orphans;
        if (release && older_than > 0) {
            std::error_code ec;
            const auto mtime = std::filesystem::last_write_time(file, ec);
            release = !ec && std::chrono::duration<double>(now - mtime).count() >= older_than;
        }
        if (release) {
            writing(dir_, [&] {
                remove_file(file);
                remove_dir_if_empty(dir_.container_dir(id));
            });
            diag::info("released the allocation of '" + id + "' (" + *reason + ")");
        }
        entries.push_back({std::move(*record), std::move(*reason), release});
    }
    return entries;
}

AllocRecord Store::show(const std::string& id) const {
    validate_container_id(id);
    auto record = load_record(dir_, id);
    if (!record) throw unknown(id);
    return *record;
}

std::vector<AllocRecord> Store::list() const {
    if (state_absent(dir_)) return {};
    StateLock lock(dir_.lock_file(), wait_, LockMode::shared);
    return load_records(dir_);
}

Snapshot Store::snapshot() const {
    if (state_absent(dir_)) throw no_pool(dir_);
    StateLock lock(dir_.lock_file(), wait_, LockMode::shared);
    PoolConfig pool = require_pool(dir_);
    return {std::move(pool), load_records(dir_)};
}

}  // namespace pm::alloc
