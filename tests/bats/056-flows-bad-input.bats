#!/usr/bin/env bats
# pm-tc setup --unique-flows on this machine's kernel (no fq_codel) and bad
# unique-flow options: one error line, the conventions' exit code, nothing
# changed in the state dir or the kernel.  The flows themselves are tested in
# the stock-kernel lane (057-flows-stock-kernel.bats).

bats_require_minimum_version 1.5.0
load helpers
load 04-tc-helpers
load ../vm/stock-kernel

setup() { tc_setup; }
teardown() { tc_teardown; }

have_fq_codel() { unshare --net tc qdisc add dev lo root fq_codel >/dev/null 2>&1; }

@test "setup --unique-flows on a kernel without fq_codel: 69 naming sch_fq_codel, nothing changed" {
	have_fq_codel && skip "this kernel has fq_codel (the lane's tests cover it)"
	tc_refused 69 "sch_fq_codel" setup --unique-flows
	tc_refused 69 "sch_fq_codel" setup --unique-flows --flows 16 --flow-parent root
	[ ! -e "$PORTMAP_STATE_DIR/host.json" ]
	# Also on a host already set up, with a container attached: nothing changes.
	tc_attached c1:31000-31009
	tc_refused 69 "sch_fq_codel" setup --unique-flows
	jq -e 'has("unique_flows") | not' "$PORTMAP_STATE_DIR/host.json"
	pm 0 pmtc show -j c1
	assert_equal "$(jq -c .flow <<<"$output")" null
}

@test "unique-flow options: bad values are 65, options without --unique-flows 64" {
	local bad
	for bad in 0 3 65537 -1 1k abc 08x; do
		tc_refused 65 "flows" setup --unique-flows --flows "$bad"
	done
	for bad in x 1 1: :1 1:0 0:1 ffff:1 1:2:3 1:10000 'root '; do
		tc_refused 65 "flow-parent" setup --unique-flows --flow-parent "$bad"
	done
	tc_refused 64 "unique-flows" setup --flows 16
	tc_refused 64 "unique-flows" setup --flow-parent 1:1
	[ ! -e "$PORTMAP_STATE_DIR/host.json" ]
}

@test "a plain setup records no unique flows and show has no flow" {
	tc_attached c1:31000-31009
	jq -e 'has("unique_flows") | not' "$PORTMAP_STATE_DIR/host.json"
	jq -e 'has("flow") | not' "$PORTMAP_STATE_DIR/containers/c1/tc.json"
	[ -z "$(in_host tc qdisc show dev eth0 root | grep -v noqueue)" ]
}
