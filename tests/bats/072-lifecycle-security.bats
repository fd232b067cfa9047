#!/usr/bin/env bats
# Security across the toolkit: unprivileged callers are refused before
# anything changes (77; launchers 125, naming the capability); planted
# symlinks in the state dir are never followed; IDs that could escape the
# state dir are refused (65) by every tool.

bats_require_minimum_version 1.5.0
load helpers
load 07-life-helpers

setup() {
	life_setup
	in_host pm-alloc allocate c --ports 31000 >/dev/null
	in_host pm-netns create c
	in_host pm-tc attach c
}
teardown() { life_teardown; }

# Everything an unprivileged or confused caller could have changed.
world_sum() {
	{
		state_sum
		in_host ip -br link
		in_host ip -br addr
		tc_filters
		[ -d "$BATS_TEST_TMPDIR/outside" ] && (cd "$BATS_TEST_TMPDIR/outside" && find . -printf '%p %i %s\n' | sort && find . -type f -exec sha256sum {} +)
	} | sha256sum
}

# Let nobody traverse to the state dir (bats makes its temp dirs 0700), so
# refusals come from the tools, not from the path.
traversable() {
	local d="$BATS_TEST_TMPDIR"
	while [ "$d" != /tmp ] && [ "$d" != / ]; do
		chmod o+x "$d"
		d="$(dirname "$d")"
	done
}

@test "every tool run as nobody: mutating commands exit 77 with one message, nothing changes" {
	traversable
	local before cmd tool
	before="$(world_sum)"
	while read -r cmd; do
		tool="${cmd%% *}"
		# shellcheck disable=SC2086
		pm 77 in_host "${NOBODY[@]}" $cmd
		assert_equal "$output" ""
		assert_equal "${#stderr_lines[@]}" 1
		[[ "$stderr" == "$tool: error: "* ]] || fail "$cmd: $stderr"
		[ "$(world_sum)" = "$before" ] || fail "$cmd changed something"
	done <<-EOF
		pm-alloc init --ephemeral-ports $POOL --per-container 512 --ports $PORTS
		pm-alloc allocate d
		pm-alloc update c --ports 31001
		pm-alloc release c
		pm-alloc gc
		pm-alloc gc --no-namespace
		pm-netns create d
		pm-netns destroy c
		pm-netns gc
		pm-netns gc --empty
		pm-tc setup
		pm-tc attach c
		pm-tc update c
		pm-tc detach c
		pm-tc teardown --force
		pm-stats c
	EOF
	# Launchers report a missing privilege as their own failure, 125 (77 could be
	# the command's own status; see portmap(7) EXIT STATUS), naming the capability.
	pm 125 in_host "${NOBODY[@]}" pm-netns exec c -- true
	assert_equal "${#stderr_lines[@]}" 1
	[[ "$stderr" == "pm-netns: error: "* ]]
	pm 125 as_nobody pm-rlimit-exec --nofile "$(($(ulimit -Hn) + 1))" -- echo ran
	assert_equal "$output" ""
	assert_equal "${#stderr_lines[@]}" 1
	[[ "$stderr" == "pm-rlimit-exec: error: "*"needs CAP_SYS_RESOURCE"* ]]
	# Lowering limits needs no privilege: the launcher just works for nobody,
	# and a command's own 77 passes through unchanged.
	pm 0 as_nobody pm-rlimit-exec --nofile 64 --core 0 -- sh -c 'ulimit -n'
	assert_output 64
	pm 77 as_nobody pm-rlimit-exec --nofile 64 -- sh -c 'exit 77'
	pm 125 in_host "${NOBODY[@]}" pm-run d -- true
	assert_equal "${stderr_lines[-1]}" "pm-run: error: pm-alloc allocate failed (exit 77)"
	pm 77 in_host "${NOBODY[@]}" pm-gc --older-than 0
	[[ "$stderr" == *"pm-gc: error: "*"gc failed (exit 77); stopped" ]]
	[ "$(world_sum)" = "$before" ]
	# Reading stays open to everyone.
	pm 0 as_nobody pm-alloc show c
	pm 0 as_nobody pm-netns show c
}

