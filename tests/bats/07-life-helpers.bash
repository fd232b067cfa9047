# Helpers for the lifecycle Bats files (070-079).  Load after `load helpers`.
#
# Every test gets a simulated host with a pool (4 containers of 512 ephemeral
# ports, non-ephemeral ports 31000-31999) and pm-tc set up, and runs pm-run
# there in the background with 07-life-server.py as the container's job.

LIFE_SERVER="$BATS_TEST_DIRNAME/07-life-server.py"
POOL=20480-22527
PORTS=31000-31999
LIFE_PIDS=()

life_setup() {
	default_setup
	sim_host_create
	in_host pm-alloc init --ephemeral-ports "$POOL" --per-container 512 --ports "$PORTS" >/dev/null
	in_host pm-tc setup >/dev/null
	TC_BASELINE="$(tc_filters)"
}

life_teardown() {
	local pid h
	for pid in "${LIFE_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	for pid in "${LIFE_PIDS[@]}"; do WAIT_SECONDS=10 wait_until not_alive "$pid" || kill -9 "$pid" 2>/dev/null || true; done
	# Jobs a killed pm-run left running inside container namespaces.
	for h in "$PORTMAP_STATE_DIR"/netns/*; do
		[ -e "$h" ] && kill_in_netns "$h"
	done
	default_teardown
}

not_alive() { ! kill -0 "$1" 2>/dev/null; }

# SIGKILL every process whose network namespace is the one behind handle $1.
kill_in_netns() {
	local ino p
	ino="$(stat -L -c %i "$1" 2>/dev/null)" || return 0
	for p in /proc/[0-9]*; do
		[ "$(stat -L -c %i "$p/ns/net" 2>/dev/null)" = "$ino" ] && kill -9 "${p#/proc/}" 2>/dev/null
	done
	return 0
}

# start_run ID [OPTIONS...] [-- CMD...]: pm-run ID in the simulated host, in the
# background (signals at their defaults, as a scheduler would start it); CMD
# defaults to the server on the container's ports given with --ports.  Sets
# RUN_PID; the job's files go to $BATS_TEST_TMPDIR/ID/, pm-run's own output to
# $BATS_TEST_TMPDIR/ID.out and .err.
start_run() {
	local id="$1" dir="$BATS_TEST_TMPDIR/$1" ports="" args=()
	shift
	mkdir -p "$dir"
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		[ "$1" = --ports ] && ports="$2"
		args+=("$1")
		shift
	done
	if [ $# -gt 0 ]; then
		shift
	else
		set -- python3 "$LIFE_SERVER" "$dir" ${ports//,/ }
	fi
	# nsenter (not the in_host function) so that $! is pm-run itself.
	nsenter --net="/run/netns/$SIM_HOST" env --default-signal pm-run "$id" "${args[@]}" -- "$@" \
		</dev/null >"$BATS_TEST_TMPDIR/$id.out" 2>"$BATS_TEST_TMPDIR/$id.err" 3>&- &
	RUN_PID=$!
	LIFE_PIDS+=("$RUN_PID")
}

# wait_ready ID: the server of ID is listening.
wait_ready() { WAIT_SECONDS=15 wait_until test -e "$BATS_TEST_TMPDIR/$1/ready"; }

# finish PID: wait (at most 20 s) for pm-run PID to end; sets RUN_STATUS.
finish() {
	WAIT_SECONDS=20 wait_until not_alive "$1" || { echo "pm-run $1 did not end" >&2; return 1; }
	RUN_STATUS=0
	wait "$1" || RUN_STATUS=$?
}

# peer_get PORT: what the peer receives from the host IP on TCP PORT.
peer_get() { in_peer socat -T 3 - "TCP:$SIM_HOST_IP:$1,connect-timeout=3" </dev/null; }

# Every ingress filter on the simulated host's eth0 and lo (what pm-tc made).
tc_filters() {
	local dev
	for dev in eth0 lo; do in_host tc filter show dev "$dev" ingress | sed "s/^/$dev: /"; done
}

no_pm_veth() { ! in_host ip -o link | grep -q ': pm[0-9a-f]'; }

# gone ID: nothing of container ID is left: no state, no namespace handle or
# mount, no filter beyond pm-tc setup's; and (for tests whose containers are
# all gone by then) no pm* veth in the host and no allocation at all.
gone() {
	local id="$1"
	[ ! -e "$PORTMAP_STATE_DIR/containers/$id" ] || { echo "containers/$id left: $(ls -A "$PORTMAP_STATE_DIR/containers/$id")" >&2; return 1; }
	[ ! -e "$PORTMAP_STATE_DIR/netns/$id" ] || { echo "handle netns/$id left" >&2; return 1; }
	! grep -q " $PORTMAP_STATE_DIR/netns/$id " /proc/self/mountinfo || { echo "mount of $id left" >&2; return 1; }
	# A veth whose namespace destroy released goes with the kernel's cleanup
	# within milliseconds: up to 2 s, as tests/leak-check and nothing_left give it.
	WAIT_SECONDS=2 wait_until no_pm_veth || { echo "a pm* veth is left in the host" >&2; return 1; }
	[ "$(tc_filters)" = "$TC_BASELINE" ] || { echo "filters left:" >&2; diff <(echo "$TC_BASELINE") <(tc_filters) >&2; return 1; }
	[ -z "$(in_host pm-alloc list --json | jq -r '.[].id')" ] || { echo "allocations left" >&2; return 1; }
}

# has_gc TOOL: TOOL has a gc command (pm-gc skips the ones that do not yet).
has_gc() { "$1" --help 2>/dev/null | grep -q '^  gc '; }
