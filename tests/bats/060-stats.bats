#!/usr/bin/env bats
# pm-stats: output formats and their shapes (Mesos JSON checked key by key,
# Prometheus parsed strictly), the records it reads, bad input, permission, and
# containers that vanish while being read.  Real kernel, simulated host, real tools.

bats_require_minimum_version 1.5.0
load helpers
load 06-stats-helpers

setup() { stats_setup; }
teardown() { stats_teardown; }

@test "no containers: empty JSON array, empty Prometheus text, a bare table header" {
	pm 0 stats --json
	assert_output "[]"
	pm 0 stats --format prometheus
	assert_output ""
	pm 0 stats
	assert_output --regexp '^ID +RX_BYTES'
	[ "${#lines[@]}" = 1 ]
	# A state dir that does not exist at all is no different.
	pm 0 stats --state-dir "$BATS_TEST_TMPDIR/none" --json
	assert_output "[]"
}

@test "JSON has the Mesos /monitor/statistics shape, one entry per container, records read back" {
	make_container c1 31000-31009
	make_container c2
	pm 0 stats --json
	[ -z "$stderr" ]
	run check_mesos_shape <<<"$output"
	assert_success
	assert_output 2
	pm 0 stats --json
	local doc="$output"
	assert_equal "$(jq -r '[.[].source] | join(" ")' <<<"$doc")" "c1 c2"
	# The ephemeral blocks are pm-alloc's, not recomputed.
	assert_equal "$(jq -c '.[0].statistics.net_ephemeral_ports' <<<"$doc")" \
		"$(jq -c '.ephemeral_ports' "$PORTMAP_STATE_DIR/containers/c1/alloc.json")"
	assert_equal "$(jq -c '.[1].statistics.net_ephemeral_ports' <<<"$doc")" \
		"$(jq -c '.ephemeral_ports' "$PORTMAP_STATE_DIR/containers/c2/alloc.json")"
	# No shaping configured: no traffic-control entries, no limits.
	assert_equal "$(jq '[.[].statistics | has("net_traffic_control_statistics"), has("net_tx_rate_limit"), has("net_rx_rate_limit")] | any' <<<"$doc")" false
	# Named IDs: only those, in the order given.
	pm 0 stats --json c2
	assert_equal "$(jq -r '[.[].source] | join(" ")' <<<"$output")" "c2"
	pm 0 stats -j c2 c1
	assert_equal "$(jq -r '[.[].source] | join(" ")' <<<"$output")" "c2 c1"
}

@test "Prometheus text parses strictly: HELP/TYPE, _total counters, container label, no timestamps" {
	make_container c1
	make_container c2
	pm 0 stats --format prometheus --sockets --snmp
	local text="$output"
	run parse_prometheus <<<"$text"
	assert_success
	local samples="$output"
	# Every link counter for both containers, with base units in the names.
	local m id
	for id in c1 c2; do
		for m in receive_bytes receive_packets receive_errors receive_packets_dropped \
			transmit_bytes transmit_packets transmit_errors transmit_packets_dropped; do
			assert_line --regexp "^portmap_network_${m}_total\{container=\"$id\"\} [0-9]+$"
		done
		assert_line --regexp "^portmap_ephemeral_ports_begin\{container=\"$id\"\} [0-9]+$"
		assert_line --regexp "^portmap_tcp_active_connections\{container=\"$id\"\} 0$"
		assert_line --regexp "^portmap_snmp_Udp_InDatagrams_total\{container=\"$id\"\} [0-9]+$"
	done
	# The same numbers as the JSON.
	pm 0 stats --json c1
	local rx
	rx="$(jq '.[0].statistics.net_rx_packets' <<<"$output")"
	run parse_prometheus <<<"$(in_host pm-stats --format prometheus c1)"
	assert_line --regexp "^portmap_network_receive_packets_total\{container=\"c1\"\} ($rx|$((rx + 1))|$((rx + 2)))$"
	# Text that can go straight into node_exporter's textfile directory: ends with a newline.
	[ "${text: -1}" != "" ]
	[ "$(in_host pm-stats --format prometheus | tail -c1 | od -An -c | tr -d ' ')" = '\n' ]
}

