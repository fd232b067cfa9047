#!/usr/bin/env bats
# Bad inputs: one clear line on stderr, the conventions' exit status, nothing
# on stdout, and neither the state dir nor the simulated host changed.

bats_require_minimum_version 1.5.0
load helpers
load 03-netns-helpers

setup() { netns_setup; }
teardown() { netns_teardown; }

@test "create without an allocation, or with a corrupt one: 66 / 65" {
	netns_refused 66 "container c1 has no port allocation \\(pm-alloc allocate c1 first\\)" create c1
	allocate c1
	echo '{"id": "c1", "ephemeral_ports": ' >"$PORTMAP_STATE_DIR/containers/c1/alloc.json"
	netns_refused 65 "corrupt state file .*alloc.json" create c1
	echo '{"id": "c1", "ephemeral_ports": {"begin": 0, "end": 5}, "ports": []}' >"$PORTMAP_STATE_DIR/containers/c1/alloc.json"
	netns_refused 65 "corrupt state file .*alloc.json: ephemeral_ports is not a valid range" create c1
}

@test "no state dir at all: create 66; destroy 0; show, path 66; list empty" {
	export PORTMAP_STATE_DIR="$BATS_TEST_TMPDIR/none"
	netns_refused 66 "has no port allocation" create c1
	[ ! -e "$PORTMAP_STATE_DIR/containers" ]
	pm 0 netns destroy c1
	netns_refused 66 "container c1 has no network namespace" show c1
	netns_refused 66 "container c1 has no network namespace" path c1
	pm 0 netns list
	assert_output "ID  VETH  IFINDEX  ADDRESS  EPHEMERAL  PID  NETNS"
}

@test "invalid container IDs: 65 from every subcommand that takes one" {
	local id sub
	for id in '../x' '.' '..' 'a b' 'x/y' "$(printf 'a%.0s' {1..65})" '_lead' 'semi;colon'; do
		for sub in create destroy show path; do
			netns_refused 65 "invalid container ID" "$sub" "$id"
		done
	done
	# exec is a launcher: its own failures are 125.
	pm 125 netns exec '../x' -- true
	[[ "$stderr" == "pm-netns: error: invalid container ID '../x'"* ]]
}

@test "bad --eth0 / --lo: malformed 65, missing 66, unfit 65/66" {
	allocate c1
	netns_refused 65 "invalid --eth0 'a/b': an interface name has 1-15 characters" create c1 --eth0 a/b
	netns_refused 65 "invalid --eth0 'abcdefghijklmnop'" create c1 --eth0 abcdefghijklmnop
	netns_refused 65 "invalid --eth0 ''" create c1 --eth0 ''
	netns_refused 66 "the public interface 'eth9' does not exist" create c1 --eth0 eth9
	netns_refused 65 "--eth0 'lo' is a loopback interface" create c1 --eth0 lo
	netns_refused 65 "--lo 'eth0' is not a loopback interface" create c1 --lo eth0
	netns_refused 66 "the loopback interface 'lo9' does not exist" create c1 --lo lo9
	netns_refused 65 "invalid --lo 'l o'" create c1 --lo 'l o'
	# An interface without an IPv4 address, then one without a default route through it.
	in_host ip link add x0 type veth peer name x1
	netns_refused 66 "the public interface x0 has no IPv4 address" create c1 --eth0 x0
	in_host ip addr add 203.0.113.10/24 dev x0
	netns_refused 66 "no default IPv4 route with a gateway via x0" create c1 --eth0 x0
}

@test "no default route on the host: 66 with a hint" {
	allocate c1
	in_host ip route del default
	netns_refused 66 "cannot find the host's public interface: no default IPv4 route with a gateway \\(add one, or give --eth0\\)" create c1
	netns_refused 66 "no default IPv4 route with a gateway via eth0" create c1 --eth0 eth0
}

@test "bad --pid: 65 for malformed, 66 for a missing process" {
	allocate c1
	netns_refused 65 "--pid" create c1 --pid 0
	netns_refused 65 "--pid" create c1 --pid -3
	netns_refused 65 "--pid" create c1 --pid abc
	netns_refused 65 "--pid" create c1 --pid 12x
	netns_refused 66 "no process with PID 999999999" create c1 --pid 999999999
}

