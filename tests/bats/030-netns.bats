#!/usr/bin/env bats
# pm-netns: create, exec, show/list/path, idempotence, two containers, destroy,
# host-wide settings, --link-ip-netns.  Real kernel, simulated host, real sockets.

bats_require_minimum_version 1.5.0
load helpers
load 03-netns-helpers

setup() { netns_setup; }
teardown() { netns_teardown; }

@test "create: eth0 inside has the host IP, MAC, MTU and default route; lo too; the ephemeral block is the port range" {
	in_host ip link set eth0 mtu 1400
	local mac
	mac="$(jqout '.[0].address' in_host ip -j link show eth0)"
	allocate c1
	pm 0 netns create c1
	[ -z "$output" ]
	[ -z "$stderr" ]

	# Container eth0: host MAC and MTU, up, the host's address, default route via its gateway.
	in_ct c1 ip -j link show eth0 >"$BATS_TEST_TMPDIR/eth0.json"
	assert_equal "$(jq -r '.[0].address' "$BATS_TEST_TMPDIR/eth0.json")" "$mac"
	assert_equal "$(jq -r '.[0].mtu' "$BATS_TEST_TMPDIR/eth0.json")" 1400
	assert_equal "$(jq -r '.[0].operstate' "$BATS_TEST_TMPDIR/eth0.json")" UP
	assert_equal "$(jqout '[.[0].addr_info[] | select(.family == "inet") | "\(.local)/\(.prefixlen)"] | join(",")' in_ct c1 ip -j addr show eth0)" \
		"$SIM_HOST_IP/$SIM_PREFIX"
	assert_equal "$(jqout '.[] | select(.dst == "default") | "\(.gateway) \(.dev)"' in_ct c1 ip -j route)" "$SIM_PEER_IP eth0"
	# Container lo: up, host MAC and MTU.
	assert_equal "$(jqout '.[0] | "\(.address) \(.mtu) \(.flags | index("UP") != null)"' in_ct c1 ip -j link show lo)" "$mac 1400 true"
	# The ephemeral block from pm-alloc, inclusive.
	assert_equal "$(in_ct c1 cat /proc/sys/net/ipv4/ip_local_port_range)" "$(printf '20480\t21503')"
	# IPv6 off, accept_local / route_localnet on, rx checksum offload off (ETHTOOL_GRXCSUM = 0x14).
	assert_equal "$(in_ct c1 cat /proc/sys/net/ipv6/conf/all/disable_ipv6)" 1
	assert_equal "$(in_ct c1 cat /proc/sys/net/ipv4/conf/eth0/accept_local /proc/sys/net/ipv4/conf/lo/accept_local /proc/sys/net/ipv4/conf/lo/route_localnet | tr -d '\n')" 111
	run in_ct c1 python3 -c '
import array, fcntl, socket, struct
s = socket.socket()
data = array.array("B", struct.pack("II", 0x14, 99))
fcntl.ioctl(s, 0x8946, struct.pack("16sP", b"eth0", data.buffer_info()[0]))
print(struct.unpack("II", data.tobytes())[1])'
	assert_output 0

	# Host end: named pm + 12 hex digits, carries the host MAC and MTU, up, no address.
	local veth
	veth="$(jq -r .host_veth "$PORTMAP_STATE_DIR/containers/c1/netns.json")"
	[[ "$veth" =~ ^pm[0-9a-f]{12}$ ]]
	assert_equal "$(jqout '.[0] | "\(.address) \(.mtu) \(.operstate)"' in_host ip -j link show "$veth")" "$mac 1400 UP"
	assert_equal "$(jqout '[.[0].addr_info[]] | length' in_host ip -j addr show "$veth")" 0
}

