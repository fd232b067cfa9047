#!/usr/bin/env bats
# pm-netns create --pid: adopt the network namespace of a running process
# instead of creating one; destroy leaves the process (and its namespace) alive.

bats_require_minimum_version 1.5.0
load helpers
load 03-netns-helpers

setup() { netns_setup; }
teardown() { netns_teardown; }

@test "--pid adopts a sleeping process's namespace; the process sees eth0 and its port block" {
	start_sleeper
	allocate c1
	pm 0 netns create c1 --pid "$SLEEPER"
	# The handle is the process's namespace.
	assert_equal "$(stat -L -c %i "$PORTMAP_STATE_DIR/netns/c1")" "$(stat -L -c %i "/proc/$SLEEPER/ns/net")"
	assert_equal "$(jq -r .adopted_pid "$PORTMAP_STATE_DIR/containers/c1/netns.json")" "$SLEEPER"
	assert_equal "$(nsenter --net="/proc/$SLEEPER/ns/net" cat /proc/sys/net/ipv4/ip_local_port_range)" "$(printf '20480\t21503')"
	assert_equal "$(jqout '[.[0].addr_info[] | select(.family == "inet") | .local] | join(",")' nsenter --net="/proc/$SLEEPER/ns/net" ip -j addr show eth0)" "$SIM_HOST_IP"
	port="$(nsenter --net="/proc/$SLEEPER/ns/net" python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])')"
	[ "$port" -ge 20480 ] && [ "$port" -le 21503 ]
	pm 0 netns -j show c1
	assert_equal "$(jq -c '[.adopted_pid, .processes, .pids]' <<<"$output")" "[$SLEEPER,1,[$SLEEPER]]"
	pm 0 netns list
	assert_line --index 1 --regexp "^c1 .* $SLEEPER +$PORTMAP_STATE_DIR/netns/c1\$"
	# Same --pid again: no change.
	pm 0 netns create c1 --pid "$SLEEPER"
}

@test "destroy of an adopted namespace removes the veth and the handle; the process lives on" {
	start_sleeper
	allocate c1
	pm 0 netns create c1 --pid "$SLEEPER"
	local veth
	veth="$(jq -r .host_veth "$PORTMAP_STATE_DIR/containers/c1/netns.json")"
	pm 0 netns -v destroy c1
	[[ "$stderr" == *"1 process(es) still inside the released namespace, not killed: $SLEEPER"* ]]
	kill -0 "$SLEEPER"
	nothing_left c1 "$veth"
	# Its namespace lost eth0 (deleted with the pair) and nothing else was killed.
	run nsenter --net="/proc/$SLEEPER/ns/net" ip -br link
	refute_output --partial eth0
	assert_line --regexp '^lo '
	# It can be adopted again.
	pm 0 netns create c1 --pid "$SLEEPER"
	pm 0 netns destroy c1
	kill -0 "$SLEEPER"
}

@test "--pid refuses the host's namespace, one with interfaces (e.g. this machine's), one another container owns, a missing process" {
	allocate c1
	allocate c2
	nsenter --net="/run/netns/$SIM_HOST" sleep 600 &
	local in_sim_host=$!
	NETNS_PIDS+=("$in_sim_host")
	in_sim_host_ns() { [ "$(stat -L -c %i "/proc/$in_sim_host/ns/net")" = "$(stat -L -c %i "/run/netns/$SIM_HOST")" ]; }
	wait_until in_sim_host_ns
	netns_refused 73 "is in the host's network namespace" create c1 --pid "$in_sim_host"
	# The test runner's namespace: this machine's network.  (PID 1's may be out of reach.)
	netns_refused 73 "already has interfaces \\(.*\\); --pid adopts only a namespace with nothing but loopback" create c1 --pid $$
	start_sleeper
	nsenter --net="/proc/$SLEEPER/ns/net" ip link add x0 type veth peer name x1
	netns_refused 73 "namespace of process $SLEEPER already has interfaces \\(x1, x0\\)" create c1 --pid "$SLEEPER"
	start_sleeper
	pm 0 netns create c1 --pid "$SLEEPER"
	netns_refused 73 "already belongs to container c1" create c2 --pid "$SLEEPER"
	netns_refused 66 "no process with PID 999999999" create c2 --pid 999999999
	netns_refused 73 "other parameters \\(recorded --pid $SLEEPER\\)" create c1
}
