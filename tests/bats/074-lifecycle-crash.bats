#!/usr/bin/env bats
# Crash consistency: every mutating command of the lifecycle (allocate, create,
# attach, update, detach, destroy, release) is killed with SIGKILL at many
# different points (a random delay up to a little more than its own run time),
# then pm-gc runs.  Afterwards nothing is left: no netns handle or mount, no
# veth, no filter or qdisc beyond pm-tc setup's, no allocation, no temp file,
# the lock is free; and at the end the pool still serves a real container.
# PM_CRASH_RUNS (default 30) sets the runs per command (7 commands).

bats_require_minimum_version 1.5.0
load helpers
load 07-life-helpers

setup() {
	life_setup
	QDISC_BASELINE="$(in_host tc qdisc show)"
	exec {SLEEP_FD}<> <(:)  # read -t on it: sub-millisecond sleeps without a process
}
teardown() { life_teardown; }

RUNS="${PM_CRASH_RUNS:-30}"
ID=k

# The steps of a lifecycle, in order; `to N` runs the first N on container k.
STEPS=(
	"pm-alloc allocate $ID --ports 31000"
	"pm-netns create $ID"
	"pm-tc attach $ID"
	"pm-alloc update $ID --ports 31001"
	"pm-tc update $ID"
	"pm-tc detach $ID"
	"pm-netns destroy $ID"
	"pm-alloc release $ID"
)
to() {
	local i
	for ((i = 0; i < $1; i++)); do
		# shellcheck disable=SC2086
		in_host ${STEPS[i]} >/dev/null || { echo "set-up step '${STEPS[i]}' failed" >&2; return 1; }
	done
}

# Nothing of k, the host as pm-tc setup left it, no temp file, the lock free.
clean() {
	local left
	left="$(cd "$PORTMAP_STATE_DIR" && find containers netns -mindepth 1 2>/dev/null)"
	[ -z "$left" ] || { echo "left in the state dir: $left" >&2; return 1; }
	left="$(cd "$PORTMAP_STATE_DIR" && find . -name '.*.??????')"
	[ -z "$left" ] || { echo "temp files left: $left" >&2; return 1; }
	! grep -q " $PORTMAP_STATE_DIR/netns/" /proc/self/mountinfo || { echo "a handle is still mounted" >&2; return 1; }
	! in_host ip -o link | grep -q ': pm[0-9a-f]' || { echo "a veth is left: $(in_host ip -br link)" >&2; return 1; }
	[ "$(tc_filters)" = "$TC_BASELINE" ] || { echo "filters left: $(diff <(echo "$TC_BASELINE") <(tc_filters))" >&2; return 1; }
	[ "$(in_host tc qdisc show)" = "$QDISC_BASELINE" ] || { echo "qdiscs changed: $(in_host tc qdisc show)" >&2; return 1; }
	flock -n "$PORTMAP_STATE_DIR/lock" true || { echo "the lock is held" >&2; return 1; }
}

# How long STEP takes here, in microseconds (best of 3, on a fresh k each time).
duration_us() {
	local n="$1" best=999999999 i t0 t1
	for i in 1 2 3; do
		to "$n"
		t0="$(date +%s%N)"
		# shellcheck disable=SC2086
		in_host ${STEPS[n]} >/dev/null
		t1="$(date +%s%N)"
		(((t1 - t0) / 1000 < best)) && best=$(((t1 - t0) / 1000))
		in_host pm-gc --empty --older-than 0 >/dev/null
		clean
	done
	echo "$best"
}

# crash N: RUNS times: set up the first N steps, start step N, SIGKILL it after
# a random delay, pm-gc, and check that nothing is left.
crash() {
	local n="$1" max run delay pid
	max=$(($(duration_us "$n") * 13 / 10))
	for ((run = 1; run <= RUNS; run++)); do
		to "$n"
		delay=$((RANDOM * 32768 + RANDOM))
		delay=$((delay % max))
		# nsenter execs the tool, so $! is the tool itself.
		# shellcheck disable=SC2086
		nsenter --net="/run/netns/$SIM_HOST" ${STEPS[n]} >/dev/null 2>&1 3>&- &
		pid=$!
		read -r -t "$(printf '0.%06d' "$delay")" -u "$SLEEP_FD" || true
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true  # (no "Killed" notice)
		run in_host pm-gc --empty --older-than 0
		[ "$status" -eq 0 ] || fail "'${STEPS[n]}' killed after ${delay}us (run $run): pm-gc failed: $output"
		clean || fail "'${STEPS[n]}' killed after ${delay}us (run $run): not clean after pm-gc"
	done
}

@test "SIGKILL during pm-alloc allocate, then pm-gc: nothing left" { crash 0; }
@test "SIGKILL during pm-netns create, then pm-gc: nothing left" { crash 1; }
@test "SIGKILL during pm-tc attach, then pm-gc: nothing left" { crash 2; }
@test "SIGKILL during pm-alloc update, then pm-gc: nothing left" { crash 3; }
@test "SIGKILL during pm-tc update, then pm-gc: nothing left" { crash 4; }
@test "SIGKILL during pm-tc detach, then pm-gc: nothing left" { crash 5; }
@test "SIGKILL during pm-netns destroy, then pm-gc: nothing left" { crash 6; }
@test "SIGKILL during pm-alloc release, then pm-gc: nothing left" { crash 7; }

@test "after crashes at every step, the pool still serves a container with real traffic" {
	local n
	RUNS=3
	for ((n = 0; n < ${#STEPS[@]}; n++)); do crash "$n"; done
	start_run after --ports 31000
	wait_ready after
	run peer_get 31000
	assert_output "pong 31000"
	kill -TERM "$RUN_PID"
	finish "$RUN_PID"
	assert_equal "$RUN_STATUS" 42
	clean
}
