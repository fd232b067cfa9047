#!/usr/bin/env bats
# pm-tc steering with real traffic, TCP and UDP for every row: two containers
# on the simulated host's one IP (c1 owns 20480-20991 + 31000-31009, c2 owns
# 20992-21503 + 31010-31019), a peer outside, and the host itself.

bats_require_minimum_version 1.5.0
load helpers
load 04-tc-helpers

setup() {
	tc_setup
	tc_attached c1:31000-31009 c2:31010-31019
}
teardown() { tc_teardown; }

H=198.51.100.10

@test "peer -> container: its own port, another container's port, an unowned port" {
	for p in tcp udp; do
		serve c1 "$p" 31000
		serve c2 "$p" 31010
		serve c1 "$p" 31600  # c1 listens on a port nobody owns
		serve host "$p" 31600
		delivered peer "$p" "$H" 31000 c1
		delivered peer "$p" "$H" 31010 c2
		# The unowned port is the host's: its server answers, c1's never sees it.
		delivered peer "$p" "$H" 31600 host
		[ ! -s "$(log_of c1 "$p" 31600)" ]
	done
	# c1's port with nobody listening in c1 is not answered by anyone else.
	serve c2 tcp 31005
	serve host tcp 31005
	not_delivered peer tcp "$H" 31005 c2 host
}

@test "host -> container via the host IP and via 127.0.0.1" {
	for p in tcp udp; do
		serve c1 "$p" 31001
		serve c2 "$p" 31011
		delivered host "$p" "$H" 31001 c1
		delivered host "$p" 127.0.0.1 31001 c1
		delivered host "$p" "$H" 31011 c2
		delivered host "$p" 127.0.0.1 31011 c2
	done
}

@test "container -> other container via the host IP and 127.0.0.1; container -> itself" {
	for p in tcp udp; do
		serve c1 "$p" 31002
		serve c2 "$p" 31012
		delivered c2 "$p" "$H" 31002 c1
		delivered c2 "$p" 127.0.0.1 31002 c1
		delivered c1 "$p" "$H" 31012 c2
		delivered c1 "$p" 127.0.0.1 31012 c2
		delivered c1 "$p" 127.0.0.1 31002 c1
		delivered c1 "$p" "$H" 31002 c1
	done
}

@test "container -> peer from its ephemeral block and from a bound port; container -> host" {
	for p in tcp udp; do
		serve peer "$p" 8080
		serve host "$p" 9090
		delivered c1 "$p" 198.51.100.1 8080 peer
		SPORT=31003 delivered c1 "$p" 198.51.100.1 8080 peer
		delivered c2 "$p" 198.51.100.1 8080 peer
		delivered c1 "$p" "$H" 9090 host
		delivered c1 "$p" 127.0.0.1 9090 host
	done
	# The peer saw c1 and c2 from the host IP, from ports of their own blocks.
	local line port
	while read -r line; do
		port="${line##*:}"
		[[ "${line#* }" == "$H:"* ]]
		((port >= 20480 && port <= 21503)) || [ "$port" = 31003 ]
	done <"$(log_of peer tcp 8080)"
	grep -q " $H:31003\$" "$(log_of peer udp 8080)"
}

@test "a container server outside its blocks is unreachable; its packets from such ports never leave" {
	for p in tcp udp; do
		serve c1 "$p" 31500
		not_delivered peer "$p" "$H" 31500 c1
		not_delivered host "$p" "$H" 31500 c1
		not_delivered host "$p" 127.0.0.1 31500 c1
		not_delivered c2 "$p" "$H" 31500 c1
		serve peer "$p" 8081
		serve host "$p" 9091
		# c1 sending from 31501, a port it does not own: neither the peer nor the host hears it.
		SPORT=31501 not_delivered c1 "$p" 198.51.100.1 8081 peer
		SPORT=31501 not_delivered c1 "$p" "$H" 9091 host
	done
}

@test "ping and ARP from a container work; the host's own traffic to the peer is unaffected" {
	run in_ct c1 busybox ping -c 2 -W 2 198.51.100.1
	assert_success
	assert_output --partial "2 packets received"
	in_ct c1 ip neigh flush dev eth0
	run in_ct c1 busybox arping -c 1 -w 2 -I eth0 198.51.100.1
	assert_success
	assert_output --partial "Received 1 response"
	run in_ct c1 busybox ping -c 1 -W 2 127.0.0.1
	assert_success
	run in_host busybox ping -c 1 -W 2 198.51.100.1
	assert_success
	for p in tcp udp; do
		serve peer "$p" 8082
		delivered host "$p" 198.51.100.1 8082 peer
	done
	# The peer pinging the host gets answers (the host's, and the containers' copies).
	run in_peer busybox ping -c 1 -W 2 "$H"
	assert_success
}

@test "show: every filter of a container with counters that move with its traffic" {
	serve c1 udp 31007
	pm 0 pmtc --json show c1
	local before
	before="$(jq '[.filters[] | select(.role == "in") | .packets] | add' <<<"$output")"
	for i in 1 2 3; do delivered peer udp "$H" 31007 c1; done
	pm 0 pmtc --json show c1
	assert_equal "$(jq -r '.id, .state, .host_veth' <<<"$output" | paste -sd' ')" "c1 attached $(veth_of c1)"
	assert_equal "$(jq '[.filters[] | select(.present | not)] | length' <<<"$output")" 0
	(($(jq '[.filters[] | select(.role == "in") | .packets] | add' <<<"$output") >= before + 3))
	(($(jq '[.filters[] | select(.role == "out") | .packets] | add' <<<"$output") >= 3))
	# Human form: one line per filter plus the header; all present.
	pm 0 pmtc show c1
	assert_equal "$(($(wc -l <<<"$output") - 1))" "$(jq '.filters | length' "$PORTMAP_STATE_DIR/containers/c1/tc.json")"
	refute_output --partial missing
	# Without an ID: both containers, with an ID column.
	pm 0 pmtc show
	assert_line --regexp '^ID +DEV +PRIO +HANDLE'
	assert_line --regexp '^c2 '
	pm 0 pmtc --json show
	assert_equal "$(jq -r '[.[].id] | join(",")' <<<"$output")" c1,c2
}
