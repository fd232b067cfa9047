#!/usr/bin/env bats
# pm-stats with real traffic: a known number of UDP datagrams and bytes between
# the peer and a container (steered by pm-tc) moves that container's counters by
# at least that much, in the right direction, and not another container's.

bats_require_minimum_version 1.5.0
load helpers
load 06-stats-helpers

setup() {
	stats_setup
	two_steered_containers
}
teardown() { stats_teardown; }

# UDP payload + UDP/IP/Ethernet headers: the least a datagram adds to a link counter.
PAYLOAD=1000
FRAME=$((PAYLOAD + 8 + 20 + 14))
COUNT=200

# transfer SINK_HANDLE PORT FROM_HANDLE TO_IP [SRC_PORT]: COUNT datagrams of
# PAYLOAD bytes to PORT, all received (the sink proves it), between two
# `pm-stats --json` snapshots $B (before) and $A (after).
transfer() {
	B="$BATS_TEST_TMPDIR/before.json" A="$BATS_TEST_TMPDIR/after.json"
	udp_sink "$1" "$2" "$COUNT"
	stats --json >"$B"
	udp_send "$3" "$4" "$2" "$COUNT" "$PAYLOAD" ${5:+"$5"}
	WAIT_SECONDS=15 wait_until test -e "$BATS_TEST_TMPDIR/received"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/received")" "$COUNT"
	stats --json >"$A"
}

# moved_only DIR OTHER: c1's DIR (rx/tx) packets and bytes grew by at least what
# was sent; c1's OTHER bytes and c2's DIR bytes did not (a few ARP/ICMP frames at most).
moved_only() {
	local p b o c2
	p=$(delta "$B" "$A" c1 "net_$1_packets")
	b=$(delta "$B" "$A" c1 "net_$1_bytes")
	o=$(delta "$B" "$A" c1 "net_$2_bytes")
	c2=$(delta "$B" "$A" c2 "net_$1_bytes")
	[ "$p" -ge "$COUNT" ] || fail "c1 $1_packets +$p < $COUNT"
	[ "$b" -ge $((COUNT * FRAME)) ] || fail "c1 $1_bytes +$b < $((COUNT * FRAME))"
	[ "$o" -lt $((COUNT * PAYLOAD / 10)) ] || fail "c1 $2_bytes +$o"
	[ "$c2" -lt $((COUNT * PAYLOAD / 10)) ] || fail "c2 $1_bytes +$c2"
}

@test "peer -> container: rx_bytes/rx_packets grow by at least what was sent; tx and the other container do not" {
	transfer "$(ct_handle c1)" 31000 "$(peer_handle)" "$SIM_HOST_IP"
	moved_only rx tx
	# Prometheus reports the same counter.
	local prom
	prom="$(stats --format prometheus c1 | sed -n 's/^portmap_network_receive_bytes_total{container="c1"} //p')"
	[ "$prom" -ge "$(stat_of "$A" c1 net_rx_bytes)" ]
}

@test "container -> peer: tx_bytes/tx_packets grow by at least what was sent; rx and the other container do not" {
	# From c1's own port: the steering sends it out of the host's eth0.
	transfer "$(peer_handle)" 9999 "$(ct_handle c1)" "$SIM_PEER_IP" 31001
	moved_only tx rx
}

@test "--watch shows per-second rates that follow real traffic" {
	udp_sink "$(ct_handle c1)" 31002
	# Up to ~900 datagrams of 1000 bytes per second into c1, for longer than the watch runs.
	udp_send "$(peer_handle)" "$SIM_HOST_IP" 31002 5000 "$PAYLOAD" >/dev/null 2>&1 3>&- &
	STATS_PIDS+=($!)
	run --separate-stderr timeout -s TERM 3.5 nsenter --net="/run/netns/$SIM_HOST" pm-stats --watch 1
	# Killed by timeout (124) after drawing a few tables (not a tty: no screen clearing).
	assert_equal "$status" 124
	[[ "$output" != *$'\033'* ]]
	assert_line --regexp '^Every 1s, [0-9]{2}:[0-9]{2}:[0-9]{2}$'
	assert_line --regexp '^ID +RX/s +TX/s +RX_PKT/s +TX_PKT/s +RX_DROP/s +TX_DROP/s +TC_DROP/s$'
	# The last c1 row: a receive rate in KB/s and tens or hundreds of packets/s; c2 stays near 0.
	local c1_row c2_row
	c1_row="$(grep '^c1 ' <<<"$output" | tail -1)"
	c2_row="$(grep '^c2 ' <<<"$output" | tail -1)"
	read -r _ rx _ rx_pps _ <<<"$c1_row"
	[[ "$rx" =~ ^[0-9.]+(KB|MB)/s$ ]] || fail "c1 rx rate '$rx' in: $c1_row"
	awk -v p="$rx_pps" 'BEGIN { exit !(p >= 50) }' || fail "c1 rx packets/s $rx_pps"
	read -r _ rx2 _ <<<"$c2_row"
	[[ "$rx2" =~ ^[0-9]+B/s$ ]] || fail "c2 rx rate '$rx2'"
}