@test "usage errors: 64" {
	netns_refused 64 "" create
	netns_refused 64 "" create c1 c2
	netns_refused 64 "" create c1 --bogus
	netns_refused 64 "" frobnicate c1
	netns_refused 64 "" destroy
	netns_refused 64 "" show
	netns_refused 64 ""
	netns_refused 64 "" create c1 --eth0
}

@test "the state lock busy past --wait: 75, nothing changed" {
	allocate c1
	local held="$BATS_TEST_TMPDIR/held"
	(flock 9 && touch "$held" && exec sleep 30) 9>"$PORTMAP_STATE_DIR/lock" &
	NETNS_PIDS+=($!)
	wait_until test -e "$held"
	netns_refused 75 "state lock .* is busy" --wait 0 create c1
	netns_refused 75 "state lock .* is busy" --wait 0.2 destroy c1
}

@test "not root: create and destroy exit 77 before touching anything; exec 125" {
	allocate c1
	nobody() { in_host setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all pm-netns "$@"; }
	local before
	before="$(state_sum)"
	pm 77 nobody create c1
	assert_equal "$stderr" "pm-netns: error: creating a container network namespace: needs CAP_SYS_ADMIN (run as root)"
	pm 77 nobody destroy c1
	assert_equal "$stderr" "pm-netns: error: destroying a container network namespace: needs CAP_SYS_ADMIN (run as root)"
	assert_equal "$(state_sum)" "$before"
	pm 0 netns create c1
	before="$(state_sum)"
	pm 77 nobody destroy c1
	pm 125 nobody exec c1 -- true
	[[ "$stderr" == "pm-netns: error: "* ]]
	assert_equal "$(state_sum)" "$before"
	pm 0 netns destroy c1
}

@test "another public interface while containers use eth0: 73 (host lo carries one MAC)" {
	allocate c1
	allocate c2
	pm 0 netns create c1
	in_host ip link add x0 type veth peer name x1
	in_host ip addr add 203.0.113.10/24 dev x0
	in_host ip link set x0 up
	in_host ip link set x1 up
	in_host ip route add default via 203.0.113.1 dev x0 metric 100
	netns_refused 73 "containers on this host use eth0 \\(.*\\) and lo; x0/lo would change the host-wide settings" create c2 --eth0 x0
	# Once no container uses them, the host may switch.
	pm 0 netns destroy c1
	pm 0 netns create c2 --eth0 x0
	assert_equal "$(jq -r .eth0 "$PORTMAP_STATE_DIR/netns-host.json")" x0
	pm 0 netns destroy c2
}

@test "planted symlinks (container dir, netns.json, handle): destroy refuses in one line, changes nothing, follows nothing" {
	local out="$BATS_TEST_TMPDIR/outside"
	mkdir -p "$out"
	allocate c1
	netns create c1 >/dev/null
	# containers/evil -> a copy of c1's records: following it would remove c1's veth.
	cp -r "$PORTMAP_STATE_DIR/containers/c1" "$out/evil"
	ln -s "$out/evil" "$PORTMAP_STATE_DIR/containers/evil"
	netns_refused 1 "refusing to follow symlink $PORTMAP_STATE_DIR/containers/evil in the state directory" destroy evil
	# containers/c2/netns.json -> a file outside.
	allocate c2
	echo keep >"$out/record"
	ln -s "$out/record" "$PORTMAP_STATE_DIR/containers/c2/netns.json"
	netns_refused 1 "refusing to follow symlink $PORTMAP_STATE_DIR/containers/c2/netns.json in the state directory" destroy c2
	rm "$PORTMAP_STATE_DIR/containers/c2/netns.json"
	# netns/c2 -> a file outside: neither unmounted, removed nor written.
	echo keep >"$out/handle"
	ln -s "$out/handle" "$PORTMAP_STATE_DIR/netns/c2"
	netns_refused 1 "refusing to follow symlink $PORTMAP_STATE_DIR/netns/c2 in the state directory" destroy c2
	[ -L "$PORTMAP_STATE_DIR/netns/c2" ]
	assert_equal "$(cat "$out/handle" "$out/record")" "keep
keep"
	rm "$PORTMAP_STATE_DIR/netns/c2" "$PORTMAP_STATE_DIR/containers/evil"
	pm 0 netns destroy c1
}
