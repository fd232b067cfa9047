#!/usr/bin/env bats
# pm-run end to end on a simulated host: the job is reachable from the peer on
# its own port (and only there), runs under its rlimits in its namespace with
# the PID pm-run started, gets the signals pm-run receives, and its exit status
# is pm-run's; afterwards nothing of the container is left, also when the job
# was SIGKILLed or a step failed.

bats_require_minimum_version 1.5.0
load helpers
load 07-life-helpers

setup() { life_setup; }
teardown() { life_teardown; }

@test "pm-run: server reachable from the peer on its port only, rlimits inside, SIGTERM forwarded, exit status, all gone" {
	local dir="$BATS_TEST_TMPDIR/web"
	start_run web --ports 31000,31001 --rlimit nofile=123:456 --rlimit core=0 -- python3 "$LIFE_SERVER" "$dir" 31000 31001 31100
	wait_ready web
	# The job is pm-run's child (pm-netns exec and pm-rlimit-exec exec'd into it).
	assert_equal "$(ps -o ppid= -p "$(cat "$BATS_TEST_TMPDIR/web/ready")" | tr -d ' ')" "$RUN_PID"
	run grep -E '^Max (open files|core file size) ' "$BATS_TEST_TMPDIR/web/limits"
	assert_line --regexp '^Max open files +123 +456 +files'
	assert_line --regexp '^Max core file size +0 +0 +bytes'
	assert_equal "$(cat "$BATS_TEST_TMPDIR/web/range")" "$(printf '20480\t20991')"

	run peer_get 31000
	assert_success
	assert_output "pong 31000"
	run peer_get 31001
	assert_output "pong 31001"
	# The job also listens on 31100, which web does not own: unreachable.
	run peer_get 31100
	assert_failure

	kill -TERM "$RUN_PID"
	finish "$RUN_PID"
	assert_equal "$RUN_STATUS" 42
	assert_equal "$(cat "$BATS_TEST_TMPDIR/web/signal")" TERM
	assert_equal "$(cat "$BATS_TEST_TMPDIR/web.err")" ""
	gone web
	run peer_get 31000
	assert_failure
}

@test "pm-run: SIGINT and SIGHUP are forwarded" {
	start_run a --ports 31000
	wait_ready a
	kill -INT "$RUN_PID"
	finish "$RUN_PID"
	assert_equal "$RUN_STATUS" 43
	assert_equal "$(cat "$BATS_TEST_TMPDIR/a/signal")" INT
	gone a

	start_run b -- sleep 600
	WAIT_SECONDS=15 wait_until pgrep -P "$RUN_PID" -x sleep
	kill -HUP "$RUN_PID"
	finish "$RUN_PID"
	assert_equal "$RUN_STATUS" $((128 + 1))
	gone b
}

@test "pm-run: the job's exit status is pm-run's; 126/127 when it cannot run" {
	local cmd expected
	for cmd in "true:0" "false:1" "exit 7:7" "kill -USR1 \$\$:$((128 + 10))"; do
		expected="${cmd##*:}"
		start_run st -- sh -c "${cmd%:*}"
		finish "$RUN_PID"
		assert_equal "$RUN_STATUS" "$expected"
		gone st
	done
	start_run st -- /nonexistent/cmd
	finish "$RUN_PID"
	assert_equal "$RUN_STATUS" 127
	gone st
	start_run st -- "$BATS_TEST_TMPDIR"
	finish "$RUN_PID"
	assert_equal "$RUN_STATUS" 126
	gone st
}

@test "pm-run: the job killed with SIGKILL: exit 137 and everything torn down" {
	start_run k --ports 31000
	wait_ready k
	kill -KILL "$(cat "$BATS_TEST_TMPDIR/k/ready")"
	finish "$RUN_PID"
	assert_equal "$RUN_STATUS" 137
	gone k
}

@test "pm-run: the job runs in the container's namespace with the host's address" {
	start_run ns -- sh -c 'ip -o -4 addr show dev eth0; readlink /proc/self/ns/net' 
	finish "$RUN_PID"
	assert_equal "$RUN_STATUS" 0
	run cat "$BATS_TEST_TMPDIR/ns.out"
	assert_line --index 0 --regexp "eth0 +inet $SIM_HOST_IP/$SIM_PREFIX "
	[ "${lines[1]}" != "$(in_host readlink /proc/self/ns/net)" ]
	gone ns
}

@test "pm-run: two containers at once, each reachable on its own port" {
	start_run one --ports 31000
	local one="$RUN_PID"
	start_run two --ports 31500
	local two="$RUN_PID"
	wait_ready one
	wait_ready two
	run peer_get 31000
	assert_output "pong 31000"
	run peer_get 31500
	assert_output "pong 31500"
	# Different ephemeral blocks.
	[ "$(cat "$BATS_TEST_TMPDIR/one/range")" != "$(cat "$BATS_TEST_TMPDIR/two/range")" ]
	kill -TERM "$one"
	finish "$one"
	assert_equal "$RUN_STATUS" 42
	# Stopping one leaves the other alone.
	run peer_get 31500
	assert_output "pong 31500"
	kill -TERM "$two"
	finish "$two"
	gone one
	gone two
}

@test "pm-run: an ID in use by a running container is refused and left alone" {
	start_run dup --ports 31000
	local first="$RUN_PID"
	wait_ready dup
	pm 125 in_host pm-run dup -- true
	assert_equal "$stderr" "pm-run: error: container 'dup' is already allocated (by another run? see pm-gc)"
	run peer_get 31000
	assert_output "pong 31000"
	kill -TERM "$first"
	finish "$first"
	gone dup
}