@test "bind(0) inside gets ports of the container's block; a TCP connection inside uses the host IP and the block" {
	allocate c1
	pm 0 netns create c1
	local i port
	for i in 1 2 3 4 5; do
		port="$(bind0 c1)"
		[ "$port" -ge 20480 ] && [ "$port" -le 21503 ] || { echo "bind(0) gave $port" >&2; return 1; }
	done
	# A real connection on the container's eth0 address: client source port in the block.
	run in_ct c1 python3 -c '
import socket
srv = socket.socket(); srv.bind(("'"$SIM_HOST_IP"'", 0)); srv.listen(1)
cli = socket.create_connection(srv.getsockname())
conn, peer = srv.accept()
conn.sendall(b"pong"); print(peer[0], peer[1], cli.recv(4).decode())'
	assert_success
	read -r ip port reply <<<"$output"
	assert_equal "$ip $reply" "$SIM_HOST_IP pong"
	[ "$port" -ge 20480 ] && [ "$port" -le 21503 ]
}

@test "exec runs CMD inside (own /sys, PID kept); CMD's status is returned; launcher statuses 125/126/127" {
	allocate c1
	pm 0 netns create c1
	pm 0 netns exec c1 -- sh -c 'ls /sys/class/net | tr "\n" " "; cat /proc/sys/net/ipv4/ip_local_port_range'
	assert_output "$(printf 'eth0 lo 20480\t21503')"
	# No "--" needed; CMD's own options stay CMD's.
	pm 0 netns exec c1 ls -d /sys/class/net/eth0
	assert_output /sys/class/net/eth0
	# exec keeps the PID: the shell's $$ is the PID pm-netns had.
	run in_host sh -c 'pm-netns exec c1 sh -c "echo \$\$" & echo $!; wait'
	assert_equal "$(sed -n 1p <<<"$output")" "$(sed -n 2p <<<"$output")"
	pm 3 netns exec c1 -- sh -c 'exit 3'
	run -127 --separate-stderr netns exec c1 -- /nonexistent/cmd
	[[ "$stderr" == "pm-netns: error: cannot execute /nonexistent/cmd: No such file or directory" ]]
	echo 'echo hi' >"$BATS_TEST_TMPDIR/not-executable"
	chmod 644 "$BATS_TEST_TMPDIR/not-executable"
	pm 126 netns exec c1 -- "$BATS_TEST_TMPDIR/not-executable"
	pm 125 netns exec nosuch -- true
	[[ "$stderr" == *"container nosuch has no network namespace"* ]]
	pm 125 netns exec c1
	pm 125 netns exec '../x' -- true
	pm 125 as_nobody pm-netns exec c1 -- true
	# The mount namespace stayed private: the host's /sys is untouched.
	[ -e /sys/class/net/lo ]
}

@test "show, list, path and --json report the recorded facts and the live state" {
	allocate c1
	pm 0 netns create c1
	pm 0 netns show c1
	assert_line --regexp '^address: +198\.51\.100\.10/24$'
	assert_line --regexp '^ephemeral_ports: +20480-21503$'
	assert_line --regexp '^handle_mounted: +yes$'
	assert_line --regexp '^veth_present: +yes$'
	assert_line --regexp '^processes: +0$'
	pm 0 netns --json show c1
	assert_equal "$(jq -c '[.id, .container_ifname, .gateway, .processes, .ephemeral_ports]' <<<"$output")" \
		'["c1","eth0","198.51.100.1",0,{"begin":20480,"end":21503}]'
	pm 0 netns path c1
	assert_output "$PORTMAP_STATE_DIR/netns/c1"
	nsenter --net="$output" true
	pm 0 netns --json path c1
	assert_equal "$(jq -r .netns <<<"$output")" "$PORTMAP_STATE_DIR/netns/c1"
	pm 0 netns list
	assert_line --index 0 --regexp '^ID +VETH +IFINDEX +ADDRESS +EPHEMERAL +PID +NETNS$'
	assert_line --index 1 --regexp "^c1 +pm[0-9a-f]{12} +[0-9]+ +198\.51\.100\.10/24 +20480-21503 +- +$PORTMAP_STATE_DIR/netns/c1\$"
	pm 0 netns -j list
	assert_equal "$(jq -r '.[0].id' <<<"$output")" c1
	# A process inside is counted.
	nsenter --net="$PORTMAP_STATE_DIR/netns/c1" sleep 600 &
	NETNS_PIDS+=($!)
	wait_until test "$(netns -j show c1 | jq .processes)" = 1
}

