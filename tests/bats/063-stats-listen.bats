#!/usr/bin/env bats
# pm-stats --listen: GET /monitor/statistics and GET /metrics from live data,
# 404 for other paths, 405 for other methods, 50 concurrent scrapes, loopback by
# default, clean stop on SIGTERM.  The server and curl run in the simulated host.

bats_require_minimum_version 1.5.0
load helpers
load 06-stats-helpers

setup() { stats_setup; }
teardown() { stats_teardown; }

# start_server [ARGS...]: pm-stats --listen in the background; sets SERVER_PID and URL.
# $STATS_BIN: the pm-stats to run (default: the one on PATH).
start_server() {
	local log="$BATS_TEST_TMPDIR/server.log"
	# nsenter execs pm-stats, which execs its server program, so $! is the server itself.
	nsenter --net="/run/netns/$SIM_HOST" "${STATS_BIN:-pm-stats}" --listen "$@" 2>"$log" >/dev/null 3>&- &
	SERVER_PID=$!
	STATS_PIDS+=("$SERVER_PID")
	wait_until grep -q 'listening on' "$log" || fail "server did not start: $(cat "$log")"
	URL="$(sed -n 's/^pm-stats: listening on \(http:[^ ]*\)$/\1/p' "$log")"
	[ -n "$URL" ]
}

hcurl() { in_host curl -sS --max-time 10 "$@"; }

