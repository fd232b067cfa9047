#!/usr/bin/env bats
# bats file_tags=stock-kernel
# pm-tc shaping with the default fq_codel leaf (bloat_reduction): needs
# sch_fq_codel, so it runs in the stock-kernel lane (make vm-test) and skips
# on this machine's kernel.  The limit holds, the leaf is fq_codel under 1:1
# with a backlog under load, and update swaps the leaf live.

bats_require_minimum_version 1.5.0
load helpers
load 04-tc-helpers
load 05-shaping-helpers
load ../vm/stock-kernel

setup() {
	require_qdisc fq_codel
	shaping_setup
}
teardown() { tc_teardown; }

@test "fq_codel leaf: the limit holds both ways; bloat_reduction has a backlog under load" {
	pmtc attach c1 --egress-rate 10mbit --ingress-rate 10mbit
	in_ct c1 tc qdisc show dev eth0 | grep -q '^qdisc fq_codel 2: parent 1:1 '
	in_host tc qdisc show dev "$(veth_of c1)" | grep -q '^qdisc fq_codel 2: parent 1:1 '
	jq -e '.shaping.bloat_reduction == "fq_codel"' "$PORTMAP_STATE_DIR/containers/c1/tc.json"
	within_limit "$(measure egress c1 3)" 10000000
	within_limit "$(measure ingress c1 3)" 10000000
	# Under load the queue builds up in the leaf, where fq_codel manages it.
	bulk_start egress c1 4
	local i backlog=0
	for ((i = 0; i < 20; i++)); do
		run pmtc show c1 --json
		backlog="$(jq '.shaping.egress.bloat_reduction.backlog' <<<"$output")"
		[ "$backlog" -gt 0 ] && break
		sleep 0.1
	done
	wait "$BULK"
	[ "$backlog" -gt 0 ] || { echo "no backlog seen in bloat_reduction" >&2; false; }
	run pmtc show c1 --json
	[ "$(jq '.shaping.egress.bloat_reduction.packets' <<<"$output")" -gt 0 ]
	[ "$(jq '.shaping.egress.bw_limit.overlimits' <<<"$output")" -gt 0 ]
	[ "$(jq '.shaping.ingress.bloat_reduction.packets' <<<"$output")" -gt 0 ]
}

@test "update swaps the leaf live (fq_codel -> none -> fq_codel); the connection survives" {
	pmtc attach c1 --egress-rate 20mbit
	bulk_start egress c1 15
	pmtc update c1 --bloat-reduction none
	! in_ct c1 tc qdisc show dev eth0 | grep -q fq_codel
	sleep 1
	pmtc update c1 --bloat-reduction fq_codel --egress-rate 10mbit
	in_ct c1 tc qdisc show dev eth0 | grep -q '^qdisc fq_codel 2: parent 1:1 '
	sleep 0.5
	r10="$(window egress c1 2)"
	kill -0 "$BULK"  # the window was inside the transfer
	wait "$BULK" || { cat "$BATS_TEST_TMPDIR/bulk.log" >&2; false; }
	within_limit "$r10" 10000000
	pmtc detach c1
	[ -z "$(shaper_qdiscs c1)" ]
}