@test "table: one row per container with its block; -v explains containers without a namespace" {
	make_container c1
	in_host pm-alloc allocate c3 >/dev/null # allocated, no namespace yet
	pm 0 stats
	[ "${#lines[@]}" = 2 ]
	assert_line --index 0 --regexp '^ID +RX_BYTES +RX_PKTS +RX_ERR +RX_DROP +TX_BYTES +TX_PKTS +TX_ERR +TX_DROP +TX_LIMIT +RX_LIMIT +TC +EPHEMERAL$'
	assert_line --index 1 --regexp '^c1 +[0-9]+ +[0-9]+ +0 +[0-9]+ +[0-9]+ +[0-9]+ +0 +[0-9]+ +- +- +- +20480-20735$'
	[ -z "$stderr" ]
	pm 0 stats -v
	[[ "$stderr" == *"c3: no network namespace record; skipped"* ]]
	pm 0 stats --sockets
	assert_line --index 0 --regexp 'TCP_ACTIVE +TCP_TW +RTT_P50_US +RTT_P99_US$'
}

@test "--sockets counts TCP connections and TIME_WAIT inside the namespace, with RTT percentiles" {
	make_container c1
	make_container c2
	# Three connections inside c1 (client and server ends), one closed by its client first.
	bg "$(ct_handle c1)" python3 -c '
import socket, time, os
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(8)
cli = [socket.create_connection(srv.getsockname()) for _ in range(3)]
acc = [srv.accept()[0] for _ in range(3)]
for c in cli + acc: c.sendall(b"x" * 100)
for c in cli + acc: c.recv(100)
cli[0].close()  # the side that closes first keeps TIME_WAIT
time.sleep(0.1)
acc[0].close()
time.sleep(0.1)
open(os.environ["BATS_TEST_TMPDIR"] + "/ready", "w").close()
time.sleep(30)'
	wait_until test -e "$BATS_TEST_TMPDIR/ready"
	pm 0 stats --json --sockets
	local doc="$output"
	assert_equal "$(jq '.[0].statistics.net_tcp_active_connections' <<<"$doc")" 4
	assert_equal "$(jq '.[0].statistics.net_tcp_time_wait_connections' <<<"$doc")" 1
	local p50 p99
	p50="$(jq '.[0].statistics.net_tcp_rtt_microsecs_p50' <<<"$doc")"
	p99="$(jq '.[0].statistics.net_tcp_rtt_microsecs_p99' <<<"$doc")"
	[ "$p50" -gt 0 ] && [ "$p50" -le "$p99" ]
	# The other container sees none of it.
	assert_equal "$(jq -c '.[1].statistics | [.net_tcp_active_connections, .net_tcp_time_wait_connections, has("net_tcp_rtt_microsecs_p50")]' <<<"$doc")" "[0,0,false]"
	# Without --sockets the keys are absent.
	pm 0 stats --json
	assert_equal "$(jq '.[0].statistics | has("net_tcp_active_connections")' <<<"$output")" false
}

@test "--snmp reports the namespace's own /proc/net/snmp (UDP datagrams counted inside)" {
	make_container c1
	make_container c2
	pm 0 stats --json --snmp
	local before="$output"
	in_ct c1 python3 -c '
import socket
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); r.bind(("127.0.0.1", 0))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(25): s.sendto(b"y" * 10, r.getsockname())
for _ in range(25): r.recv(100)'
	pm 0 stats --json --snmp
	local after="$output"
	local d1 d2
	d1=$(($(jq '.[0].statistics.net_snmp_statistics.udp_stats.InDatagrams' <<<"$after") - $(jq '.[0].statistics.net_snmp_statistics.udp_stats.InDatagrams' <<<"$before")))
	d2=$(($(jq '.[1].statistics.net_snmp_statistics.udp_stats.InDatagrams' <<<"$after") - $(jq '.[1].statistics.net_snmp_statistics.udp_stats.InDatagrams' <<<"$before")))
	assert_equal "$d1 $d2" "25 0"
	assert_equal "$(jq -r '.[0].statistics.net_snmp_statistics | keys | join(" ")' <<<"$after")" "icmp_stats ip_stats tcp_stats udp_stats"
	assert_equal "$(jq '.[0].statistics.net_snmp_statistics.tcp_stats.MaxConn' <<<"$after")" -1
}