@test "pm-run: a failing step exits 125 with the tool's message and leaves nothing" {
	local before
	before="$(state_sum)"
	# allocate: ports outside the pool.
	pm 125 in_host pm-run f --ports 80 -- true
	assert_equal "${#stderr_lines[@]}" 2
	[[ "${stderr_lines[0]}" == "pm-alloc: error: "* ]]
	assert_equal "${stderr_lines[1]}" "pm-run: error: pm-alloc allocate failed (exit 65)"
	[ "$(state_sum)" = "$before" ]
	# create fails after its second step (failure injection): rolled back, allocation released.
	pm 125 in_host env PORTMAP_FAIL_AFTER_STEP=2 pm-run f -- true
	[[ "$stderr" == *"pm-run: error: pm-netns create failed (exit 1); cleaned up" ]]
	gone f
	# attach: a rate that is not one (a bare number has no unit): refused and cleaned up.
	pm 125 in_host pm-run f --egress-rate 1000 --bloat-reduction none -- true
	assert_equal "${#stderr_lines[@]}" 2
	[[ "${stderr_lines[0]}" == "pm-tc: error: "* ]]
	assert_equal "${stderr_lines[1]}" "pm-run: error: pm-tc attach failed (exit 65); cleaned up"
	gone f
	pm 125 in_host pm-run f --bloat-reduction bogus -- true
	assert_equal "${stderr_lines[-1]}" "pm-run: error: pm-tc attach failed (exit 65); cleaned up"
	gone f
}

@test "pm-run: usage errors exit 125 before anything is touched" {
	local before
	before="$(state_sum)"
	refused_run() {
		pm 125 in_host pm-run "$@"
		assert_equal "$output" ""
		[[ "$stderr" =~ ^pm-run:\ error:\ [^$'\n']*$ ]] || fail "not one pm-run error line: $stderr"
	}
	refused_run
	refused_run x
	refused_run x --
	refused_run -- true
	refused_run x --bogus -- true
	refused_run x --ports
	refused_run x y -- true
	[ "$(state_sum)" = "$before" ]
	pm 0 in_host pm-run --help
	assert_line --index 0 --regexp '^Usage: pm-run '
	pm 0 pm-run --version
	assert_output "pm-run $(cat "$REPO_ROOT/VERSION")"
}

@test "pm-run: --state-dir and --opt=value forms" {
	local other="$BATS_TEST_TMPDIR/other"
	in_host pm-alloc --state-dir "$other" init --ephemeral-ports "$POOL" --per-container 512 --ports "$PORTS" >/dev/null
	pm 0 in_host pm-run --state-dir="$other" sd --ports=31000 --rlimit=nofile=99 -- sh -c 'ulimit -n; test -e "$1/netns/sd"' sh "$other"
	assert_output 99
	[ ! -e "$PORTMAP_STATE_DIR/containers/sd" ]
	[ -z "$(ls -A "$other/containers")" ]
	umount -l "$other/netns" 2>/dev/null || true
}

@test "pm-run --egress-rate/--ingress-rate: the limits hold the container's real traffic" {
	local dir="$BATS_TEST_TMPDIR/lim" veth got
	# --bloat-reduction none: this kernel has no fq_codel (a stock one would take the default).
	start_run lim --ports 31000-31001 --egress-rate 16mbit --ingress-rate=2MB --bloat-reduction none \
		-- python3 "$LIFE_SERVER" "$dir" 31000:bulk 31001:sink
	wait_ready lim
	run in_host pm-stats --json lim
	assert_success
	assert_equal "$(jq -r '.[0].statistics.net_tx_rate_limit' <<<"$output")" 2000000
	assert_equal "$(jq -r '.[0].statistics.net_rx_rate_limit' <<<"$output")" 2097152
	# 2 MB each way through the shapers: all of it arrives, and each HTB class
	# (egress inside the container, ingress on the host veth) carried it and
	# had to hold packets back (overlimits), so the limit acted on this traffic.
	got="$(in_peer socat -u -T 20 "TCP:$SIM_HOST_IP:31000,connect-timeout=3" - | wc -c)"
	assert_equal "$got" 2000000
	got="$(head -c 2000000 /dev/zero | in_peer socat -t 30 -T 30 - "TCP:$SIM_HOST_IP:31001,connect-timeout=3")"
	assert_equal "$got" 2000000
	veth="$(jq -r .host_veth "$PORTMAP_STATE_DIR/containers/lim/netns.json")"
	htb_carried() { # NETNS-CMD... : class 1:1 sent >= 2 MB with overlimits
		"$@" tc -s class show dev "$DEV" | awk '/^class htb 1:1 / { on = 1; next } on && /Sent/ { sent = $2; for (i = 1; i <= NF; i++) if ($i == "overlimits") ov = $(i + 1); on = 0 }
			END { if (sent >= 2000000 && ov + 0 > 0) exit 0; print "sent " sent ", overlimits " ov; exit 1 }'
	}
	DEV=eth0 htb_carried nsenter --net="$PORTMAP_STATE_DIR/netns/lim"
	DEV="$veth" htb_carried in_host
	kill -TERM "$RUN_PID"
	finish "$RUN_PID"
	assert_equal "$RUN_STATUS" 42
	gone lim
}

@test "pm-run: rates with fq_codel on a kernel without it: pm-tc attach's 69 and its message, cleaned up" {
	run --separate-stderr in_host pm-run nofq --egress-rate 16mbit -- true
	[ "$status" -ne 0 ] || skip "this kernel has fq_codel"
	assert_equal "$status" 125
	assert_equal "${#stderr_lines[@]}" 2
	[[ "${stderr_lines[0]}" == "pm-tc: error: "*"sch_fq_codel"* ]]
	assert_equal "${stderr_lines[1]}" "pm-run: error: pm-tc attach failed (exit 69); cleaned up"
	gone nofq
}
