#!/usr/bin/env bats
# Leak check at the end of the pm-netns files: a full cycle leaves no
# namespace handle, nsfs mount, veth, /run/netns link or state behind, and
# nothing from 030-038 is left on this machine either.

bats_require_minimum_version 1.5.0
load helpers
load 03-netns-helpers

setup() { netns_setup; }
teardown() { netns_teardown; }

# nsfs mounts under this test's state dir (other work on the machine may mount its own).
nsfs_mounts() { grep ' - nsfs ' /proc/self/mountinfo | grep -c " $PORTMAP_STATE_DIR/" || true; }

@test "a create/destroy cycle (own, adopted, linked, failed) leaves nothing behind" {
	local id="pmt-$SIM_TAG" mounts_before
	NETNS_IDS+=("$id")
	mounts_before="$(nsfs_mounts)"
	allocate c1
	allocate c2
	allocate "$id"
	start_sleeper
	pm 0 netns create c1
	pm 0 netns create c2 --pid "$SLEEPER"
	pm 0 netns create "$id" --link-ip-netns
	run env PORTMAP_FAIL_AFTER_STEP=3 nsenter --net="/run/netns/$SIM_HOST" pm-netns create c1 --pid "$SLEEPER"
	pm 0 netns destroy c1
	pm 0 netns destroy c2
	pm 0 netns destroy "$id"
	for c in c1 c2 "$id"; do nothing_left "$c"; done
	assert_equal "$(nsfs_mounts)" "$mounts_before"
	assert_equal "$mounts_before" 0
	run ls "$PORTMAP_STATE_DIR/netns"
	assert_output ""
	# Only pm-alloc's files remain per container.
	run find "$PORTMAP_STATE_DIR/containers" -type f
	assert_equal "$(sort <<<"$output" | sed "s|$PORTMAP_STATE_DIR/||" | tr '\n' ' ')" \
		"containers/c1/alloc.json containers/c2/alloc.json containers/$id/alloc.json "
	kill -0 "$SLEEPER"
}

@test "nothing of the pm-netns tests is left on this machine" {
	# No namespace handle mounted from a test state dir.
	run grep -E ' /tmp/bats-run-[^ ]*/state/netns(/| )' /proc/self/mountinfo
	assert_output ""
	# No /run/netns link of a test container.
	run sh -c 'ls /run/netns 2>/dev/null | grep "^pm-pmt-"'
	assert_output ""
	# No test process left sleeping in a namespace.
	run pgrep -f '^sleep 600$'
	assert_output ""
	# No pm* veth in this machine's namespace (pm-netns never runs here in tests).
	run sh -c "ip -o link | awk -F': ' '{print \$2}' | grep '^pm[0-9a-f]'"
	assert_output ""
	# (make check ends with tests/leak-check for the whole suite.)
}
