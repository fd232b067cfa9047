#!/usr/bin/env bats
# pm-netns gc: after a crash, kill -9 or someone else's hand, the state dir
# and the kernel agree again; healthy containers are left alone.

bats_require_minimum_version 1.5.0
load helpers
load 03-netns-helpers

setup() { netns_setup; }
teardown() { netns_teardown; }

veth_of() { jq -r .host_veth "$PORTMAP_STATE_DIR/containers/$1/netns.json"; }

@test "gc removes containers whose handle, veth or record is broken; healthy ones stay" {
	local c
	for c in ok nohandle noveth corrupt; do
		allocate "$c"
		pm 0 netns create "$c"
	done
	local v_nohandle v_corrupt
	v_nohandle="$(veth_of nohandle)"
	v_corrupt="$(veth_of corrupt)"
	umount -l "$PORTMAP_STATE_DIR/netns/nohandle"
	in_host ip link del "$(veth_of noveth)"
	echo '{' >"$PORTMAP_STATE_DIR/containers/corrupt/netns.json"
	local ok_before
	ok_before="$(cat "$PORTMAP_STATE_DIR/containers/ok/netns.json")"

	pm 0 netns -v gc
	assert_line --index 0 --regexp '^ID +REASON$'
	assert_line --regexp '^corrupt +corrupt record$'
	assert_line --regexp '^nohandle +namespace handle gone$'
	assert_line --regexp "^noveth +veth pm[0-9a-f]{12} gone\$"
	assert_equal "${#lines[@]}" 4
	nothing_left nohandle "$v_nohandle"
	nothing_left noveth
	nothing_left corrupt "$v_corrupt"
	assert_equal "$(cat "$PORTMAP_STATE_DIR/containers/ok/netns.json")" "$ok_before"
	[ "$(bind0 ok)" -ge 20480 ]
	# Nothing more to do: no output, exit 0; --json gives an empty array.
	pm 0 netns gc
	assert_output ""
	pm 0 netns -j gc
	assert_output "[]"
}

@test "gc removes a handle nobody recorded (create killed before writing its record)" {
	allocate c1
	pm 0 netns create c1
	local veth
	veth="$(veth_of c1)"
	rm "$PORTMAP_STATE_DIR/containers/c1/netns.json"
	pm 0 netns -j gc
	assert_equal "$(jq -c . <<<"$output")" '[{"id":"c1","reason":"namespace handle without a record"}]'
	nothing_left c1 "$veth"
}

@test "gc --empty also removes namespaces no process lives in; without it they stay" {
	allocate idle
	allocate busy
	pm 0 netns create idle
	pm 0 netns create busy
	nsenter --net="$PORTMAP_STATE_DIR/netns/busy" sleep 600 &
	NETNS_PIDS+=($!)
	wait_until test "$(netns -j show busy | jq .processes)" = 1
	pm 0 netns gc
	assert_output ""
	pm 0 netns gc --empty
	assert_line --regexp '^idle +no process left in the namespace$'
	assert_equal "${#lines[@]}" 2
	nothing_left idle
	[ -e "$PORTMAP_STATE_DIR/containers/busy/netns.json" ]
}

@test "create killed with SIGKILL at random moments, then gc: nothing leaks and the ID works again" {
	allocate c1
	local i delay
	for i in $(seq 1 12); do
		delay="0.00$((RANDOM % 9 + 1))"
		in_host timeout -s KILL "$delay" pm-netns create c1 || true
		pm 0 netns gc
		if [ -e "$PORTMAP_STATE_DIR/containers/c1/netns.json" ]; then
			pm 0 netns destroy c1  # it had finished: a healthy container
		fi
		nothing_left c1 || { echo "after a kill at ${delay}s" >&2; return 1; }
	done
	pm 0 netns create c1
	[ "$(bind0 c1)" -ge 20480 ]
}

@test "gc as nobody: 77; with no state dir: 0" {
	pm 77 in_host setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all pm-netns gc
	[[ "$stderr" == "pm-netns: error: collecting stale container network namespaces: needs CAP_SYS_ADMIN (run as root)" ]]
	PORTMAP_STATE_DIR="$BATS_TEST_TMPDIR/none" pm 0 netns gc
	[ ! -e "$BATS_TEST_TMPDIR/none" ]
}