@test "netns.json holds the fields pm-tc and pm-stats read, consistent with the kernel" {
	allocate c1
	pm 0 netns create c1
	local f="$PORTMAP_STATE_DIR/containers/c1/netns.json"
	[ "$(stat -c %a "$f")" = 644 ]
	run jq -r 'keys_unsorted | join(" ")' "$f"
	assert_output "id netns adopted_pid host_veth host_veth_ifindex container_ifname container_ifindex eth0 eth0_ifindex lo lo_ifindex address gateway mac mtu ephemeral_ports container_lo container_lo_ifindex netns_inode"
	local veth
	veth="$(jq -r .host_veth "$f")"
	assert_equal "$(jq -r .host_veth_ifindex "$f")" "$(jqout '.[0].ifindex' in_host ip -j link show "$veth")"
	assert_equal "$(jq -r .eth0_ifindex "$f")" "$(jqout '.[0].ifindex' in_host ip -j link show eth0)"
	assert_equal "$(jq -r .lo_ifindex "$f")" "$(jqout '.[0].ifindex' in_host ip -j link show lo)"
	assert_equal "$(jq -r .container_ifindex "$f")" "$(jqout '.[0].ifindex' in_ct c1 ip -j link show eth0)"
	assert_equal "$(jq -r .container_lo_ifindex "$f")" "$(jqout '.[0].ifindex' in_ct c1 ip -j link show lo)"
	assert_equal "$(jq -r .mac "$f")" "$(jqout '.[0].address' in_host ip -j link show eth0)"
	assert_equal "$(jq -r .netns_inode "$f")" "$(stat -L -c %i "$PORTMAP_STATE_DIR/netns/c1")"
	assert_equal "$(jq -r .adopted_pid "$f")" null
}

@test "create again: same parameters exit 0 and change nothing; different parameters are a conflict (73)" {
	allocate c1
	pm 0 netns create c1
	local before host_before
	before="$(state_sum)"
	host_before="$(host_sum)"
	pm 0 netns -v create c1 --eth0 eth0 --lo lo
	[[ "$stderr" == *"c1 already exists with these parameters"* ]]
	assert_equal "$(state_sum)" "$before"
	assert_equal "$(host_sum)" "$host_before"
	start_sleeper
	netns_refused 73 "already has a network namespace with other parameters \\(recorded without --pid\\)" create c1 --pid "$SLEEPER"
}

@test "two containers: different blocks, both alive; destroying one leaves the other untouched" {
	allocate c1
	allocate c2
	pm 0 netns create c1
	pm 0 netns create c2
	local p1 p2
	p1="$(bind0 c1)"
	p2="$(bind0 c2)"
	[ "$p1" -ge 20480 ] && [ "$p1" -le 21503 ]
	[ "$p2" -ge 21504 ] && [ "$p2" -le 22527 ]
	local v1 v2
	v1="$(jq -r .host_veth "$PORTMAP_STATE_DIR/containers/c1/netns.json")"
	v2="$(jq -r .host_veth "$PORTMAP_STATE_DIR/containers/c2/netns.json")"
	[ "$v1" != "$v2" ]
	[ "$(stat -L -c %i "$PORTMAP_STATE_DIR/netns/c1")" != "$(stat -L -c %i "$PORTMAP_STATE_DIR/netns/c2")" ]
	local c2_before
	c2_before="$(cat "$PORTMAP_STATE_DIR/containers/c2/netns.json"; in_ct c2 ip -br addr; in_host ip -br link show "$v2")"

	pm 0 netns destroy c1
	nothing_left_of_c1() { [ ! -e "$PORTMAP_STATE_DIR/netns/c1" ] && ! in_host ip link show "$v1" >/dev/null 2>&1; }
	nothing_left_of_c1
	assert_equal "$(cat "$PORTMAP_STATE_DIR/containers/c2/netns.json"; in_ct c2 ip -br addr; in_host ip -br link show "$v2")" "$c2_before"
	p2="$(bind0 c2)"
	[ "$p2" -ge 21504 ] && [ "$p2" -le 22527 ]
	pm 0 netns list
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 --regexp '^c2 '
}

