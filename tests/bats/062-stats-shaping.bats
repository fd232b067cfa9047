#!/usr/bin/env bats
# bats file_tags=stock-kernel
# pm-stats and traffic control: an entry per shaping element present, with
# counters that move with real traffic, and no entry without shaping.  HTB alone
# runs on this machine's kernel; the fq_codel leaves (bloat_reduction) run in the
# stock-kernel lane (make vm-test) and skip here.
#
# The shapers are made by pm-tc attach/update (--egress-rate/--ingress-rate), laid
# out as Mesos lays them out (section 3.2 of the reference): egress HTB 1: at the
# root of the container's eth0 with class 1:1, ingress HTB at the root of the
# host-side veth, fq_codel under 1:1 for bloat reduction (--bloat-reduction).

bats_require_minimum_version 1.5.0
load helpers
load 06-stats-helpers
load ../vm/stock-kernel

setup() {
	stats_setup
	two_steered_containers
	VETH1="$(jq -r .host_veth "$PORTMAP_STATE_DIR/containers/c1/netns.json")"
}
teardown() { stats_teardown; }

COUNT=300
PAYLOAD=1000

# shape_c1 LEAF: limits (1 Gbit/s, far above the test's rate) on both sides of
# c1 with pm-tc update, LEAF (fq_codel or none) under 1:1.
shape_c1() {
	in_host pm-tc update c1 --egress-rate 1gbit --ingress-rate 1gbit --bloat-reduction "$1" >/dev/null
}

# UDP both ways between the peer and c1 (COUNT datagrams each way).
traffic_c1() {
	udp_sink "$(ct_handle c1)" 31000
	udp_send "$(peer_handle)" "$SIM_HOST_IP" 31000 "$COUNT" "$PAYLOAD"
	udp_send "$(ct_handle c1)" "$SIM_PEER_IP" 9 "$COUNT" "$PAYLOAD" 31001
}

# tc_field JSON ID ELEMENT FIELD
tc_field() {
	jq -r --arg id "$2" --arg e "$3" --arg f "$4" \
		'.[] | select(.source == $id) | .statistics.net_traffic_control_statistics // [] | .[] | select(.id == $e) | .[$f]' "$1"
}

# check_moving BEFORE AFTER ELEMENT: packets and bytes of c1's ELEMENT grew by the traffic.
check_moving() {
	local dp db
	dp=$(($(tc_field "$2" c1 "$3" packets) - $(tc_field "$1" c1 "$3" packets)))
	db=$(($(tc_field "$2" c1 "$3" bytes) - $(tc_field "$1" c1 "$3" bytes)))
	[ "$dp" -ge "$COUNT" ] || fail "$3: packets +$dp < $COUNT"
	[ "$db" -ge $((COUNT * PAYLOAD)) ] || fail "$3: bytes +$db < $((COUNT * PAYLOAD))"
}

@test "without shaping there is no traffic-control entry, even with traffic" {
	traffic_c1
	pm 0 stats --json
	assert_equal "$(jq '[.[].statistics | has("net_traffic_control_statistics")] | any' <<<"$output")" false
	pm 0 stats --format prometheus
	refute_output --partial portmap_tc_
}

@test "HTB alone (no bloat reduction): bw_limit and ingress_bw_limit appear with moving counters; c2 has none" {
	shape_c1 none
	stats --json >"$BATS_TEST_TMPDIR/before.json"
	assert_equal "$(jq -r '.[] | select(.source == "c1") | [.statistics.net_traffic_control_statistics[].id] | join(" ")' \
		"$BATS_TEST_TMPDIR/before.json")" "bw_limit ingress_bw_limit"
	assert_equal "$(jq '.[] | select(.source == "c2") | .statistics | has("net_traffic_control_statistics")' \
		"$BATS_TEST_TMPDIR/before.json")" false
	traffic_c1
	stats --json >"$BATS_TEST_TMPDIR/after.json"
	check_mesos_shape <"$BATS_TEST_TMPDIR/after.json" >/dev/null
	check_moving "$BATS_TEST_TMPDIR/before.json" "$BATS_TEST_TMPDIR/after.json" bw_limit
	check_moving "$BATS_TEST_TMPDIR/before.json" "$BATS_TEST_TMPDIR/after.json" ingress_bw_limit
	# The egress element counted what c1's eth0 sent: the same order of bytes.
	local tc_tx link_tx
	tc_tx="$(tc_field "$BATS_TEST_TMPDIR/after.json" c1 bw_limit bytes)"
	link_tx="$(stat_of "$BATS_TEST_TMPDIR/after.json" c1 net_tx_bytes)"
	[ "$tc_tx" -le "$link_tx" ] || fail "bw_limit bytes $tc_tx > eth0 tx bytes $link_tx"
	# Prometheus and the table show the elements too.
	pm 0 stats --format prometheus
	run parse_prometheus <<<"$output"
	assert_success
	assert_line --regexp '^portmap_tc_packets_total\{container="c1",element="bw_limit"\} [0-9]+$'
	assert_line --regexp '^portmap_tc_bytes_total\{container="c1",element="ingress_bw_limit"\} [0-9]+$'
	refute_output --partial 'container="c2",element='
	pm 0 stats
	assert_line --regexp '^c1 .* bw_limit,ingress_bw_limit +20480-20735$'
	assert_line --regexp '^c2 .* - +20736-20991$'
	# The limits pm-tc recorded, in bytes/s (Mesos's net_tx/rx_rate_limit).
	assert_equal "$(stat_of "$BATS_TEST_TMPDIR/after.json" c1 net_tx_rate_limit)" 125000000
	assert_equal "$(stat_of "$BATS_TEST_TMPDIR/after.json" c1 net_rx_rate_limit)" 125000000
	# Taking the shaper off (pm-tc update ... none) takes the entries and limits away.
	in_host pm-tc update c1 --egress-rate none --ingress-rate none >/dev/null
	pm 0 stats --json c1
	assert_equal "$(jq '.[0].statistics | has("net_traffic_control_statistics")' <<<"$output")" false
	assert_equal "$(jq '.[0].statistics | has("net_tx_rate_limit") or has("net_rx_rate_limit")' <<<"$output")" false
}

@test "stock kernel: HTB + fq_codel: all four elements, bloat_reduction counters move" {
	require_qdisc fq_codel
	shape_c1 fq_codel
	stats --json >"$BATS_TEST_TMPDIR/before.json"
	assert_equal "$(jq -r '.[] | select(.source == "c1") | [.statistics.net_traffic_control_statistics[].id] | join(" ")' \
		"$BATS_TEST_TMPDIR/before.json")" "bw_limit bloat_reduction ingress_bw_limit ingress_bloat_reduction"
	traffic_c1
	stats --json >"$BATS_TEST_TMPDIR/after.json"
	check_mesos_shape <"$BATS_TEST_TMPDIR/after.json" >/dev/null
	local e
	for e in bw_limit bloat_reduction ingress_bw_limit ingress_bloat_reduction; do
		check_moving "$BATS_TEST_TMPDIR/before.json" "$BATS_TEST_TMPDIR/after.json" "$e"
	done
}
