#!/usr/bin/env bats
# pm-alloc under concurrency and crashes: 16 shells allocating and releasing
# at once never hand out overlapping ports and never corrupt the state; a
# kill -9 at any moment leaves a readable, consistent state.

bats_require_minimum_version 1.5.0
load helpers
load 01-alloc-helpers

# One client shell: ROUNDS x (allocate with a contended port, release an older
# one); every exit status goes to $BATS_TEST_TMPDIR/status.N.
client() {
	local n="$1" rounds="$2" j rc
	for ((j = 0; j < rounds; j++)); do
		# (bats runs with errexit: keep failures from ending the shell)
		rc=0
		alloc --wait 60 allocate "c$n-$j" --ports "$((31000 + (3 * n + j) % 40))" >/dev/null 2>&1 || rc=$?
		echo "allocate $rc"
		if ((j >= 2)); then
			rc=0
			alloc --wait 60 release "c$n-$((j - 2))" >/dev/null 2>&1 || rc=$?
			echo "release $rc"
		fi
	done >"$BATS_TEST_TMPDIR/status.$n"
}

@test "16 shells allocating and releasing at once: no overlap at any time, no corruption" {
	# 16 blocks of 64 for up to 48 live containers, and 40 ports each wanted by
	# two or three shells: exhaustion (75) and port conflicts (73) happen on purpose.
	pm 0 alloc init --ephemeral-ports 20480-21503 --per-container 64 --ports 31000-31039
	local pids=() n
	for n in $(seq 16); do
		client "$n" 12 &
		pids+=($!)
	done
	# Meanwhile, snapshots taken under the shared lock must be consistent.
	local snapshots=0 live=1
	while [ "$live" = 1 ]; do
		live=0
		for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && live=1; done
		run --separate-stderr alloc --wait 60 list --json
		assert_equal "$status" 0
		jq -e '
			([.[] | .ephemeral_ports | range(.begin; .end + 1)] | length) as $n |
			([.[] | .ephemeral_ports | range(.begin; .end + 1)] | unique | length) == $n and
			([.[] | .ports[] | range(.begin; .end + 1)] | length) ==
			([.[] | .ports[] | range(.begin; .end + 1)] | unique | length)' <<<"$output" >/dev/null ||
			fail "overlapping allocations in a snapshot: $output"
		snapshots=$((snapshots + 1))
	done
	for pid in "${pids[@]}"; do wait "$pid"; done
	# Only 0 (done), 73 (port taken) and 75 (pool exhausted) may occur.
	run sh -c "cat '$BATS_TEST_TMPDIR'/status.* | sort | uniq -c"
	echo "$output"
	refute_output --regexp 'allocate (1|6[4-9]|77)'
	refute_output --regexp 'release [^0]'
	assert_output --regexp 'allocate 0'
	assert_output --regexp 'allocate 75'
	echo "$snapshots snapshots"
	check_state_consistent
	pm 0 alloc status
	# Everything released: the whole pool is free again.
	local id
	for id in $(ls "$PORTMAP_STATE_DIR/containers"); do pm 0 alloc release "$id"; done
	pm 0 alloc --json status
	assert_equal "$(jq -c '[.blocks_used, .blocks_free]' <<<"$output")" '[0,16]'
	assert_equal "$(ls -A "$PORTMAP_STATE_DIR/containers")" ""
}

@test "16 shells racing for the last blocks: exactly as many win as fit" {
	pm 0 alloc init --ephemeral-ports 20480-22527 --per-container 256
	local pids=() n
	for n in $(seq 16); do
		(
			rc=0
			alloc --wait 60 allocate "r$n" >/dev/null 2>&1 || rc=$?
			echo "$rc" >"$BATS_TEST_TMPDIR/race.$n"
		) &
		pids+=($!)
	done
	for pid in "${pids[@]}"; do wait "$pid"; done
	run sh -c "cat '$BATS_TEST_TMPDIR'/race.* | sort | uniq -c"
	assert_line --regexp '^ +8 0$'
	assert_line --regexp '^ +8 75$'
	check_state_consistent
}

