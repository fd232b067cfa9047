#!/usr/bin/env bats
# Garbage collection: pm-alloc gc (opt-in release of allocations without a
# namespace) and scripts/pm-gc (every tool's gc, in order), after crashes.

bats_require_minimum_version 1.5.0
load helpers
load 07-life-helpers

setup() { life_setup; }
teardown() { life_teardown; }

ids_of() { jq -r '.[].id' | xargs; }

@test "pm-alloc gc lists allocations without a namespace; releases them only with --no-namespace" {
	in_host pm-alloc allocate lone >/dev/null                  # allocated, namespace not created yet
	in_host pm-alloc allocate live >/dev/null
	in_host pm-netns create live
	in_host pm-alloc allocate lost --ports 31000 >/dev/null
	in_host pm-netns create lost
	umount "$PORTMAP_STATE_DIR/netns/lost"                      # as after a reboot: the handle is gone
	local before
	before="$(state_sum)"

	pm 0 in_host pm-alloc gc
	assert_line --index 0 --regexp '^ID +EPHEMERAL +PORTS +REASON +RELEASED$'
	assert_line --index 1 --regexp '^lone +20480-20991 +- +no netns.json +false$'
	assert_line --index 2 --regexp "^lost +21504-22015 +31000 +namespace handle $PORTMAP_STATE_DIR/netns/lost is gone +false$"
	assert_equal "${#lines[@]}" 3
	[ "$(state_sum)" = "$before" ]

	# --older-than protects recent allocations (a launch in progress).
	pm 0 in_host pm-alloc -j gc --no-namespace --older-than 3600
	assert_equal "$(jq -c '[.[] | [.id, .reason, .released]]' <<<"$output")" \
		"[[\"lone\",\"no netns.json\",false],[\"lost\",\"namespace handle $PORTMAP_STATE_DIR/netns/lost is gone\",false]]"
	[ "$(state_sum)" = "$before" ]
	touch -d '-2 hours' "$PORTMAP_STATE_DIR/containers/lone/alloc.json"
	pm 0 in_host pm-alloc -j gc --no-namespace --older-than 3600
	assert_equal "$(jq -c '[.[] | [.id, .released]]' <<<"$output")" '[["lone",true],["lost",false]]'
	assert_equal "$(in_host pm-alloc -j list | ids_of)" "live lost"

	pm 0 in_host pm-alloc -v gc --no-namespace
	assert_equal "$(jq -c '.' <<<"$(in_host pm-alloc -j gc)")" '[]'
	[[ "$stderr" == *"released the allocation of 'lost' (namespace handle "*" is gone)"* ]]
	assert_equal "$(in_host pm-alloc -j list | ids_of)" "live"
	# A container with its namespace is never touched; nothing to report: no output.
	pm 0 in_host pm-alloc gc --no-namespace
	assert_output ""
	in_host pm-netns destroy live
	in_host pm-netns destroy lost
	in_host pm-alloc release live
}

@test "pm-alloc gc removes what killed writers left and keeps corrupt records" {
	in_host pm-alloc allocate ok >/dev/null
	in_host pm-netns create ok
	# An allocate killed before its rename: a directory with only a temp file.
	mkdir "$PORTMAP_STATE_DIR/containers/half"
	echo '{"id":' >"$PORTMAP_STATE_DIR/containers/half/.alloc.json.Ab12Cd"
	echo '{' >"$PORTMAP_STATE_DIR/.pool.json.Xy34Zw"
	echo '{' >"$PORTMAP_STATE_DIR/containers/ok/.alloc.json.Qq99Rr"
	# A corrupt record (not pm-alloc's doing, but gc must get past it).
	mkdir "$PORTMAP_STATE_DIR/containers/bad"
	echo 'not json' >"$PORTMAP_STATE_DIR/containers/bad/alloc.json"
	pm 0 in_host pm-alloc gc --no-namespace
	assert_output ""
	[[ "$stderr" == "pm-alloc: warning: "*"/containers/bad/alloc.json"*"kept (pm-alloc release bad removes it)" ]]
	[ ! -e "$PORTMAP_STATE_DIR/containers/half" ]
	[ ! -e "$PORTMAP_STATE_DIR/.pool.json.Xy34Zw" ]
	[ ! -e "$PORTMAP_STATE_DIR/containers/ok/.alloc.json.Qq99Rr" ]
	[ -e "$PORTMAP_STATE_DIR/containers/bad/alloc.json" ]
	assert_equal "$(ls -A "$PORTMAP_STATE_DIR/containers/ok" | xargs)" "alloc.json netns.json"
	in_host pm-alloc release bad 2>/dev/null
	in_host pm-netns destroy ok
	in_host pm-alloc release ok
}

@test "pm-alloc gc: bad values, no state dir, unprivileged" {
	in_host pm-alloc allocate a >/dev/null
	local v
	for v in -1 abc '' 1s; do
		command_refused 65 "not a number of seconds" in_host pm-alloc gc --no-namespace --older-than "$v"
	done
	command_refused 64 "" in_host pm-alloc gc --bogus
	command_refused 64 "" in_host pm-alloc gc extra
	# Releasing needs root; so does cleaning up (it takes the exclusive lock).
	command_refused 77 "needs root" as_nobody pm-alloc gc --no-namespace
	command_refused 77 "needs root" as_nobody pm-alloc gc
	# No state dir: nothing to collect, nothing created.
	pm 0 pm-alloc --state-dir "$BATS_TEST_TMPDIR/none" gc --no-namespace
	assert_output ""
	[ ! -e "$BATS_TEST_TMPDIR/none" ]
}

