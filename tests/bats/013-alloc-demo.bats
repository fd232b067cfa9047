#!/usr/bin/env bats
# The README's main job, `make demo` (scripts/demo), runs to the end and
# leaves nothing behind.

bats_require_minimum_version 1.5.0
load helpers

@test "scripts/demo runs, shows pm-alloc's main paths, and cleans up" {
	local before
	before="$(ls -d /tmp/pm-demo.* 2>/dev/null || true)"
	pm 0 "$REPO_ROOT/scripts/demo"
	assert_line --partial '$ pm-alloc allocate web --ports 31000-31009,31050'
	assert_line --regexp '^ephemeral_ports: +30001-30999$'
	assert_line --regexp '^ephemeral_ports: +21504-22527$'
	assert_line --partial 'pool exhausted'
	assert_line '# exit 75'
	assert_equal "$(ls -d /tmp/pm-demo.* 2>/dev/null || true)" "$before"
}
