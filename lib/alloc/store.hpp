// pm-alloc's files in the state dir: pool.json and containers/ID/alloc.json
// (records.hpp formats).  Every mutation runs under the exclusive state lock
// and changes exactly one file with one atomic rename or unlink, so a kill -9
// at any moment leaves either the old or the new state.
//
// Consistency: which blocks are used is never stored on its own; it is the
// union of the alloc.json records, so no two files can disagree after a crash.
// pool.json is replaced only when every record still fits the new pool, and a
// record is written only after it was checked against pool.json and all other
// records under the same lock.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ports/port_set.hpp"
#include "state/records.hpp"
#include "state/state_dir.hpp"

namespace pm::alloc {

struct Snapshot {
    PoolConfig pool;
    std::vector<AllocRecord> records;  // sorted by ID
};

class Store {
public:
    Store(StateDir dir, double wait_seconds) : dir_(std::move(dir)), wait_(wait_seconds) {}

    // Defines or redefines the pool (validate_pool with the host's range of the
    // current netns).  Returns false when pool.json already held `pool`.
    // Error(conflict) naming the first record that would not fit a changed pool.
    bool init(const PoolConfig& pool);

    struct Result {
        AllocRecord record;
        bool changed;  // false: already in the requested state
    };
    // New record with a first-fit block; the same ports again is a no-op,
    // other ports Error(conflict).  Error(not_found) without a pool.
    Result allocate(const std::string& id, const PortSet& ports);
    // New non-ephemeral ports for an existing record; Error(not_found) without one.
    Result update(const std::string& id, const PortSet& ports);
    // Removes the record (also a corrupt one, with a warning); false when there was none.
    bool release(const std::string& id);

    // gc: under the exclusive lock, removes temp files killed writers left and
    // reports every record `orphaned` gives a reason for (e.g. "no namespace").
    // Those are released only with `release_orphans` and when their alloc.json
    // is at least `older_than` seconds old: an allocation normally precedes the
    // namespace, so releasing is the caller's explicit choice.  Corrupt
    // records are kept with a warning (release ID clears them).
    struct GcEntry {
        AllocRecord record;
        std::string reason;
        bool released;
    };
    using OrphanProbe = std::function<std::optional<std::string>(const std::string& id)>;
    std::vector<GcEntry> gc(const OrphanProbe& orphaned, bool release_orphans, double older_than);

    // Readers: no lock for one file, a shared lock for a consistent snapshot.
    AllocRecord show(const std::string& id) const;  // Error(not_found) when unknown
    std::vector<AllocRecord> list() const;
    Snapshot snapshot() const;  // Error(not_found) without a pool

private:
    StateDir dir_;
    double wait_;
};

}  // namespace pm::alloc