@test "bad input: one line on stderr, the conventions' exit code, nothing printed, state unchanged" {
	make_container c1
	local sum
	sum="$(find "$PORTMAP_STATE_DIR" -type f -name '*.json' -exec md5sum {} + | sort)"
	local -a cases=(
		"65|../etc" "65|bad/id" "65|.." "65|c1 a:b" "65|--format xml" "64|--format" "65|--watch 0" "65|--watch -1" "65|--watch abc"
		"65|--watch 100000" "65|--listen nope" "65|--listen 70000" "65|--listen 1.2.3.4.5:80" "65|--listen [::1]"
		"66|c9" "66|c1 c9"
		"64|--bogus" "64|--json --format prometheus" "64|--format table -j" "64|--listen 9999 --json"
		"64|--listen 9999 --format json" "64|--listen 9999 --watch 1" "64|--watch 1 --json" "64|--watch 1 --format prometheus"
	)
	local c code args
	for c in "${cases[@]}"; do
		code="${c%%|*}"
		args="${c#*|}"
		# shellcheck disable=SC2086
		pm "$code" stats $args
		[ -z "$output" ] || fail "pm-stats $args printed: $output"
		[ "$(wc -l <<<"$stderr")" = 1 ] || fail "pm-stats $args: not one line: $stderr"
		[[ "$stderr" == "pm-stats: error: "* ]] || fail "pm-stats $args: $stderr"
	done
	assert_equal "$(find "$PORTMAP_STATE_DIR" -type f -name '*.json' -exec md5sum {} + | sort)" "$sum"
}

@test "without CAP_SYS_ADMIN: exit 77 before reading anything" {
	make_container c1
	run --separate-stderr in_host setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
		"$PM_BUILD/pm-stats" --state-dir "$PORTMAP_STATE_DIR" --json
	assert_equal "$status" 77
	[ -z "$output" ]
	[[ "$stderr" == "pm-stats: error: "*"CAP_SYS_ADMIN"* ]]
	# Also for a named container, and before looking it up.
	run --separate-stderr in_host setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
		"$PM_BUILD/pm-stats" --state-dir "$PORTMAP_STATE_DIR" --format prometheus c1 nosuch
	assert_equal "$status" 77
}

@test "a container whose namespace vanished is skipped with a warning; the others are reported" {
	make_container c1
	make_container c2
	make_container c3
	# c2 is torn down behind pm-netns's back between its record and its handle:
	# the record still names a handle that is no longer a namespace.
	umount "$PORTMAP_STATE_DIR/netns/c2"
	pm 0 stats --json
	assert_equal "$(jq -r '[.[].source] | join(" ")' <<<"$output")" "c1 c3"
	[[ "$stderr" == *"warning: c2: skipped: it vanished"* ]]
	pm 0 stats --format prometheus
	run parse_prometheus <<<"$output"
	assert_success
	refute_output --partial 'container="c2"'
}

@test "containers destroyed and created during pm-stats never fail the run for the others" {
	make_container keep1
	local i
	for i in 1 2 3 4 5 6; do make_container "t$i"; done
	make_container keep2
	# Churn: destroy and recreate the t* containers while pm-stats reads them.
	bg "/run/netns/$SIM_HOST" sh -c 'for r in 1 2 3; do
		for i in 1 2 3 4 5 6; do pm-netns destroy "t$i" >/dev/null; done
		for i in 1 2 3 4 5 6; do pm-netns create "t$i" >/dev/null; done
	done; touch "$BATS_TEST_TMPDIR/churned"'
	local runs=0
	while [ ! -e "$BATS_TEST_TMPDIR/churned" ] || [ "$runs" -lt 5 ]; do
		run --separate-stderr in_host pm-stats --json
		[ "$status" = 0 ] || fail "run $runs: exit $status: $stderr"
		assert_equal "$(jq -r '[.[].source | select(startswith("keep"))] | join(" ")' <<<"$output")" "keep1 keep2"
		check_mesos_shape <<<"$output" >/dev/null
		if [ -n "$stderr" ]; then
			# Only "vanished" warnings are allowed.
			run grep -v ': skipped: it vanished' <<<"$stderr"
			assert_output ""
		fi
		runs=$((runs + 1))
		[ "$runs" -lt 400 ] || fail "churn did not finish"
	done
}

@test "pm-stats loads no shared C++ runtime, fmt or HTTP library (its start-up cost; --listen has its own program)" {
	# The shared libraries it names (none when linked statically, the default).
	run readelf -d "$PM_BUILD/pm-stats"
	assert_success
	refute_output --regexp 'NEEDED.*(libstdc\+\+|libgcc_s|libfmt|httplib|libssl|libcrypto|brotli|libz\.)'
	# Exceptions and fmt still work in the statically linked runtime: an error, then formatted output.
	make_container c1
	pm 66 stats --json nope
	assert_equal "$stderr" "pm-stats: error: no such container 'nope': no network namespace record in $PORTMAP_STATE_DIR"
	pm 0 stats --format prometheus
	assert_line --regexp '^portmap_network_receive_bytes_total\{container="c1"\} [0-9]+$'
}
