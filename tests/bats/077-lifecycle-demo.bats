#!/usr/bin/env bats
# The README's main job, `make demo` (scripts/demo): the full lifecycle on a
# simulated host runs to the end, shows the traffic it promises, and leaves
# nothing behind: no namespace, mount, state dir or process; also when it is
# interrupted with Ctrl-C (SIGINT) half-way.  Its own namespaces start with
# pmt-demo- so the leak check would see strays.

bats_require_minimum_version 1.5.0
load helpers

# Everything the demo could leave behind.
demo_traces() {
	ip netns list | grep -o '^pmt-demo-[a-z]*-[0-9]*' || true
	ls -d /tmp/pm-demo.* 2>/dev/null || true
	grep -o ' /tmp/pm-demo\.[^ ]*' /proc/self/mountinfo || true
	pgrep -f '/tmp/pm-demo\.' || true
}

@test "scripts/demo: containers reachable on their own ports, an unowned port refused, stats, nothing left" {
	local before
	before="$(demo_traces)"
	pm 0 "$REPO_ROOT/scripts/demo"
	# Peer -> each container, host -> container, container -> container, container -> peer.
	assert_line --regexp '^peer# socat -u TCP:198\.51\.100\.10:31000,'
	assert_line --regexp '^web answers on port 31000 \(pid [0-9]+, open files limit 256\)$'
	assert_line --regexp '^api answers on port 31100 '
	assert_line --regexp '^db answers on port 31200 \(pid [0-9]+, open files limit 64\)$'
	assert_line --regexp '^host# pm-netns exec web -- socat -u TCP:198\.51\.100\.10:31100,'
	assert_line --regexp '^peer sees you as 198\.51\.100\.10 port [0-9]+$'
	# ... from web's own ephemeral block.
	local port
	port="$(sed -n 's/^peer sees you as 198\.51\.100\.10 port //p' <<<"$output")"
	[ "$port" -ge 20480 ] && [ "$port" -le 21503 ] || fail "source port $port is not in web's block"
	# The port web's job listens on but does not own.
	assert_line --partial 'Connection refused'
	assert_line '# unreachable, as it should be'
	# Rate limit: both downloads complete (their speed is shown, not asserted);
	# api's limits, with HTB alone where the kernel lacks fq_codel.
	assert_equal "$(grep -c '^1000000 bytes in ' <<<"$output")" 2
	assert_line --regexp '^host# pm-tc attach api --egress-rate 8mbit --ingress-rate 8mbit( --bloat-reduction=none)?$'
	assert_line --regexp '^api( +[0-9]+){8} +8Mbit +8Mbit '
	assert_line --regexp '^ID +RX_BYTES +RX_PKTS '
	assert_line --regexp '^db +[0-9]+ '
	assert_line '== done =='
	assert_equal "$stderr" ""
	assert_equal "$(demo_traces)" "$before"
}

@test "scripts/demo interrupted with Ctrl-C half-way: exit 130, nothing left" {
	local before pid status=0
	before="$(demo_traces)"
	# Background jobs of a non-interactive shell ignore SIGINT; give the demo the default.
	env --default-signal=INT "$REPO_ROOT/scripts/demo" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	WAIT_SECONDS=30 wait_until grep -q '^== traffic ==' "$BATS_TEST_TMPDIR/out"
	kill -INT "$pid"
	wait "$pid" || status=$?
	assert_equal "$status" 130
	run cat "$BATS_TEST_TMPDIR/err"
	assert_line --partial "demo: stopped (exit 130)"
	assert_equal "$(demo_traces)" "$before"
}

@test "scripts/demo as a user without root: 77 with one message" {
	pm 77 as_nobody "$REPO_ROOT/scripts/demo"
	assert_equal "$stderr" "demo: error: run as root (it creates network namespaces)"
}
