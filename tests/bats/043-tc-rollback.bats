#!/usr/bin/env bats
# pm-tc failure handling: a failed attach or update removes what it added;
# records of interrupted runs are cleaned up; detach works after the
# container's veth and namespace are gone.

bats_require_minimum_version 1.5.0
load helpers
load 04-tc-helpers

setup() {
	tc_setup
	tc_attached c1:31000-31009
	container c2 31030
}
teardown() { tc_teardown; }

H=198.51.100.10

@test "attach failing at its very last filter removes everything it added" {
	# Port 31030 is c2's; occupy the handle its host-lo filter would take
	# (table 30, bucket 0x79 = 31030 >> 8, node 1 + (31030 & 0xff) = 0x37).
	in_host tc filter add dev lo parent ffff: prio 770 protocol ip handle 30:79:37 u32 ht 30:79: \
		match u32 0x00007936 0x0000ffff at 20 action mirred egress redirect dev eth0
	local before_state before_tc
	before_state="$(state_sum)"
	before_tc="$(tc_dump c1 c2 | sha256sum)"
	pm 73 pmtc attach c2
	[[ "$stderr" == *"in-local filter 30:79:37 on lo"*"taken by another filter (to ifindex"* ]]
	assert_equal "$(state_sum)" "$before_state"
	assert_equal "$(tc_dump c1 c2 | sha256sum)" "$before_tc"
	nothing_points_to "$(veth_of c2)"
	# The foreign filter is still there, c1 still works.
	in_host tc filter show dev lo ingress | grep -q 'fh 30:79:37 '
	serve c1 udp 31000
	delivered peer udp "$H" 31000 c1
	# Once the obstacle is gone, the same attach succeeds.
	in_host tc filter del dev lo parent ffff: prio 770 protocol ip handle 30:79:37 u32
	pm 0 pmtc attach c2
	serve c2 tcp 31030
	delivered peer tcp "$H" 31030 c2
}

@test "attach failing after any one of its steps leaves nothing behind (PORTMAP_FAIL_AFTER_STEP)" {
	local before_state before_tc n
	before_state="$(state_sum)"
	before_tc="$(tc_dump c1 c2 | sha256sum)"
	for ((n = 1; n < 200; n++)); do
		PORTMAP_FAIL_AFTER_STEP=$n run --separate-stderr in_host pm-tc attach c2
		[ "$status" -eq 0 ] && break
		assert_equal "$status" 1
		[[ "$stderr" == *"injected failure after step $n"* ]]
		assert_equal "$(state_sum)" "$before_state"
		assert_equal "$(tc_dump c1 c2 | sha256sum)" "$before_tc"
	done
	((n > 20))  # record, qdiscs, tables and filters were all steps
	serve c2 udp 31030
	delivered peer udp "$H" 31030 c2
}

@test "attach failing inside the container (a foreign clsact qdisc) changes nothing" {
	in_ct c2 tc qdisc add dev eth0 clsact
	local before_state before_tc
	before_state="$(state_sum)"
	before_tc="$(tc_dump c1 c2 | sha256sum)"
	pm 73 pmtc attach c2
	[[ "$stderr" == "pm-tc: error: container eth0 already has a 'clsact' qdisc on its ingress hook"* ]]
	assert_equal "$(state_sum)" "$before_state"
	assert_equal "$(tc_dump c1 c2 | sha256sum)" "$before_tc"
}

@test "an ingress qdisc already on a container device stays: attach records it as not its own, detach keeps it" {
	# attach writes qdisc ownership into its write-ahead record, before making
	# any qdisc: one that is there already must never be recorded as its own.
	in_ct c2 tc qdisc add dev eth0 ingress
	local rec="$PORTMAP_STATE_DIR/containers/c2/tc.json"
	pm 0 pmtc attach c2
	assert_equal "$(jq -r '[.host_veth.ingress_qdisc, .container_lo.ingress_qdisc, .container_eth0.ingress_qdisc] | join(" ")' "$rec")" \
		"created created existing"
	serve c2 tcp 31030
	delivered peer tcp "$H" 31030 c2
	# As if attach had been killed right after its record: detach still keeps it.
	jq '.state = "attaching"' "$rec" >"$rec.tmp" && mv "$rec.tmp" "$rec"
	pm 0 pmtc detach c2
	in_ct c2 tc qdisc show dev eth0 ingress | grep -q 'qdisc ingress ffff:'
	! in_ct c2 tc qdisc show dev lo ingress | grep -q 'qdisc ingress'
	! in_host tc qdisc show dev "$(veth_of c2)" ingress | grep -q 'qdisc ingress'
	nothing_points_to "$(veth_of c2)"
}

@test "attach waiting for the lock uses host.json as it is once it has the lock" {
	# attach reads host.json before waiting for the lock and reuses that read
	# only if the file was not replaced meanwhile.
	local host="$PORTMAP_STATE_DIR/host.json" fifo="$BATS_TEST_TMPDIR/held"
	mkfifo "$fifo"
	flock "$PORTMAP_STATE_DIR/lock" sh -c "echo held; read -r _ <'$fifo'" | {
		read -r _
		in_host pm-tc --wait 10 attach c2 2>"$BATS_TEST_TMPDIR/err" &
		pid=$!
		sleep 0.3
		jq '.eth0.ifindex = 999' "$host" >"$host.tmp" && mv "$host.tmp" "$host"
		echo >"$fifo"
		wait "$pid" && exit 1
		exit 0
	}
	grep -q "host interface eth0 (ifindex 999) changed since pm-tc setup" "$BATS_TEST_TMPDIR/err"
	[ ! -e "$PORTMAP_STATE_DIR/containers/c2/tc.json" ]
}

