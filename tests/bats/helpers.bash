# Shared helpers for the Bats suite.  Load with `load helpers` at the top of
# every tests/bats/NNN-*.bats file.
#
# - Every test gets its own state dir ($PORTMAP_STATE_DIR) under $BATS_TEST_TMPDIR;
#   nothing touches /run/portmap.
# - `pm EXPECTED TOOL ARGS...` runs a tool, asserts its exit status and keeps
#   $output / $status / $stderr for assertions (podman's run_podman pattern).
# - `sim_host_create` builds a simulated host: netns "$SIM_HOST" with eth0
#   198.51.100.10/24 (default route via the peer) veth-wired to netns "$SIM_PEER"
#   (198.51.100.1/24).  `in_host`/`in_peer` run commands there with nsenter.
#   `sim_host_destroy` (called by default_teardown) removes everything.
# Names of test namespaces start with "pmt-" so the leak check can find strays.

bats_load_library bats-support 2>/dev/null || load /usr/lib/bats/bats-support/load
bats_load_library bats-assert 2>/dev/null || load /usr/lib/bats/bats-assert/load

REPO_ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
PM_BUILD="${PM_BUILD:-$REPO_ROOT/build}"
export PATH="$PM_BUILD:$REPO_ROOT/scripts:$PATH"

SIM_HOST_IP=198.51.100.10
SIM_PEER_IP=198.51.100.1
SIM_PREFIX=24

default_setup() {
    export PORTMAP_STATE_DIR="$BATS_TEST_TMPDIR/state"
    SIM_TAG="$(printf '%04x%04x' $$ "${BATS_TEST_NUMBER:-0}")"
    SIM_HOST="pmt-h-$SIM_TAG"
    SIM_PEER="pmt-p-$SIM_TAG"
    SIM_CREATED=0
}

default_teardown() {
    # Every namespace handle the tools bind-mounted under the state dir.
    if [ -d "$PORTMAP_STATE_DIR/netns" ]; then
        local h
        for h in "$PORTMAP_STATE_DIR"/netns/*; do
            [ -e "$h" ] || continue
            umount -l "$h" 2>/dev/null || true
        done
        umount -l "$PORTMAP_STATE_DIR/netns" 2>/dev/null || true
    fi
    [ "$SIM_CREATED" = 1 ] && sim_host_destroy
    return 0
}

setup() { default_setup; }
teardown() { default_teardown; }

# pm EXPECTED_STATUS TOOL [ARGS...]: run a tool and check its exit status.
pm() {
    local expected="$1"
    shift
    run --separate-stderr "$@"
    if [ "$status" -ne "$expected" ]; then
        echo "command: $*" >&2
        echo "expected exit $expected, got $status" >&2
        echo "stdout: $output" >&2
        echo "stderr: $stderr" >&2
        return 1
    fi
}

# Run a command inside the simulated host / peer.
in_host() { nsenter --net="/run/netns/$SIM_HOST" "$@"; }
in_peer() { nsenter --net="/run/netns/$SIM_PEER" "$@"; }

sim_host_create() {
    ip netns add "$SIM_HOST"
    SIM_CREATED=1
    ip netns add "$SIM_PEER"
    ip -n "$SIM_HOST" link add eth0 type veth peer name eth0 netns "$SIM_PEER"
    ip -n "$SIM_HOST" link set lo up
    ip -n "$SIM_PEER" link set lo up
    ip -n "$SIM_HOST" addr add "$SIM_HOST_IP/$SIM_PREFIX" dev eth0
    ip -n "$SIM_PEER" addr add "$SIM_PEER_IP/$SIM_PREFIX" dev eth0
    ip -n "$SIM_HOST" link set eth0 up
    ip -n "$SIM_PEER" link set eth0 up
    ip -n "$SIM_HOST" route add default via "$SIM_PEER_IP"
    # A known host ephemeral range, so pool checks do not depend on this machine.
    in_host sh -c 'echo "32768 60999" > /proc/sys/net/ipv4/ip_local_port_range'
}

sim_host_destroy() {
    local ns pid
    for ns in "$SIM_HOST" "$SIM_PEER"; do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    done
    ip netns del "$SIM_PEER" 2>/dev/null || true
    ip netns del "$SIM_HOST" 2>/dev/null || true
    SIM_CREATED=0
}

# Run a tool as an unprivileged user (for exit 77 checks).
NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all)
as_nobody() { "${NOBODY[@]}" "$@"; }  # inside the simulated host: in_host "${NOBODY[@]}" CMD

# Wait until COMMAND succeeds, up to SECONDS (default 5).
wait_until() {
    local secs="${WAIT_SECONDS:-5}" i=0
    while ! "$@" 2>/dev/null; do
        i=$((i + 1))
        [ "$i" -ge $((secs * 20)) ] && return 1
        sleep 0.05
    done
}

# A fingerprint of the state dir: names, inodes (an atomic rewrite changes the
# inode), modes, sizes, and the contents of regular files; namespace handles
# (nsfs mounts under netns/) are listed, not read.
state_sum() {
    [ -d "$PORTMAP_STATE_DIR" ] || { echo absent; return; }
    (
        cd "$PORTMAP_STATE_DIR" || exit 1
        find . -printf '%p %i %m %s\n' | sort
        find . -path ./netns -prune -o -type f -print0 | sort -z | xargs -0 -r sha256sum
    ) | sha256sum
}

# command_refused STATUS REGEX CMD...: CMD exits STATUS with exactly one stderr line
# "pm-TOOL: error: ..." matching REGEX, prints nothing on stdout, and leaves the
# state dir as it was.  With REFUSED_BY=pm-TOOL set, that must be the tool.
command_refused() {
    local expected="$1" regex="$2" before tool="${REFUSED_BY:-pm-[a-z-]+}"
    shift 2
    before="$(state_sum)"
    pm "$expected" "$@" || return 1
    [ -z "$output" ] || { echo "$*: unexpected stdout: $output" >&2; return 1; }
    if [ "$(printf '%s\n' "$stderr" | wc -l)" -ne 1 ] || ! [[ "$stderr" =~ ^$tool:\ error:\ .*$regex ]]; then
        echo "$*: stderr is not one '$tool: error: .*$regex' line:" >&2
        echo "$stderr" >&2
        return 1
    fi
    [ "$(state_sum)" = "$before" ] || { echo "$*: the state dir changed" >&2; return 1; }
}
