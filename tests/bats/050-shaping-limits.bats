#!/usr/bin/env bats
# pm-tc attach --egress-rate/--ingress-rate on this kernel (HTB alone,
# --bloat-reduction=none): bulk TCP never goes more than 10% over the limit,
# is far below the unshaped rate, and the shaper's counters move.

bats_require_minimum_version 1.5.0
load helpers
load 04-tc-helpers
load 05-shaping-helpers

setup() { shaping_setup; }
teardown() { tc_teardown; }

@test "egress 10mbit and 200mbit hold; far below unshaped" {
	pmtc attach c1
	unshaped="$(measure egress c1 2)"
	pmtc detach c1
	for limit in 10 200; do
		pmtc attach c1 --egress-rate "${limit}mbit" --bloat-reduction=none
		m="$(measure egress c1 3)"
		within_limit "$m" $((limit * 1000000))
		[ "$m" -lt $((unshaped / 3)) ] || { echo "shaped $m not far below unshaped $unshaped" >&2; false; }
		pmtc detach c1
	done
}

@test "ingress 10mbit and 200mbit hold; egress stays unshaped" {
	for limit in 10 200; do
		pmtc attach c1 --ingress-rate "${limit}mbit" --bloat-reduction=none
		m="$(measure ingress c1 3)"
		within_limit "$m" $((limit * 1000000))
		pmtc detach c1
	done
	pmtc attach c1 --ingress-rate 10mbit --bloat-reduction=none
	m="$(measure egress c1 2)"
	[ "$m" -gt 100000000 ] || { echo "egress $m bit/s shaped by an ingress limit" >&2; false; }
}

@test "the shaper's statistics move: bytes, packets, overlimits (tc and pm-tc show)" {
	pmtc attach c1 --egress-rate 20mbit --ingress-rate 20mbit --bloat-reduction=none
	run pmtc show c1 --json
	[ "$status" -eq 0 ]
	before="$output"
	measure egress c1 2 >/dev/null
	measure ingress c1 2 >/dev/null
	run pmtc show c1 --json
	[ "$status" -eq 0 ]
	after="$output"
	for dir in egress ingress; do
		for f in bytes packets overlimits; do
			b="$(jq ".shaping.$dir.bw_limit.$f" <<<"$before")"
			a="$(jq ".shaping.$dir.bw_limit.$f" <<<"$after")"
			echo "$dir $f $b -> $a" >&2
			[ "$a" -gt "$b" ]
		done
		[ "$(jq ".shaping.$dir.rate" <<<"$after")" = 2500000 ]
		[ "$(jq ".shaping.$dir.bloat_reduction" <<<"$after")" = null ]
	done
	# The kernel's own view agrees: tc -s on the container's eth0.
	in_ct c1 tc -s qdisc show dev eth0 | grep -A2 '^qdisc htb 1: root' | grep -q 'overlimits [1-9]'
	in_ct c1 tc class show dev eth0 | grep -q 'class htb 1:1 root .*rate 20Mbit'
	# Human form: a shaping table with both directions.
	run pmtc show c1
	[ "$status" -eq 0 ]
	grep -E '^egress +c:eth0 +20Mbit' <<<"$output"
	grep -E "^ingress +$(veth_of c1) +20Mbit" <<<"$output"
	jq -e '.shaping == {"bloat_reduction":"none","egress":{"rate":2500000},"ingress":{"rate":2500000}}' \
		"$PORTMAP_STATE_DIR/containers/c1/tc.json"
}

@test "64-bit rates: 10gbit and 40gbit reach the kernel without wrapping at 2^32" {
	pmtc attach c1 --egress-rate 10gbit --ingress-rate 40gbit --bloat-reduction=none
	in_ct c1 tc class show dev eth0 | grep -q 'class htb 1:1 root .*rate 10Gbit'
	in_host tc class show dev "$(veth_of c1)" | grep -q 'class htb 1:1 root .*rate 40Gbit'
	jq -e '.shaping.ingress.rate == 5000000000' "$PORTMAP_STATE_DIR/containers/c1/tc.json"
	# Traffic flows (far from a rate wrapped to a few bytes/s).
	above "$(measure egress c1 2)" 100000000
}