@test "both endpoints answer live data in their formats; other paths 404; other methods 405" {
	make_container c1
	make_container c2
	start_server 127.0.0.1:0
	[[ "$URL" == http://127.0.0.1:* ]]

	run hcurl -D "$BATS_TEST_TMPDIR/h1" "$URL/monitor/statistics"
	assert_success
	grep -qi '^content-type: application/json' "$BATS_TEST_TMPDIR/h1"
	run check_mesos_shape <<<"$output"
	assert_output 2

	run hcurl -D "$BATS_TEST_TMPDIR/h2" "$URL/metrics"
	assert_success
	grep -qi '^content-type: text/plain; version=0.0.4' "$BATS_TEST_TMPDIR/h2"
	run parse_prometheus <<<"$output"
	assert_success
	assert_line --regexp '^portmap_network_transmit_packets_total\{container="c2"\} [0-9]+$'

	# Live: c1 sends (its gateway ARP requests leave eth0), the next scrape shows it.
	local tx0 tx1
	tx0="$(hcurl "$URL/monitor/statistics" | jq '.[0].statistics.net_tx_packets')"
	in_ct c1 python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"x", ("198.51.100.77", 9)); time.sleep(1.5)' || true
	tx1="$(hcurl "$URL/monitor/statistics" | jq '.[0].statistics.net_tx_packets')"
	[ "$tx1" -gt "$tx0" ] || fail "tx_packets did not move: $tx0 -> $tx1"

	local path method
	for path in / /nope /metrics/ /monitor /monitor/statistics/x /METRICS; do
		assert_equal "$(hcurl -o /dev/null -w '%{http_code}' "$URL$path")" 404
	done
	for method in POST PUT DELETE PATCH OPTIONS; do
		for path in /metrics /monitor/statistics; do
			run hcurl -o /dev/null -D - -X "$method" -d 'x=1' "$URL$path"
			assert_line --regexp '^HTTP/1.1 405'
			assert_line --regexp '^Allow: GET, HEAD'
		done
	done
	assert_equal "$(hcurl -o /dev/null -w '%{http_code}' -X POST "$URL/nope")" 404
	assert_equal "$(hcurl -o /dev/null -w '%{http_code}' -I "$URL/metrics")" 200

	# Still serving after all that; SIGTERM stops it with status 0.
	assert_equal "$(hcurl -o /dev/null -w '%{http_code}' "$URL/metrics")" 200
	kill -TERM "$SERVER_PID"
	local rc=0
	wait "$SERVER_PID" || rc=$?
	assert_equal "$rc" 0
	run hcurl "$URL/metrics"
	assert_failure
}

@test "50 concurrent scrapes of each endpoint all succeed with complete documents" {
	local i
	for i in 1 2 3 4; do make_container "c$i"; done
	start_server 0 --sockets
	local dir="$BATS_TEST_TMPDIR/scrapes"
	mkdir -p "$dir"
	for i in $(seq 1 50); do
		hcurl -o "$dir/$i.json" -w '%{http_code}\n' "$URL/monitor/statistics" >"$dir/$i.json.code" &
		hcurl -o "$dir/$i.prom" -w '%{http_code}\n' "$URL/metrics" >"$dir/$i.prom.code" &
	done
	wait_all=0
	for i in $(jobs -p); do [ "$i" = "$SERVER_PID" ] || wait "$i" || wait_all=1; done
	[ "$wait_all" = 0 ] || fail "some curl failed"
	assert_equal "$(cat "$dir"/*.code | sort | uniq -c | awk '{print $1, $2}')" "100 200"
	for i in $(seq 1 50); do
		assert_equal "$(check_mesos_shape <"$dir/$i.json")" 4
		parse_prometheus <"$dir/$i.prom" | grep -c '^portmap_tcp_active_connections' | grep -qx 4
	done
	kill -0 "$SERVER_PID"
}

@test "binds 127.0.0.1 when only a port is given; a busy address fails with exit 1" {
	start_server 0
	[[ "$URL" == http://127.0.0.1:* ]]
	local port="${URL##*:}"
	run in_host ss -Hltn "sport = :$port"
	assert_output --regexp "127\.0\.0\.1:$port "
	# The same address again: one clear error, exit 1.
	run --separate-stderr in_host pm-stats --listen "127.0.0.1:$port"
	assert_equal "$status" 1
	[[ "$stderr" == "pm-stats: error: cannot listen on 127.0.0.1:$port: "* ]]
	# IPv6 loopback in brackets.
	run --separate-stderr timeout -s TERM 1 nsenter --net="/run/netns/$SIM_HOST" pm-stats --listen '[::1]:0'
	[[ "$stderr" == *"listening on http://[::1]:"* ]]
}

@test "a container destroyed while the server runs disappears from the next scrape; the server stays up" {
	make_container c1
	make_container c2
	start_server 0
	assert_equal "$(hcurl "$URL/monitor/statistics" | jq -r '[.[].source] | join(" ")')" "c1 c2"
	in_host pm-netns destroy c1 >/dev/null
	assert_equal "$(hcurl "$URL/monitor/statistics" | jq -r '[.[].source] | join(" ")')" "c2"
	run parse_prometheus <<<"$(hcurl "$URL/metrics")"
	assert_success
	refute_output --partial 'container="c1"'
	make_container c3
	assert_equal "$(hcurl "$URL/monitor/statistics" | jq -r '[.[].source] | join(" ")')" "c2 c3"
}

@test "--listen runs the separate server program in the same process, from the build tree or an installed tree" {
	make_container c1
	start_server 0
	# pm-stats itself does not load the HTTP library; its server does, in pm-stats's PID.
	run readelf -d "$PM_BUILD/pm-stats"
	assert_success
	refute_output --regexp 'NEEDED.*httplib'
	run readelf -d "$PM_BUILD/libexec/portmap/pm-stats-listen"
	assert_output --regexp 'NEEDED.*httplib'
	assert_equal "$(readlink "/proc/$SERVER_PID/exe")" "$(realpath "$PM_BUILD/libexec/portmap/pm-stats-listen")"
	assert_equal "$(tr '\0' ' ' <"/proc/$SERVER_PID/cmdline")" "pm-stats --listen 0 "
	kill -TERM "$SERVER_PID"
	wait "$SERVER_PID"

	# Installed with another PREFIX: sbin/pm-stats finds libexec/portmap/ of its own tree.
	local dest="$BATS_TEST_TMPDIR/root"
	run make --no-print-directory -C "$REPO_ROOT" BUILD="$(realpath --relative-to="$REPO_ROOT" "$PM_BUILD")" \
		install DESTDIR="$dest" PREFIX=/opt/pmt
	assert_success
	STATS_BIN="$dest/opt/pmt/sbin/pm-stats" start_server 0
	assert_equal "$(readlink "/proc/$SERVER_PID/exe")" "$dest/opt/pmt/libexec/portmap/pm-stats-listen"
	run parse_prometheus <<<"$(hcurl "$URL/metrics")"
	assert_success
	assert_output --partial 'container="c1"'
	kill -TERM "$SERVER_PID"
	wait "$SERVER_PID"

	# Without its server program: one clear line, exit 1, nothing listening.
	[ ! -e /usr/local/libexec/portmap/pm-stats-listen ] || skip "a pm-stats-listen is installed in /usr/local"
	rm "$dest/opt/pmt/libexec/portmap/pm-stats-listen"
	run --separate-stderr in_host "$dest/opt/pmt/sbin/pm-stats" --listen 0
	assert_equal "$status" 1
	assert_equal "$output" ""
	[[ "$stderr" == "pm-stats: error: cannot start the HTTP server pm-stats-listen (tried $dest/opt/pmt/sbin/libexec/portmap/pm-stats-listen, "*": No such file or directory" ]] ||
		fail "unexpected: $stderr"
	assert_equal "$(wc -l <<<"$stderr")" 1
}
