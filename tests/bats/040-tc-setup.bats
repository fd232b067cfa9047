#!/usr/bin/env bats
# pm-tc setup/teardown, attach/detach idempotence and clean removal, and bad
# inputs (one error line, the conventions' exit status, nothing changed).

bats_require_minimum_version 1.5.0
load helpers
load 04-tc-helpers

setup() { tc_setup; }
teardown() { tc_teardown; }

@test "setup: ingress qdiscs on eth0 and lo, the shared tables, host.json; a re-run changes nothing" {
	pm 0 pmtc -v setup
	[ -z "$output" ]
	[[ "$stderr" == *"added the ingress qdisc to eth0"* ]]
	in_host tc qdisc show dev eth0 ingress | grep -q '^qdisc ingress ffff:'
	in_host tc qdisc show dev lo ingress | grep -q '^qdisc ingress ffff:'
	local f="$PORTMAP_STATE_DIR/host.json"
	assert_equal "$(jq -r '[.eth0.name, .eth0.ingress_qdisc, .lo.name, .address] | join(" ")' "$f")" \
		"eth0 created lo $SIM_HOST_IP/$SIM_PREFIX"
	assert_equal "$(jq -r '[.tables[] | "\(.dev)/\(.prio)/\(.handle)/\(.divisor)"] | join(" ")' "$f")" \
		"eth0/258/10:/1 eth0/514/20:/1 eth0/770/30:/256 lo/770/30:/256"
	in_host tc filter show dev eth0 ingress | grep -q 'fh 30: ht divisor 256'
	# The root links recorded are the ones in the kernel.
	local link
	for link in $(jq -r '.tables[] | select(.dev == "eth0") | .links[]' "$f"); do
		in_host tc filter show dev eth0 ingress | grep -q "fh $link .*link"
	done

	local before_state before_tc
	before_state="$(state_sum)"
	before_tc="$(tc_dump | sha256sum)"
	pm 0 pmtc setup
	pm 0 pmtc setup --eth0 eth0 --lo lo
	assert_equal "$(state_sum)" "$before_state"
	assert_equal "$(tc_dump | sha256sum)" "$before_tc"
	pm 0 pmtc --json setup
	assert_equal "$(jq -r .mac <<<"$output")" "$(jq -r .mac "$f")"
}

@test "setup finds eth0 by the default route, or needs --eth0 without one" {
	in_host ip route del default
	tc_refused 66 "no IPv4 default route \(use --eth0\)" setup
	pm 0 pmtc setup --eth0 eth0
	assert_equal "$(jq -r .eth0.name "$PORTMAP_STATE_DIR/host.json")" eth0
}

@test "setup keeps an ingress qdisc it did not create, and teardown leaves it" {
	in_host tc qdisc add dev eth0 ingress
	pm 0 pmtc setup
	assert_equal "$(jq -r .eth0.ingress_qdisc "$PORTMAP_STATE_DIR/host.json")" existing
	pm 0 pmtc teardown
	in_host tc qdisc show dev eth0 ingress | grep -q '^qdisc ingress'
	! in_host tc filter show dev eth0 ingress | grep -q .
	! in_host tc qdisc show dev lo ingress | grep -q ingress
	# Nothing of ours lingers in that qdisc: setting up again works.
	pm 0 pmtc setup
	pm 0 pmtc teardown
}

@test "attach is idempotent; attaching again with other ports is a conflict" {
	container c1 31000-31009
	pm 0 pmtc setup
	pm 0 pmtc attach c1
	[ -z "$output" ] && [ -z "$stderr" ]
	local before_state before_tc
	before_state="$(state_sum)"
	before_tc="$(tc_dump c1 | sha256sum)"
	pm 0 pmtc -v attach c1
	[[ "$stderr" == *"already attached"* ]]
	pm 0 pmtc --json attach c1
	assert_equal "$(jq -c . <<<"$output")" '{"id":"c1","result":"unchanged"}'
	assert_equal "$(state_sum)" "$before_state"
	assert_equal "$(tc_dump c1 | sha256sum)" "$before_tc"
	in_host pm-alloc update c1 --ports 31000-31003 >/dev/null
	tc_refused 73 "attached with other ports .*use pm-tc update" attach c1
}

