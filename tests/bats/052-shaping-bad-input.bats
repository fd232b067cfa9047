#!/usr/bin/env bats
# pm-tc shaping: bad input (64/65) and a kernel without fq_codel (69, this
# machine) change nothing; a failing attach or update after any one of its
# steps leaves the kernel and the state as before; detach leaves nothing.

bats_require_minimum_version 1.5.0
load helpers
load 04-tc-helpers
load 05-shaping-helpers

setup() {
	shaping_setup
	container c2 31010-31019
	pmtc attach c2 --egress-rate 10mbit --bloat-reduction=none
}
teardown() { tc_teardown; }

# tc.json of c2 (an update's rollback rewrites it: same content, new inode).
c2_record() { cat "$PORTMAP_STATE_DIR/containers/c2/tc.json"; }

# Everything shaping-related the kernel has for c1 and c2 (classes included).
shaper_dump() {
	local id
	for id in c1 c2; do
		in_ct "$id" tc class show dev eth0
		in_host tc class show dev "$(veth_of "$id")"
	done
	tc_dump c1 c2
}

@test "bad values are 65 and bad combinations 64, for attach and update, with nothing changed" {
	local cmd
	for cmd in "attach c1" "update c2"; do
		# shellcheck disable=SC2086
		set -- $cmd
		tc_refused 65 "--egress-rate: invalid rate '10': a unit is required" "$@" --egress-rate 10 --bloat-reduction=none
		tc_refused 65 "unknown unit 'furlongs'" "$@" --egress-rate 10furlongs --bloat-reduction=none
		tc_refused 65 "must not be negative" "$@" --egress-rate=-5mbit --bloat-reduction=none
		tc_refused 65 "--ingress-rate: invalid rate '0mbit': must be at least 1 byte" "$@" --ingress-rate 0mbit --bloat-reduction=none
		tc_refused 65 "--egress-ceil 5Mbit is below the rate 10Mbit" "$@" --egress-rate 10mbit --egress-ceil 5mbit --bloat-reduction=none
		tc_refused 65 "--egress-burst: .*at most 4GB" "$@" --egress-rate 10mbit --egress-ceil 20mbit --egress-burst 5GB --bloat-reduction=none
		tc_refused 65 "--max-rate 5Mbit is below the minimum rate 20Mbit" "$@" --egress-rate 10mbit --min-rate 20mbit --max-rate 5mbit --bloat-reduction=none
		tc_refused 65 "--cpus: invalid CPU count" "$@" --rate-per-cpu 1mbit --cpus=-1 --bloat-reduction=none
		tc_refused 65 "--cpus: invalid CPU count" "$@" --rate-per-cpu 1mbit --cpus many --bloat-reduction=none
		tc_refused 65 "--rate-per-cpu: invalid rate" "$@" --rate-per-cpu 0bit --cpus 2 --bloat-reduction=none
		tc_refused 65 "--bloat-reduction: unknown value 'red'" "$@" --egress-rate 10mbit --bloat-reduction=red
		tc_refused 64 "--egress-burst needs --egress-ceil" "$@" --egress-rate 10mbit --egress-burst 10KB --bloat-reduction=none
		tc_refused 64 "--ingress-ceil needs --ingress-rate" "$@" --ingress-ceil 10mbit --bloat-reduction=none
		tc_refused 64 "--cpus needs --rate-per-cpu" "$@" --cpus 4 --bloat-reduction=none
		tc_refused 64 "--rate-per-cpu needs --cpus" "$@" --rate-per-cpu 1mbit --bloat-reduction=none
		tc_refused 64 "--min-rate/--max-rate clamp a rate" "$@" --min-rate 1mbit --bloat-reduction=none
		tc_refused 64 "takes no --egress-ceil" "$@" --egress-rate none --egress-ceil 1mbit
		tc_refused 64 "" "$@" --egress-rate
	done
	[ ! -e "$PORTMAP_STATE_DIR/containers/c1/tc.json" ]
}

# sigchld_ignored CMD...: CMD with SIGCHLD ignored, as a launcher may leave it (inherited through exec).
sigchld_ignored() {
	python3 -c 'import os, signal, sys; signal.signal(signal.SIGCHLD, signal.SIG_IGN); os.execvp(sys.argv[1], sys.argv[1:])' "$@"
}