@test "pm-gc after pm-run was SIGKILLed: a running job keeps its container; once it ended, nothing is left" {
	start_run crash --ports 31000
	wait_ready crash
	local job
	job="$(cat "$BATS_TEST_TMPDIR/crash/ready")"
	kill -KILL "$RUN_PID"
	finish "$RUN_PID"
	# The job outlives pm-run and still owns its container: pm-gc must not take it away.
	local before
	before="$(state_sum)"
	pm 0 in_host pm-gc --older-than 0
	[ "$(state_sum)" = "$before" ]
	run peer_get 31000
	assert_output "pong 31000"
	# Without --empty a namespace with no process left is kept too (a launch may be about to exec).
	kill -9 "$job"
	WAIT_SECONDS=5 wait_until not_alive "$job"
	pm 0 in_host pm-gc --older-than 0
	[ "$(state_sum)" = "$before" ]
	pm 0 in_host pm-gc --empty --older-than 0
	assert_line "pm-netns gc:"
	assert_line --regexp '^crash +no process left in the namespace$'
	assert_line "pm-alloc gc:"
	assert_line --regexp '^crash +21504-22015|20480-20991 +31000 +no netns.json +true$'
	# pm-tc gc ran again after pm-netns gc removed the veth.
	assert_line "pm-tc gc:"
	gone crash
}

@test "pm-gc: allocations without a namespace are released after --older-than (default 60 s); --keep-allocations only lists" {
	in_host pm-alloc allocate fresh >/dev/null
	pm 0 in_host pm-gc
	assert_line --regexp '^fresh +.* +no netns.json +false$'
	pm 0 in_host pm-gc --older-than 0 --keep-allocations
	assert_line --regexp '^fresh +.* +false$'
	touch -d '-61 seconds' "$PORTMAP_STATE_DIR/containers/fresh/alloc.json"
	pm 0 in_host pm-gc --keep-allocations
	assert_line --regexp '^fresh +.* +false$'
	pm 0 in_host pm-gc
	assert_line --regexp '^fresh +.* +true$'
	pm 0 in_host pm-alloc -j list
	assert_output "[]"
}

@test "pm-gc: --state-dir is passed on; usage errors exit 64" {
	local other="$BATS_TEST_TMPDIR/other"
	in_host pm-alloc --state-dir "$other" init --ephemeral-ports "$POOL" --per-container 512 >/dev/null
	in_host pm-alloc --state-dir "$other" allocate x >/dev/null
	in_host pm-alloc allocate y >/dev/null
	pm 0 in_host pm-gc --state-dir "$other" --older-than=0
	assert_line --regexp '^x +.* +true$'
	refute_line --regexp '^y '
	[ -e "$PORTMAP_STATE_DIR/containers/y/alloc.json" ]
	local a
	for a in --bogus extra --state-dir --older-than; do
		pm 64 in_host pm-gc $a
		assert_equal "${#stderr_lines[@]}" 1
		[[ "$stderr" == "pm-gc: error: "* ]]
	done
	pm 0 pm-gc --help
	assert_output --regexp '^Usage: pm-gc '
	pm 0 pm-gc --version
	assert_output "pm-gc $(cat "$REPO_ROOT/VERSION")"
}

@test "pm-gc: runs each tool's gc in order, skips a tool without gc, repeats pm-tc gc after pm-netns gc removed something, stops at the first failure" {
	# Stand-in tools that log their calls; pm-tc has no gc unless TC_GC is set.
	local fake="$BATS_TEST_TMPDIR/fake" t
	mkdir -p "$fake"
	for t in pm-tc pm-netns pm-alloc; do
		cat >"$fake/$t" <<-EOS
			#!/bin/sh
			if [ "\$1" = --help ]; then
			  echo "Subcommands:"; [ $t = pm-tc ] && [ -z "\${TC_GC:-}" ] || echo "  gc   collect"; exit 0
			fi
			echo "$t \$* state=\$PORTMAP_STATE_DIR" >>"$BATS_TEST_TMPDIR/calls"
			[ -z "\${SAY_$(echo $t | tr - _):-}" ] || echo "\$SAY_$(echo $t | tr - _)"
			exit \${FAIL_$(echo $t | tr - _):-0}
		EOS
		chmod +x "$fake/$t"
	done
	PATH="$fake:$PATH" pm 0 pm-gc --state-dir /x -v --empty
	assert_equal "$stderr" "pm-gc: note: pm-tc has no gc command yet; skipped"
	run cat "$BATS_TEST_TMPDIR/calls"
	assert_output "pm-netns gc -v --empty state=/x
pm-alloc gc -v --no-namespace --older-than 60 state=/x"
	rm "$BATS_TEST_TMPDIR/calls"
	# When pm-netns gc removed something, pm-tc gc runs again for its filters.
	TC_GC=1 PATH="$fake:$PATH" pm 0 pm-gc
	assert_equal "$(cut -d' ' -f1,2 "$BATS_TEST_TMPDIR/calls" | xargs)" "pm-tc gc pm-netns gc pm-alloc gc"
	rm "$BATS_TEST_TMPDIR/calls"
	SAY_pm_netns="c1 veth gone" TC_GC=1 PATH="$fake:$PATH" pm 0 pm-gc
	assert_equal "$(cut -d' ' -f1,2 "$BATS_TEST_TMPDIR/calls" | xargs)" "pm-tc gc pm-netns gc pm-tc gc pm-alloc gc"
	assert_line "pm-netns gc:"
	rm "$BATS_TEST_TMPDIR/calls"
	FAIL_pm_netns=75 PATH="$fake:$PATH" pm 75 pm-gc
	[[ "$stderr" == *"pm-gc: error: pm-netns gc failed (exit 75); stopped" ]]
	run cat "$BATS_TEST_TMPDIR/calls"
	assert_output --regexp '^pm-netns gc  ?state='
}