@test "detach removes every filter and qdisc of the container, leaves the others, and is 0 when repeated" {
	container c1 31000-31009
	container c2 31010-31019
	pm 0 pmtc setup
	local bare
	bare="$(tc_dump | sha256sum)"
	pm 0 pmtc attach c1
	pm 0 pmtc attach c2
	local v1
	v1="$(veth_of c1)"
	tc_dump | grep -q "device $v1)"
	pm 0 pmtc -v detach c1
	[[ "$stderr" == *"removed the ingress qdisc from $v1"* ]]
	nothing_points_to "$v1"
	! in_host tc qdisc show dev "$v1" | grep -q ingress
	! in_ct c1 tc qdisc show | grep -q ingress
	[ ! -e "$PORTMAP_STATE_DIR/containers/c1/tc.json" ]
	# c2 is untouched and still reachable.
	serve c2 udp 31010
	delivered peer udp "$SIM_HOST_IP" 31010 c2
	pm 0 pmtc detach c1
	pm 0 pmtc --json detach c1
	assert_equal "$(jq -r .result <<<"$output")" unchanged
	pm 0 pmtc detach c2
	# Only what setup made is left.
	assert_equal "$(tc_dump | sha256sum)" "$bare"
}

@test "teardown refuses while containers are attached; --force removes everything; a re-run is 0" {
	container c1 31000-31009
	pm 0 pmtc setup
	pm 0 pmtc attach c1
	tc_refused 73 "1 container\(s\) still attached \(c1\); detach them or use --force" teardown
	pm 0 pmtc teardown --force
	[ -z "$(tc_dump c1)" ]
	[ ! -e "$PORTMAP_STATE_DIR/host.json" ]
	[ ! -e "$PORTMAP_STATE_DIR/containers/c1/tc.json" ]
	# The container's other records are not pm-tc's to remove.
	[ -e "$PORTMAP_STATE_DIR/containers/c1/netns.json" ]
	pm 0 pmtc teardown
	pm 0 pmtc teardown --force
	# And the host can be set up again.
	pm 0 pmtc setup
	pm 0 pmtc attach c1
}

@test "bad inputs: one error line, the conventions' exit status, nothing changed" {
	container c1 31000-31009
	in_host pm-alloc allocate c2 --ports 31010 >/dev/null  # allocated, no namespace
	tc_refused 66 "not set up for steering \(run pm-tc setup first\)" attach c1
	tc_refused 66 "no interface 'wlan9'" setup --eth0 wlan9
	tc_refused 65 "'lo' is a loopback interface" setup --eth0 lo
	tc_refused 65 "'eth0' is not a loopback interface" setup --lo eth0
	pm 0 pmtc setup
	tc_refused 73 "set up with --eth0 'eth0', not 'lo'" setup --eth0 lo
	tc_refused 66 "'nope' has no port allocation" attach nope
	tc_refused 66 "'c2' has no network namespace \(run pm-netns create first\)" attach c2
	tc_refused 65 "container ID" attach '../x'
	tc_refused 65 "container ID" detach '.bad'
	tc_refused 65 "container ID" show 'a/b'
	tc_refused 66 "'c1' is not attached" show c1
	tc_refused 66 "'c1' is not attached" update c1
	tc_refused 64 "ID is required" attach
	tc_refused 64 "" frobnicate
	tc_refused 64 "" attach c1 --bogus
	tc_refused 64 "" detach c1 c2
	tc_refused 64 "A subcommand is required" --verbose
	# Not root: 77 before anything is read or changed.
	local nobody=(setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all)
	for args in "setup" "attach c1" "detach c1" "update c1" "teardown"; do
		# shellcheck disable=SC2086
		run --separate-stderr nsenter --net="/run/netns/$SIM_HOST" "${nobody[@]}" pm-tc $args
		assert_equal "$status" 77
		[[ "$stderr" == "pm-tc: error: changing traffic control: needs CAP_NET_ADMIN (run as root)" ]]
	done
	# Nothing to show is not an error.
	pm 0 pmtc show
	assert_output "$(printf 'ID  DEV  PRIO  HANDLE  ROLE  MATCH  ACTION  PACKETS  BYTES  STATE')"
	pm 0 pmtc --json show
	assert_output "[]"
}