@test "a container directory planted as a symlink is not followed by any tool" {
	# A copy of c's records outside the state dir, linked in as container 'evil':
	# a tool following the link would remove c's veth and filters or the files.
	local out="$BATS_TEST_TMPDIR/outside"
	mkdir -p "$out"
	cp -r "$PORTMAP_STATE_DIR/containers/c" "$out/evil"
	sed -i 's/"c"/"evil"/' "$out"/evil/*.json
	ln -s "$out/evil" "$PORTMAP_STATE_DIR/containers/evil"
	local before cmd
	before="$(world_sum)"
	while read -r cmd; do
		# shellcheck disable=SC2086
		run in_host $cmd
		assert_failure
		# Refused as a symlink, or (where only real directories are looked at) unknown.
		[[ "$output" == *"error: refusing to follow symlink $PORTMAP_STATE_DIR/containers/evil in the state directory" ||
			"$output" == *"error: container 'evil' has no allocation" ]] || fail "$cmd: $output"
		[ "$(world_sum)" = "$before" ] || fail "$cmd changed something"
	done <<-EOF
		pm-alloc allocate evil
		pm-alloc update evil --ports 31001
		pm-alloc release evil
		pm-alloc show evil
		pm-netns create evil
		pm-netns destroy evil
		pm-netns show evil
		pm-tc attach evil
		pm-tc update evil
		pm-tc detach evil
		pm-tc show evil
		pm-stats evil
	EOF
	# Collectors skip it (and leave it there for an admin to look at); c is intact.
	pm 0 in_host pm-gc --older-than 0
	[ "$(world_sum)" = "$before" ]
	pm 0 in_host pm-alloc list
	refute_output --partial evil
	in_host pm-netns show c >/dev/null
	in_host pm-tc show c >/dev/null
}

@test "planted state files, handles and the lock are not followed" {
	local out="$BATS_TEST_TMPDIR/outside" before
	mkdir -p "$out"
	# A handle planted as a symlink to a file outside: destroy must not unlink or unmount it.
	in_host pm-alloc allocate h >/dev/null
	echo keep >"$out/handle-target"
	mkdir -p "$PORTMAP_STATE_DIR/netns"
	ln -s "$out/handle-target" "$PORTMAP_STATE_DIR/netns/h"
	in_host pm-netns destroy h || true
	in_host pm-netns gc || true
	assert_equal "$(cat "$out/handle-target")" keep
	# pm-netns exec does not enter what the link points to.
	run in_host pm-netns exec h -- true
	assert_failure
	# Records planted as symlinks to files outside are refused, not read or removed.
	cp "$PORTMAP_STATE_DIR/containers/c/tc.json" "$out/tc.json"
	mkdir "$PORTMAP_STATE_DIR/containers/p"
	ln -s "$out/tc.json" "$PORTMAP_STATE_DIR/containers/p/tc.json"
	ln -s "$PORTMAP_STATE_DIR/containers/c/alloc.json" "$PORTMAP_STATE_DIR/containers/p/alloc.json"
	before="$(world_sum)"
	run in_host pm-tc detach p
	assert_failure
	run in_host pm-alloc release p
	assert_failure
	run in_host pm-alloc show p
	assert_failure
	[ "$(world_sum)" = "$before" ]
	rm "$PORTMAP_STATE_DIR/containers/p/tc.json" "$PORTMAP_STATE_DIR/containers/p/alloc.json"
	rmdir "$PORTMAP_STATE_DIR/containers/p"
	# The lock planted as a symlink to a path outside: not created there.
	mv "$PORTMAP_STATE_DIR/lock" "$BATS_TEST_TMPDIR/lock.saved"
	ln -s "$out/lock-target" "$PORTMAP_STATE_DIR/lock"
	run in_host pm-alloc allocate l
	assert_failure
	run in_host pm-netns destroy c
	assert_failure
	[ ! -e "$out/lock-target" ]
	rm "$PORTMAP_STATE_DIR/lock"
	# pool.json as a symlink: allocate refuses to read through it.
	mv "$PORTMAP_STATE_DIR/pool.json" "$out/pool.json"
	ln -s "$out/pool.json" "$PORTMAP_STATE_DIR/pool.json"
	before="$(sha256sum <"$out/pool.json")"
	run in_host pm-alloc allocate q
	assert_failure
	assert_equal "$(sha256sum <"$out/pool.json")" "$before"
	[ ! -e "$PORTMAP_STATE_DIR/containers/q" ]
}

@test "IDs that could escape the state dir are refused with 65 by every tool, before anything is touched" {
	local id cmd long
	long="$(printf 'a%.0s' {1..65})"
	for id in ../../etc .. . a/b "$long" "a b" 'x;y' 'é' '*'; do
		while read -r cmd; do
			# shellcheck disable=SC2086
			command_refused 65 "invalid container ID" in_host $cmd "$id"
		done <<-EOF
			pm-alloc allocate
			pm-alloc release
			pm-alloc show
			pm-netns create
			pm-netns destroy
			pm-netns show
			pm-netns path
			pm-tc attach
			pm-tc update
			pm-tc detach
			pm-tc show
			pm-stats
		EOF
		command_refused 65 "invalid container ID" in_host pm-alloc update "$id" --ports 31001
		pm 125 in_host pm-netns exec "$id" -- true
		[[ "$stderr" == "pm-netns: error: invalid container ID"* ]]
		pm 125 in_host pm-run "$id" -- true
		assert_equal "${stderr_lines[-1]}" "pm-run: error: pm-alloc allocate failed (exit 65)"
	done
	pm 65 in_host pm-alloc allocate $'a\nb'
	[ ! -e /etc/alloc.json ] && [ ! -e "$PORTMAP_STATE_DIR/etc" ]
}