@test "this kernel has no fq_codel: 69 naming sch_fq_codel before anything changes" {
	if unshare --net tc qdisc add dev lo root fq_codel >/dev/null 2>&1; then skip "this kernel has fq_codel"; fi
	tc_refused 69 "no fq_codel qdisc \(module sch_fq_codel\).*--bloat-reduction=none" attach c1 --egress-rate 10mbit
	tc_refused 69 "sch_fq_codel" attach c1 --ingress-rate 10mbit --bloat-reduction fq_codel
	tc_refused 69 "sch_fq_codel" update c2 --bloat-reduction fq_codel
	# A launcher that ignores SIGCHLD (inherited through exec) does not hide the probe's answer.
	REFUSED_BY=pm-tc command_refused 69 "sch_fq_codel" sigchld_ignored nsenter --net="/run/netns/$SIM_HOST" \
		pm-tc attach c1 --egress-rate 10mbit
	[ ! -e "$PORTMAP_STATE_DIR/containers/c1/tc.json" ]
	# Without a limit there is nothing to put fq_codel under: attach works.
	pmtc attach c1
	# The probe left no namespace or qdisc behind.
	[ -z "$(shaper_qdiscs c1)" ]
}

# fail_each_step SNAPSHOT CMD...: runs CMD in the host with
# PORTMAP_FAIL_AFTER_STEP=1, 2, ... until it succeeds; after every injected
# failure (exit 1) the output of the function SNAPSHOT is as before.  Sets STEPS.
fail_each_step() {
	local snap="$1" before n
	shift
	before="$("$snap" | sha256sum)"
	for ((n = 1; n < 300; n++)); do
		PORTMAP_FAIL_AFTER_STEP=$n run --separate-stderr in_host "$@"
		[ "$status" -eq 0 ] && break
		assert_equal "$status" 1
		[[ "$stderr" == *"injected failure after step $n"* ]] || { echo "step $n: $stderr" >&2; return 1; }
		assert_equal "$("$snap" | sha256sum)" "$before"
	done
	STEPS=$n
}
# Snapshots: the state dir (an attach's rollback removes what it wrote) or
# c2's record by content (an update's rollback rewrites it), and the kernel.
attach_snapshot() { state_sum; shaper_dump; }
update_snapshot() { c2_record; shaper_dump; }

@test "attach with limits failing after any one of its steps leaves nothing behind" {
	fail_each_step attach_snapshot pm-tc attach c1 --egress-rate 10mbit --ingress-rate 20mbit --bloat-reduction=none
	((STEPS > 20))
	[ -n "$(shaper_qdiscs c1)" ]
	within_limit "$(measure egress c1 2)" 10000000
}

@test "update of limits failing after any one of its steps restores the old limits" {
	fail_each_step update_snapshot pm-tc update c2 --egress-rate 30mbit --ingress-rate 20mbit --bloat-reduction=none
	((STEPS > 2))
	jq -e '.shaping.egress.rate == 3750000 and .shaping.ingress.rate == 2500000' "$PORTMAP_STATE_DIR/containers/c2/tc.json"
	fail_each_step update_snapshot pm-tc update c2 --egress-rate none --ingress-rate 5mbit
	((STEPS > 2))
	jq -e '.shaping == {"bloat_reduction":"none","ingress":{"rate":625000}}' "$PORTMAP_STATE_DIR/containers/c2/tc.json"
}

@test "detach removes the shapers; so does detach after the namespace is gone" {
	pmtc attach c1 --egress-rate 10mbit --ingress-rate 20mbit --bloat-reduction=none
	[ -n "$(shaper_qdiscs c1)" ]
	pmtc detach c1
	[ -z "$(shaper_qdiscs c1)" ]
	[ ! -e "$PORTMAP_STATE_DIR/containers/c1/tc.json" ]
	pmtc attach c1
	above "$(measure egress c1 2)" 100000000
	pmtc detach c1
	# A root qdisc pm-tc did not make is never replaced.
	in_host tc qdisc add dev "$(veth_of c1)" root handle 5: htb
	tc_refused 73 "already has a root 'htb' qdisc that pm-tc did not make" attach c1 --ingress-rate 10mbit --bloat-reduction=none
	in_host tc qdisc del dev "$(veth_of c1)" root
	# c2's namespace goes first; detach still cleans the host side.
	in_host pm-netns destroy c2
	pmtc detach c2
	[ ! -e "$PORTMAP_STATE_DIR/containers/c2/tc.json" ]
}