@test "destroy removes veth, handle and record; destroying again or an unknown ID exits 0" {
	allocate c1
	pm 0 netns create c1
	local veth
	veth="$(jq -r .host_veth "$PORTMAP_STATE_DIR/containers/c1/netns.json")"
	nsenter --net="$PORTMAP_STATE_DIR/netns/c1" sleep 600 &
	NETNS_PIDS+=($!)
	wait_until test "$(netns -j show c1 | jq .processes)" = 1
	local inside
	inside="$(netns -j show c1 | jq '.pids[0]')"
	pm 0 netns -v destroy c1
	[[ "$stderr" == *"deleted veth $veth"* ]]
	[[ "$stderr" == *"1 process(es) still inside the released namespace, not killed: $inside"* ]]
	kill -0 "$inside"
	nothing_left c1 "$veth"
	# The allocation is pm-alloc's: untouched.
	[ -e "$PORTMAP_STATE_DIR/containers/c1/alloc.json" ]
	pm 0 netns destroy c1
	[ -z "$output$stderr" ]
	pm 0 netns -v destroy never-created
	[[ "$stderr" == *"never-created has no network namespace: nothing to do"* ]]
	pm 0 netns --json destroy c1
	assert_equal "$(jq -c . <<<"$output")" '{"id":"c1","existed":false,"still_inside":[]}'
	pm 66 netns show c1
}

@test "destroy --sync: the veth pair is deleted, gone from the host when destroy returns; the same ID gets its name back at once" {
	allocate c1
	pm 0 netns create c1
	local veth ifindex
	veth="$(jq -r .host_veth "$PORTMAP_STATE_DIR/containers/c1/netns.json")"
	ifindex="$(jq -r .host_veth_ifindex "$PORTMAP_STATE_DIR/containers/c1/netns.json")"
	sleep 0.2  # nothing holds the namespace any more: without --sync the kernel's cleanup would take the pair
	pm 0 netns -v destroy --sync c1
	[[ "$stderr" == *"deleted veth $veth"* ]]
	# Gone already, not just going.
	run in_host ip link show "$veth"
	[ "$status" -ne 0 ]
	nothing_left c1 "$veth"
	pm 0 netns create c1
	assert_equal "$(jq -r .host_veth "$PORTMAP_STATE_DIR/containers/c1/netns.json")" "$veth"
	[ "$(jq -r .host_veth_ifindex "$PORTMAP_STATE_DIR/containers/c1/netns.json")" != "$ifindex" ]
	# The child process that waits for the kernel's answer holds none of
	# destroy's descriptors: the state lock is free at once (--wait 0 tries once).
	pm 0 netns destroy --sync c1
	pm 0 netns --wait 0 create c1
	pm 0 netns destroy --sync c1
	nothing_left c1 "$veth"
}

@test "destroy returns once the kernel has the namespace; the veth goes by itself; a create of the same ID meanwhile waits for it" {
	allocate c1
	pm 0 netns create c1
	local veth
	veth="$(jq -r .host_veth "$PORTMAP_STATE_DIR/containers/c1/netns.json")"
	sleep 0.2  # the sockets create used inside are freed: nothing holds the namespace
	pm 0 netns -v destroy c1
	[[ "$stderr" == *"veth $veth goes with the namespace"* ]]
	[[ "$stderr" != *"deleted veth"* ]]
	[ ! -e "$PORTMAP_STATE_DIR/containers/c1/netns.json" ]
	[ ! -e "$PORTMAP_STATE_DIR/netns/c1" ]
	# Created again at once: whether the old pair was still there or not, the
	# new one has the name and works.
	pm 0 netns create c1
	assert_equal "$(jq -r .host_veth "$PORTMAP_STATE_DIR/containers/c1/netns.json")" "$veth"
	[ "$(bind0 c1)" -ge 20480 ]
	pm 0 netns destroy c1
	wait_until nothing_left c1 "$veth"
	# With a process inside, the pair is deleted explicitly.
	pm 0 netns create c1
	nsenter --net="$PORTMAP_STATE_DIR/netns/c1" sleep 600 &
	NETNS_PIDS+=($!)
	wait_until test "$(netns -j show c1 | jq .processes)" = 1
	pm 0 netns -v destroy c1
	[[ "$stderr" == *"deleted veth $veth"* ]]
	nothing_left c1 "$veth"
}

