#!/usr/bin/env bats
# Failure injection: whichever step of create fails, nothing it made is left
# behind (namespace, mount, veth, /run/netns link, state files) and every
# kernel setting it changed is back, host-wide ones included.
# PORTMAP_FAIL_AFTER_STEP=N makes the N-th undoable step of a command fail
# right after it was made (see pm-netns(8), ENVIRONMENT).

bats_require_minimum_version 1.5.0
load helpers
load 03-netns-helpers

setup() { netns_setup; }
teardown() { netns_teardown; }

@test "the host-side veth name already taken: 73, nothing made" {
	allocate c1
	# Learn the derived name, then give it to another interface.
	pm 0 netns create c1
	local veth
	veth="$(jq -r .host_veth "$PORTMAP_STATE_DIR/containers/c1/netns.json")"
	pm 0 netns destroy c1
	in_host ip link add "$veth" type veth peer name pmt-other
	netns_refused 73 "the host-side veth name $veth \\(derived from c1\\) is already taken" create c1
	# The other interface is not ours to delete.
	in_host ip link show "$veth" >/dev/null
	in_host ip link del "$veth"
	nothing_left c1
}

@test "an unknown --eth0: 66, nothing made" {
	allocate c1
	netns_refused 66 "the public interface 'eth9' does not exist" create c1 --eth0 eth9
	nothing_left c1
	[ ! -e "$PORTMAP_STATE_DIR/netns-host.json" ]
}

@test "the /run/netns name taken: 73 before any change" {
	local id="pmt-$SIM_TAG"
	NETNS_IDS+=("$id")
	allocate "$id"
	touch "/run/netns/pm-$id"
	netns_refused 73 "/run/netns/pm-$id already exists" create "$id" --link-ip-netns
	[ -f "/run/netns/pm-$id" ] && [ ! -L "/run/netns/pm-$id" ]
	rm -f "/run/netns/pm-$id"
	nothing_left "$id"
}

# create_failing_at_every_step ID [ARGS...]: run create with a failure after
# step 1, 2, ... until it succeeds; each failed run must leave the state dir
# and the simulated host exactly as before (and, when the test defines
# inside_sum, the adopted namespace too).  Prints the number of steps.
create_failing_at_every_step() {
	local id="$1" n=1 before_state before_host before_inside=""
	shift
	before_state="$(state_sum)"
	before_host="$(host_sum)"
	declare -F inside_sum >/dev/null && before_inside="$(inside_sum)"
	while :; do
		run --separate-stderr env PORTMAP_FAIL_AFTER_STEP="$n" nsenter --net="/run/netns/$SIM_HOST" pm-netns -v create "$id" "$@"
		[ "$status" -eq 0 ] && break
		if [ "$status" -ne 1 ] || [[ "$stderr" != *"pm-netns: error: injected failure after step $n "* ]]; then
			echo "step $n: exit $status: $stderr" >&2
			return 1
		fi
		[[ "$stderr" != *"rollback: cannot"* ]] || { echo "step $n: incomplete rollback: $stderr" >&2; return 1; }
		nothing_left "$id" || { echo "after a failure at step $n" >&2; return 1; }
		[ "$(state_sum)" = "$before_state" ] || { echo "step $n: the state dir changed" >&2; return 1; }
		[ "$(host_sum)" = "$before_host" ] || { echo "step $n: the simulated host changed" >&2; return 1; }
		if [ -n "$before_inside" ] && [ "$(inside_sum)" != "$before_inside" ]; then
			echo "step $n: the adopted namespace changed:" >&2
			diff <(echo "$before_inside") <(inside_sum) >&2
			return 1
		fi
		n=$((n + 1))
		[ "$n" -le 60 ] || { echo "create never succeeded" >&2; return 1; }
	done
	echo "$((n - 1))"
}

@test "a failure after any step of create (first container on the host) undoes everything, host-wide settings included" {
	local id="pmt-$SIM_TAG"
	NETNS_IDS+=("$id")
	allocate "$id"
	# The kernel refuses to set lo's MAC back to all-zero: start from another one.
	in_host ip link set lo address 02:00:00:00:00:01
	in_host ip link set eth0 mtu 1400
	local steps
	steps="$(create_failing_at_every_step "$id" --link-ip-netns)"
	# Handle dir, handle (2), veth, link, record, host record, 4 sysctls, lo mtu, lo mac at least.
	[ "$steps" -ge 12 ] || { echo "only $steps steps" >&2; return 1; }
	# The last run succeeded and did everything.
	[ -L "/run/netns/pm-$id" ]
	assert_equal "$(jqout '.[0] | "\(.address) \(.mtu)"' in_host ip -j link show lo)" \
		"$(jqout '.[0] | "\(.address) \(.mtu)"' in_host ip -j link show eth0)"
	pm 0 netns destroy "$id"
	nothing_left "$id"
}

@test "a failure after any step of create in an adopted namespace restores the inside; the process lives" {
	allocate c1
	start_sleeper
	in_sleeper() { nsenter --net="/proc/$SLEEPER/ns/net" "$@"; }
	# The kernel refuses to set lo's MAC back to all-zero: start from another one.
	in_sleeper ip link set lo address 02:00:00:00:00:02
	inside_sum() {
		in_sleeper sh -c 'ip -br link; ip -br addr; ip route; cd /proc/sys/net && grep -r . ipv4/ip_local_port_range ipv4/conf/lo ipv4/conf/all ipv6/conf/all/disable_ipv6 core/somaxconn | sort'
	}
	# Another container first: the host settings are in place, only the inside changes.
	allocate c0
	pm 0 netns create c0
	local steps
	steps="$(create_failing_at_every_step c1 --pid "$SLEEPER")"
	[ "$steps" -ge 8 ] || { echo "only $steps steps" >&2; return 1; }
	run in_sleeper cat /proc/sys/net/ipv4/ip_local_port_range
	assert_output "$(printf '20480\t21503')"
	pm 0 netns destroy c1
	kill -0 "$SLEEPER"
}