@test "update failing at a new filter keeps the old ones and the record" {
	# 31040 would become c1's: occupy its host-eth0 handle (bucket 0x79, node 1 + 0x40).
	in_host tc filter add dev eth0 parent ffff: prio 770 protocol ip handle 30:79:41 u32 ht 30:79: \
		match u32 0x00007940 0x0000ffff at 20 action mirred egress redirect dev lo
	local before_tc record
	before_tc="$(tc_dump c1 | sha256sum)"
	record="$(cat "$PORTMAP_STATE_DIR/containers/c1/tc.json")"
	in_host pm-alloc update c1 --ports 31000-31009,31040 >/dev/null
	pm 73 pmtc update c1
	assert_equal "$(tc_dump c1 | sha256sum)" "$before_tc"
	assert_equal "$(cat "$PORTMAP_STATE_DIR/containers/c1/tc.json")" "$record"
	serve c1 tcp 31001
	delivered peer tcp "$H" 31001 c1
}

@test "a record left by an interrupted attach is cleaned up by the next attach, or by detach" {
	local rec="$PORTMAP_STATE_DIR/containers/c1/tc.json" v1 n
	v1="$(veth_of c1)"
	n="$(tc_dump c1 | grep -c 'fh [0-9a-f]*:[0-9a-f]*:[0-9a-f]')"
	# As if attach had been killed half-way: record says "attaching", host filters missing.
	jq '.state = "attaching"' "$rec" >"$rec.tmp" && mv "$rec.tmp" "$rec"
	in_host tc filter del dev eth0 parent ffff: prio 770 protocol ip handle 30:50:901 u32
	pm 0 pmtc attach c1
	[[ "$stderr" == *"warning: cleaning up an unfinished attaching of 'c1'"* ]]
	assert_equal "$(jq -r .state "$rec")" attached
	assert_equal "$(tc_dump c1 | grep -c 'fh [0-9a-f]*:[0-9a-f]*:[0-9a-f]')" "$n"
	serve c1 tcp 20500
	delivered peer tcp "$H" 20500 c1
	# Detach handles such a record too.
	jq '.state = "updating"' "$rec" >"$rec.tmp" && mv "$rec.tmp" "$rec"
	pm 0 pmtc detach c1
	nothing_points_to "$v1"
	[ ! -e "$rec" ]
}

@test "detach after the container's veth and namespace are gone still removes its host filters" {
	local handles h
	handles="$(jq -r '.filters[] | select(.dev == "eth0" or .dev == "lo") | .handle' "$PORTMAP_STATE_DIR/containers/c1/tc.json" | sort -u)"
	[ -n "$handles" ]
	in_host pm-netns destroy c1
	pm 0 pmtc detach c1
	for h in $handles; do
		! in_host tc filter show dev eth0 ingress | grep -q "fh $h "
		! in_host tc filter show dev lo ingress | grep -q "fh $h "
	done
	[ ! -e "$PORTMAP_STATE_DIR/containers/c1/tc.json" ]
}

@test "attach needs the container's veth" {
	ip -n "$SIM_HOST" link del "$(veth_of c2)"
	tc_refused 66 "'c2' has no host veth" attach c2
}

@test "attach after setup's structures were removed asks for setup again; setup restores them" {
	in_host tc qdisc del dev lo ingress
	tc_refused 66 "the ingress qdisc of lo is gone \(run pm-tc setup again\)" attach c2
	pm 0 pmtc -v setup
	[[ "$stderr" == *"added the ingress qdisc to lo"* ]]
	[[ "$stderr" == *"added u32 table 30: (lo-ports, divisor 256) at priority 770 on lo"* ]]
	pm 0 pmtc attach c2
	serve c2 udp 31030
	delivered peer udp "$H" 31030 c2
}

@test "gc detaches containers whose veth is gone and unfinished attaches, and nothing else" {
	container c3 31040
	pmtc attach c2
	pmtc attach c3
	local v1 v3 rec="$PORTMAP_STATE_DIR/containers/c3/tc.json"
	v1="$(veth_of c1)"
	v3="$(veth_of c3)"
	pm 0 pmtc gc
	[ -z "$output" ]
	in_host tc filter show dev eth0 ingress | grep -q 'fh 10::500 '  # c1's ARP copy (20480 / 16)
	# c1's namespace is destroyed behind pm-tc's back; c3's attach "was killed".
	in_host pm-netns destroy c1
	jq '.state = "attaching"' "$rec" >"$rec.tmp" && mv "$rec.tmp" "$rec"
	pm 0 pmtc --json gc
	assert_equal "$(jq -c '[.[] | [.id, .reason]]' <<<"$output")" "[[\"c1\",\"veth $v1 is gone\"],[\"c3\",\"unfinished attach\"]]"
	nothing_points_to "$v3"
	! in_host tc filter show dev eth0 ingress | grep -q 'fh 10::500 '
	[ ! -e "$PORTMAP_STATE_DIR/containers/c1/tc.json" ] && [ ! -e "$rec" ]
	# c2 is untouched.
	serve c2 tcp 31030
	delivered peer tcp "$H" 31030 c2
	pm 0 pmtc gc
	[ -z "$output" ]
}
