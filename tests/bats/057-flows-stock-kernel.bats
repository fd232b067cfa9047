#!/usr/bin/env bats
# bats file_tags=stock-kernel
# pm-tc setup --unique-flows: fq_codel on host eth0 egress with one flow per
# container.  Needs fq_codel, so it runs in the stock-kernel lane
# (make vm-test) and skips on this machine's kernel (056 covers that side).

bats_require_minimum_version 1.5.0
load helpers
load 04-tc-helpers
load ../vm/stock-kernel

setup() {
	require_qdisc fq_codel
	tc_setup
}
teardown() { tc_teardown; }

H=198.51.100.10
P=198.51.100.1

flow_of() { jq -r '.flow // "none"' "$PORTMAP_STATE_DIR/containers/$1/tc.json"; }
egress_filters() { in_host tc filter show dev eth0 parent "${1:-1:}"; }

@test "unique flows: fq_codel at eth0's root, flows assigned lowest-first and freed with containers" {
	pm 0 pmtc setup --unique-flows
	in_host tc qdisc show dev eth0 root | grep -q '^qdisc fq_codel 1: root'
	jq -e '.unique_flows == {"parent": "root", "handle": "1:", "flows": 1024}' "$PORTMAP_STATE_DIR/host.json"
	# Host traffic flow 1, ARP and ICMP flow 2.
	egress_filters | grep -q 'flowid 1:1 '
	[ "$(egress_filters | grep -c 'flowid 1:2 ')" -eq 2 ]
	# Idempotent; a plain setup keeps the recorded flows; other parameters conflict.
	local before
	before="$(state_sum)"
	pm 0 pmtc setup --unique-flows
	pm 0 pmtc setup
	assert_equal "$(state_sum)" "$before"
	tc_refused 73 "unique flows" setup --unique-flows --flows 16

	container c1 31000-31009
	container c2 31010-31019
	pm 0 pmtc attach c1
	pm 0 pmtc attach c2
	assert_equal "$(flow_of c1)" 1:3
	assert_equal "$(flow_of c2)" 1:4
	egress_filters | grep -q 'flowid 1:3 '
	egress_filters | grep -q 'flowid 1:4 '
	pm 0 pmtc show -j c2
	assert_equal "$(jq .flow <<<"$output")" 4
	pm 0 pmtc show c2
	assert_output --partial "classify 1:4"

	# Traffic of both containers and of the host leaves through the flow qdisc.
	serve peer tcp 7001
	delivered c1 tcp "$P" 7001 peer
	delivered c2 tcp "$P" 7001 peer
	delivered host tcp "$P" 7001 peer
	pm 0 pmtc show -j c1
	jq -e '[.filters[] | select(.role == "flow") | .present] | all' <<<"$output"

	# Freed on detach, the lowest free one is taken next.
	pm 0 pmtc detach c1
	! egress_filters | grep -q 'flowid 1:3 '
	container c3 31020-31029
	pm 0 pmtc attach c3
	assert_equal "$(flow_of c3)" 1:3
	delivered c3 tcp "$P" 7001 peer

	# Port changes move the classifiers, the flow stays.
	in_host pm-alloc update c3 --ports 31030-31039 >/dev/null
	pm 0 pmtc update c3
	assert_equal "$(flow_of c3)" 1:3
	serve c3 tcp 31030
	delivered peer tcp "$H" 31030 c3

	# teardown removes the qdisc with everything under it.
	pm 0 pmtc teardown --force
	[ -z "$(in_host tc qdisc show dev eth0 root | grep -v noqueue)" ]
	[ ! -e "$PORTMAP_STATE_DIR/host.json" ]
}

@test "unique flows: exhausted flows are 75 with nothing changed" {
	pm 0 pmtc setup --unique-flows --flows 5
	container c1 31000-31009
	container c2 31010-31019
	container c3 31020-31029
	pm 0 pmtc attach c1
	pm 0 pmtc attach c2
	tc_refused 75 "no free flow for 'c3'" attach c3
	[ ! -e "$PORTMAP_STATE_DIR/containers/c3/tc.json" ]
	pm 0 pmtc detach c2
	pm 0 pmtc attach c3
	assert_equal "$(flow_of c3)" 1:4
	serve peer tcp 7002
	delivered c3 tcp "$P" 7002 peer
}

@test "unique flows: a foreign root qdisc is 73 and kept; --flow-parent puts the flows under its class" {
	in_host tc qdisc add dev eth0 root handle 1: htb default 1
	in_host tc class add dev eth0 parent 1: classid 1:1 htb rate 1gbit
	tc_refused 73 "htb.* that pm-tc did not make" setup --unique-flows
	tc_refused 66 "no qdisc 5:" setup --unique-flows --flow-parent 5:1
	pm 0 pmtc setup --unique-flows --flow-parent 1:1
	in_host tc qdisc show dev eth0 | grep -q '^qdisc fq_codel 2: parent 1:1'
	container c1 31000-31009
	pm 0 pmtc attach c1
	assert_equal "$(flow_of c1)" 2:3
	serve peer tcp 7003
	delivered c1 tcp "$P" 7003 peer
	delivered host tcp "$P" 7003 peer
	pm 0 pmtc teardown --force
	# Only what pm-tc made is gone.
	! in_host tc qdisc show dev eth0 | grep -q fq_codel
	in_host tc qdisc show dev eth0 | grep -q '^qdisc htb 1: root'
}

# c2's TCP goodput (bit/s) to the peer while c1 runs $1 parallel streams.
share_run() {
	local streams="$1" out="$BATS_TEST_TMPDIR/c2-$2.json"
	in_ct c1 iperf3 -c "$P" -p 5201 -P "$streams" -t 14 -J >/dev/null 2>&1 3>&- &
	TC_PIDS+=("$!")
	sleep 3
	in_ct c2 iperf3 -c "$P" -p 5202 -t 8 -J >"$out" 2>/dev/null 3>&-
	wait "${TC_PIDS[-1]}" || true
	jq '.end.sum_received.bits_per_second | floor' "$out"
}

@test "unique flows: a container opening many connections does not take the others' share of eth0" {
	# eth0 is the bottleneck: an HTB root at 10 Mbit/s, the flows under its class.
	in_host tc qdisc add dev eth0 root handle 1: htb default 1
	in_host tc class add dev eth0 parent 1: classid 1:1 htb rate 10mbit
	local port
	for port in 5201 5202; do
		in_peer iperf3 -s -p "$port" -D >/dev/null 2>&1 3>&-
	done
	wait_until in_peer sh -c "ss -Hltn 'sport = :5202' | grep -q ."

	# Without unique flows: plain fq_codel hashes per connection.
	in_host tc qdisc add dev eth0 parent 1:1 handle 2: fq_codel
	tc_attached c1:31000-31009 c2:31010-31019
	local off on
	off="$(share_run 16 off)"

	pm 0 pmtc teardown --force
	in_host tc qdisc del dev eth0 parent 1:1 handle 2:
	pm 0 pmtc setup --unique-flows --flow-parent 1:1
	pm 0 pmtc attach c1
	pm 0 pmtc attach c2
	on="$(share_run 16 on)"

	echo "c2 goodput beside 16 streams of c1 at 10 Mbit/s: unique flows off $off bit/s, on $on bit/s" >&3
	# Fair would be ~1/17 of the link off and ~1/2 on; generous margins (slow emulated guest).
	[ "$on" -gt 3000000 ]
	[ "$on" -gt $((off * 2)) ]
}