@test "kill -9 at random moments during allocate/release loops leaves a consistent state" {
	pm 0 alloc init --ephemeral-ports 20480-24575 --per-container 256 --ports 31000-31015
	local i pid killed=0 id
	# The shell reports every killed job on stderr: keep that noise out of the
	# test output (fd 9 keeps the real stderr for the checks).
	exec 9>&2 2>/dev/null
	for i in $(seq 150); do
		id="k$((RANDOM % 12))"
		if ((RANDOM % 2)); then
			alloc --wait 60 allocate "$id" --ports "$((31000 + RANDOM % 16))" >/dev/null 2>&1 &
		else
			alloc --wait 60 release "$id" >/dev/null 2>&1 &
		fi
		pid=$!
		# 0-14 ms: before, during or after the write (a call takes a few ms).
		sleep "$(printf '0.%03d' $((RANDOM % 15)))"
		kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
		{ wait "$pid" || true; } 2>/dev/null
		# After every kill the state must already be readable and consistent.
		if ((i % 10 == 0)); then
			pm 0 alloc list --json 2>&9
			check_state_consistent 2>&9
		fi
	done
	exec 2>&9 9>&-
	echo "killed $killed of 150 calls before they finished;" \
		"$(find "$PORTMAP_STATE_DIR" -name '.*.json.*' | wc -l) temp files left by killed writers"
	check_state_consistent
	pm 0 alloc --json status
	local used
	used="$(jq .blocks_used <<<"$output")"
	echo "$used containers hold blocks"
	assert_equal "$(jq .blocks_free <<<"$output")" "$((16 - used))"
	# The lock is free and every ID can still be allocated and released.
	for i in $(seq 0 11); do
		pm 0 alloc --wait 0 release "k$i"
	done
	for i in $(seq 0 11); do pm 0 alloc --wait 0 allocate "k$i"; done
	check_state_consistent
	for i in $(seq 0 11); do pm 0 alloc --wait 0 release "k$i"; done
	# Temp files a killed writer left behind are cleaned up by later writes.
	assert_equal "$(find "$PORTMAP_STATE_DIR" -name '.*.json.*')" ""
	assert_equal "$(ls -A "$PORTMAP_STATE_DIR/containers")" ""
}

@test "a write killed before its rename leaves only a temp file: ignored, then cleaned up" {
	pm 0 alloc init --ephemeral-ports 20480-24575 --ports 31000-31015
	pm 0 alloc allocate web --ports 31000
	# What a writer killed between creating its temp file and rename(2) leaves.
	mkdir "$PORTMAP_STATE_DIR/containers/new"
	printf '{"id":"new","ephemeral_po' >"$PORTMAP_STATE_DIR/containers/new/.alloc.json.Ab12Cd"
	printf '{"id":"web","ephemeral_ports":{"begin":20480,"end":21503},"ports":[{"begin":310' \
		>"$PORTMAP_STATE_DIR/containers/web/.alloc.json.Xy34Zw"
	printf '{"ephemeral_ports":[{"begin":2' >"$PORTMAP_STATE_DIR/.pool.json.Qq56Rr"
	pm 0 alloc list
	assert_output "$(printf '%s\n' 'ID   EPHEMERAL    PORTS' 'web  20480-21503  31000')"
	pm 66 alloc show new
	pm 0 alloc allocate new --ports 31001
	[ ! -e "$PORTMAP_STATE_DIR/containers/new/.alloc.json.Ab12Cd" ]
	pm 0 alloc release web
	[ ! -e "$PORTMAP_STATE_DIR/containers/web" ]
	pm 0 alloc init --ephemeral-ports 20480-28671 --ports 31000-31015
	assert_equal "$(find "$PORTMAP_STATE_DIR" -name '.*.json.*')" ""
	check_state_consistent
}