@test "destroy while an open fd (no process) holds the namespace: the veth is deleted explicitly" {
	allocate c1
	pm 0 netns create c1
	local veth
	veth="$(jq -r .host_veth "$PORTMAP_STATE_DIR/containers/c1/netns.json")"
	# A process in the host namespace holding the container's namespace open.
	sleep 600 3<"$PORTMAP_STATE_DIR/netns/c1" &
	NETNS_PIDS+=($!)
	pm 0 netns -v destroy c1
	[[ "$stderr" == *"deleted veth $veth"* ]]
	nothing_left c1 "$veth"
}

@test "status shows the host-wide settings; create applies them once, idempotently, and records them" {
	local mac
	mac="$(jqout '.[0].address' in_host ip -j link show eth0)"
	pm 0 netns -j status
	assert_equal "$(jq -r '[.recorded, .eth0, .lo, .containers] | join(" ")' <<<"$output")" "false eth0 lo 0"
	assert_equal "$(jq -r '[.settings[] | select(.ok | not)] | length > 0' <<<"$output")" true
	allocate c1
	allocate c2
	pm 0 netns -v create c1
	[[ "$stderr" == *"host: set /proc/sys/net/ipv4/conf/lo/route_localnet = 1"* ]]
	pm 0 netns status
	assert_line --regexp '^recorded: +yes$'
	assert_line --regexp '^containers: +1$'
	assert_line --regexp "^link\.lo\.address +$mac +$mac +ok +00:00:00:00:00:00\$"
	assert_line --regexp '^net\.ipv4\.conf\.lo\.route_localnet +1 +1 +ok +0$'
	pm 0 netns -j status
	assert_equal "$(jq -r '[.settings[] | select(.ok | not)] | length' <<<"$output")" 0
	# The kernel agrees: host lo has eth0's MAC and MTU.
	assert_equal "$(jqout '.[0] | "\(.address) \(.mtu)"' in_host ip -j link show lo)" "$mac 1500"
	# A second create changes no host setting.
	local record
	record="$(stat -c %i "$PORTMAP_STATE_DIR/netns-host.json")"
	pm 0 netns -v create c2
	[[ "$stderr" == *"container c2: set"* ]]
	[[ "$stderr" != *"host: set"* ]]
	assert_equal "$(stat -c %i "$PORTMAP_STATE_DIR/netns-host.json")" "$record"
	# Destroying every container keeps the host settings (as Mesos does).
	pm 0 netns destroy c1
	pm 0 netns destroy c2
	pm 0 netns -j status
	assert_equal "$(jq -r '[.settings[] | select(.ok | not)] | length' <<<"$output")" 0
}

@test "--link-ip-netns: ip netns lists and enters the container; destroy removes the link" {
	local id="pmt-$SIM_TAG"
	NETNS_IDS+=("$id")
	allocate "$id"
	pm 0 netns create "$id" --link-ip-netns
	[ -L "/run/netns/pm-$id" ]
	assert_equal "$(readlink "/run/netns/pm-$id")" "$PORTMAP_STATE_DIR/netns/$id"
	run ip netns list
	assert_line --regexp "^pm-$id( |\$)"
	run ip netns exec "pm-$id" cat /proc/sys/net/ipv4/ip_local_port_range
	assert_output "$(printf '20480\t21503')"
	assert_equal "$(jq -r .ip_netns_link "$PORTMAP_STATE_DIR/containers/$id/netns.json")" "/run/netns/pm-$id"
	# Same parameters again: fine; without the link it is a different request.
	pm 0 netns create "$id" --link-ip-netns
	pm 0 netns destroy "$id"
	[ ! -e "/run/netns/pm-$id" ]
	nothing_left "$id"
}
