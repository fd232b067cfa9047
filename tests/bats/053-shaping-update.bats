#!/usr/bin/env bats
# pm-tc update with shaping options: limits are added, changed and removed
# live; the measured rate follows; an open TCP connection survives it all.
# attach with shaping options on an attached container: same limits = no-op,
# other limits = 73.

bats_require_minimum_version 1.5.0
load helpers
load 04-tc-helpers
load 05-shaping-helpers

setup() { shaping_setup; }
teardown() { tc_teardown; }

# relimit DIR RATE [ARGS...]: pm-tc update c1 --DIR-rate RATE ARGS while the
# bulk transfer runs; prints the frame rate (bit/s) measured right after.
relimit() {
	local dir="$1" rate="$2"
	shift 2
	pmtc update c1 "--$dir-rate" "$rate" "$@"
	sleep 0.5
	window "$dir" c1 2
}

@test "egress: lowered, raised, removed under one open TCP connection, which survives" {
	pmtc attach c1 --egress-rate 100mbit --bloat-reduction=none
	bulk_start egress c1 13
	r100="$(window egress c1 2)"
	r10="$(relimit egress 10mbit)"
	r40="$(relimit egress 40mbit)"
	rfree="$(relimit egress none)"
	wait "$BULK" || { cat "$BATS_TEST_TMPDIR/bulk.log" >&2; false; }
	within_limit "$r100" 100000000
	within_limit "$r10" 10000000
	within_limit "$r40" 40000000
	above "$r40" $((r10 * 2))
	above "$rfree" $((r100 * 2))
	[ -z "$(shaper_qdiscs c1)" ]
	jq -e '.shaping | has("egress") | not' "$PORTMAP_STATE_DIR/containers/c1/tc.json"
}

@test "ingress: added live to an unshaped container, changed, removed; the connection survives" {
	pmtc attach c1
	bulk_start ingress c1 10
	r20="$(relimit ingress 20mbit --bloat-reduction=none)"
	r60="$(relimit ingress 60mbit)"
	rfree="$(relimit ingress none)"
	wait "$BULK" || { cat "$BATS_TEST_TMPDIR/bulk.log" >&2; false; }
	within_limit "$r20" 20000000
	within_limit "$r60" 60000000
	above "$r60" $((r20 * 2))
	above "$rfree" $((r60 * 2))
	[ -z "$(shaper_qdiscs c1)" ]
}

@test "a direction not named keeps its limit; the same update twice is a no-op" {
	pmtc attach c1 --egress-rate 10mbit --ingress-rate 20mbit --bloat-reduction=none
	pmtc update c1 --ingress-rate 30mbit
	jq -e '.shaping == {"bloat_reduction":"none","egress":{"rate":1250000},"ingress":{"rate":3750000}}' \
		"$PORTMAP_STATE_DIR/containers/c1/tc.json"
	before="$(state_sum)"
	pm 0 in_host pm-tc --json update c1 --ingress-rate 30mbit
	[ "$(jq -r .result <<<"$output")" = unchanged ]
	[ "$(state_sum)" = "$before" ]
	within_limit "$(measure egress c1 2)" 10000000
}

@test "attach on an attached container: same limits = no-op, other limits = 73 and nothing changes" {
	pmtc attach c1 --egress-rate 10mbit --egress-ceil 20mbit --egress-burst 64KB --bloat-reduction=none
	pm 0 in_host pm-tc --json attach c1 --egress-rate 10mbit --egress-ceil 20mbit --egress-burst 64KB --bloat-reduction=none
	[ "$(jq -r .result <<<"$output")" = unchanged ]
	tc_refused 73 "other limits.*pm-tc update" attach c1 --egress-rate 20mbit --bloat-reduction=none
	tc_refused 73 "other limits" attach c1
	jq -e '.shaping.egress == {"rate":1250000,"ceil":2500000,"burst":65536}' "$PORTMAP_STATE_DIR/containers/c1/tc.json"
	# The ceil does not lift the sustained rate of a class with nothing to borrow from.
	within_limit "$(measure egress c1 3)" 10000000
}

@test "--rate-per-cpu x --cpus, clamps: rates as documented, and the limit holds" {
	pmtc attach c1 --rate-per-cpu 5mbit --cpus 2.7 --ingress-rate none --bloat-reduction=none
	jq -e '.shaping == {"bloat_reduction":"none","egress":{"rate":1250000}}' "$PORTMAP_STATE_DIR/containers/c1/tc.json"
	within_limit "$(measure egress c1 3)" 10000000
	# 0 CPUs: raised to the minimum (default 1mbit; here --min-rate 2mbit).
	pmtc update c1 --rate-per-cpu 5mbit --cpus 0 --min-rate 2mbit
	jq -e '.shaping.egress.rate == 250000 and .shaping.ingress.rate == 250000' "$PORTMAP_STATE_DIR/containers/c1/tc.json"
	pmtc update c1 --rate-per-cpu 5mbit --cpus 0
	jq -e '.shaping.egress.rate == 125000' "$PORTMAP_STATE_DIR/containers/c1/tc.json"
	# --max-rate lowers; a limit above any link speed is applied as given.
	pmtc update c1 --egress-rate 1gbit --max-rate 30mbit
	pmtc update c1 --ingress-rate 100gbit
	jq -e '.shaping.egress.rate == 3750000 and .shaping.ingress.rate == 12500000000' "$PORTMAP_STATE_DIR/containers/c1/tc.json"
	within_limit "$(measure egress c1 3)" 30000000
}
