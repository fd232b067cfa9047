#!/usr/bin/env bats
# Concurrency: 8 pm-run lifecycles started and stopped at the same time,
# repeated.  Every container gets its own ephemeral block (no overlap), every
# one is reachable from the peer and from the others on its own port, and
# after each round nothing is left.  PM_PARALLEL_ROUNDS (default 5) rounds.

bats_require_minimum_version 1.5.0
load helpers
load 07-life-helpers

setup() {
	life_setup
	# Room for 16 containers of 256 ephemeral ports.
	in_host pm-alloc init --ephemeral-ports 20480-24575 --per-container 256 --ports "$PORTS" >/dev/null
}
teardown() { life_teardown; }

N=8
ROUNDS="${PM_PARALLEL_ROUNDS:-5}"

# ct_get ID PORT: what container ID receives from the host IP on TCP PORT.
ct_get() { nsenter --net="$PORTMAP_STATE_DIR/netns/$1" socat -T 3 - "TCP:$SIM_HOST_IP:$2,connect-timeout=3" </dev/null; }

@test "8 lifecycles in parallel, $ROUNDS rounds: disjoint ports, all traffic delivered, nothing left" {
	local round i j pids ranges b e pb pe
	for ((round = 1; round <= ROUNDS; round++)); do
		pids=()
		for ((i = 0; i < N; i++)); do
			rm -rf "$BATS_TEST_TMPDIR/p$i"
			start_run "p$i" --ports $((31000 + i)) --rlimit nofile=$((100 + i))
			pids+=("$RUN_PID")
		done
		for ((i = 0; i < N; i++)); do wait_ready "p$i" || fail "round $round: p$i not ready: $(cat "$BATS_TEST_TMPDIR/p$i.err")"; done

		# Ephemeral blocks: inside the pool, pairwise disjoint.
		ranges="$(for ((i = 0; i < N; i++)); do cat "$BATS_TEST_TMPDIR/p$i/range"; done | sort -n)"
		pe=0
		while read -r b e; do
			[ "$b" -ge 20480 ] && [ "$e" -le 24575 ] && [ $((e - b)) -eq 255 ] || fail "round $round: bad block $b-$e"
			[ "$b" -gt "$pe" ] || fail "round $round: blocks overlap: $ranges"
			pe="$e"
		done <<<"$ranges"
		assert_equal "$(wc -l <<<"$ranges")" "$N"

		for ((i = 0; i < N; i++)); do
			grep -qE "^Max open files +$((100 + i)) " "$BATS_TEST_TMPDIR/p$i/limits" || fail "round $round: p$i limits"
			# Peer -> each container, and container i -> container i+1 through the host IP.
			j=$(((i + 1) % N))
			assert_equal "$(peer_get $((31000 + i)))" "pong $((31000 + i))"
			assert_equal "$(ct_get "p$i" $((31000 + j)))" "pong $((31000 + j))"
		done

		# Stop them all at once.
		kill -TERM "${pids[@]}"
		for ((i = 0; i < N; i++)); do
			finish "${pids[i]}"
			assert_equal "$RUN_STATUS" 42
			assert_equal "$(cat "$BATS_TEST_TMPDIR/p$i.err")" ""
		done
		for ((i = 0; i < N; i++)); do gone "p$i"; done
		LIFE_PIDS=()
	done
	run peer_get 31000
	assert_failure
}
