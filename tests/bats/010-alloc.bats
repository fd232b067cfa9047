#!/usr/bin/env bats
# pm-alloc: every subcommand, output forms, idempotence, and each exit status
# it can produce (bad inputs in detail: 011; concurrency and kill -9: 012).

bats_require_minimum_version 1.5.0
load helpers
load 01-alloc-helpers

@test "init defines the pool and prints it like status" {
	pm 0 alloc init --ephemeral-ports 20480-24575 --ports 31000-32000
	assert_line --regexp '^ephemeral_ports: +20480-24575$'
	assert_line --regexp '^per_container: +1024$'
	assert_line --regexp '^host_ephemeral_ports: +32768-60999$'
	assert_line --regexp '^more_containers_fit: +4$'
	run jq -c . "$PORTMAP_STATE_DIR/pool.json"
	assert_output '{"ephemeral_ports":[{"begin":20480,"end":24575}],"per_container":1024,"ports":[{"begin":31000,"end":32000}]}'
	[ "$(stat -c %a "$PORTMAP_STATE_DIR")" = 755 ]
	[ "$(stat -c %a "$PORTMAP_STATE_DIR/pool.json")" = 644 ]
}

@test "init again with the same values is a no-op; a change that fits is applied" {
	pm 0 alloc init --ephemeral-ports 20480-24575 --ports 31000-32000
	local before
	before="$(state_sum)"
	pm 0 alloc -v init --ephemeral-ports '[20480-24575]' --per-container 1024 --ports 31000-32000
	assert_equal "$(state_sum)" "$before"
	[[ "$stderr" == *"pool unchanged"* ]]
	pm 0 alloc allocate web --ports 31000-31009
	# Growing the pool and the ports keeps web's allocation valid.
	pm 0 alloc -v init --ephemeral-ports 20480-28671 --ports 30000-32000
	[[ "$stderr" == *"wrote $PORTMAP_STATE_DIR/pool.json"* ]]
	assert_line --regexp '^more_containers_fit: +7$'
	pm 0 alloc show web
	assert_line --regexp '^ephemeral_ports: +20480-21503$'
}

@test "allocate: first fit, aligned to the block size (pool 30001-30999, N=512 -> 30208-30719)" {
	pm 0 alloc init --ephemeral-ports 30001-30999 --per-container 512
	pm 0 alloc allocate a
	assert_output "$(printf 'id:              a\nephemeral_ports: 30208-30719\nports:           -')"
	pm 75 alloc allocate b
	[[ "$stderr" == "pm-alloc: error: pool exhausted: ephemeral ports 30001-30999 fit 1 container (512 ports each), all in use"* ]]
	[ ! -e "$PORTMAP_STATE_DIR/containers/b" ]
}

@test "allocate hands out the lowest free block and reuses released ones" {
	pm 0 alloc init --ephemeral-ports 20480-24575
	for id in a b c d; do pm 0 alloc allocate "$id"; done
	pm 0 alloc --json show c
	assert_equal "$(jq -c .ephemeral_ports <<<"$output")" '{"begin":22528,"end":23551}'
	pm 75 alloc allocate e
	[[ "$stderr" == *"fit 4 containers (1024 ports each), all in use (release one or place 'e' elsewhere)" ]]
	pm 0 alloc release b
	pm 0 alloc --json allocate e
	assert_equal "$(jq -c .ephemeral_ports <<<"$output")" '{"begin":21504,"end":22527}'
}

@test "allocate records non-ephemeral ports; --json prints the record as stored" {
	pm 0 alloc init --ephemeral-ports 20480-24575 --ports 31000-32000
	pm 0 alloc --json allocate web --ports '31000-31009,31050'
	assert_equal "$(jq -c . <<<"$output")" \
		'{"id":"web","ephemeral_ports":{"begin":20480,"end":21503},"ports":[{"begin":31000,"end":31009},{"begin":31050,"end":31050}]}'
	assert_equal "$(jq -c . "$PORTMAP_STATE_DIR/containers/web/alloc.json")" "$(jq -c . <<<"$output")"
	pm 0 alloc allocate db --ports '[31010-31049]'
	assert_line --regexp '^ports: +31010-31049$'
}

@test "allocate of an existing ID: same ports exit 0 without change, other ports 73" {
	pm 0 alloc init --ephemeral-ports 20480-24575 --ports 31000-32000
	pm 0 alloc allocate web --ports 31000-31009
	local first="$output" before
	before="$(state_sum)"
	pm 0 alloc allocate web --ports 31000-31009
	assert_equal "$output" "$first"
	assert_equal "$(state_sum)" "$before"
	refused 73 "container 'web' is already allocated with ports 31000-31009 \(use pm-alloc update" allocate web --ports 31000-31010
	refused 73 "already allocated" allocate web
}

@test "update changes the non-ephemeral ports, never the block; same ports is a no-op" {
	pm 0 alloc init --ephemeral-ports 20480-24575 --ports 31000-32000
	pm 0 alloc allocate a
	pm 0 alloc allocate web --ports 31000-31009
	pm 0 alloc update web --ports 31000-31019,31500
	assert_output "$(printf 'id:              web\nephemeral_ports: 21504-22527\nports:           31000-31019,31500')"
	local before
	before="$(state_sum)"
	pm 0 alloc update web --ports 31500,31000-31019
	assert_equal "$(state_sum)" "$before"
	pm 0 alloc --json update web --ports ''
	assert_equal "$(jq -c .ports <<<"$output")" '[]'
	# The freed ports are free for others again.
	pm 0 alloc allocate other --ports 31000-31019
}

@test "release frees the block and removes the record; releasing again or an unknown ID exits 0" {
	pm 0 alloc init --ephemeral-ports 20480-24575 --ports 31000-32000
	pm 0 alloc allocate web --ports 31000
	pm 0 alloc -v release web
	assert_output ''
	[[ "$stderr" == *"released the allocation of 'web'"* ]]
	[ ! -e "$PORTMAP_STATE_DIR/containers/web" ]
	pm 0 alloc release web
	pm 0 alloc --json release never-was
	assert_equal "$(jq -c . <<<"$output")" '{"id":"never-was","released":false}'
	pm 0 alloc allocate web2 --ports 31000
	pm 0 alloc --json release web2
	assert_equal "$(jq -c . <<<"$output")" '{"id":"web2","released":true}'
}

@test "release keeps the files other tools own in the container's directory" {
	pm 0 alloc init --ephemeral-ports 20480-24575
	pm 0 alloc allocate web
	echo '{}' >"$PORTMAP_STATE_DIR/containers/web/netns.json"
	pm 0 alloc release web
	[ ! -e "$PORTMAP_STATE_DIR/containers/web/alloc.json" ]
	[ -e "$PORTMAP_STATE_DIR/containers/web/netns.json" ]
	pm 0 alloc list
	assert_output 'ID  EPHEMERAL  PORTS'
}

@test "release removes a corrupt record, with a warning" {
	pm 0 alloc init --ephemeral-ports 20480-24575
	pm 0 alloc allocate web
	echo '{"id": "web", "ephem' >"$PORTMAP_STATE_DIR/containers/web/alloc.json"
	pm 0 alloc release web
	[[ "$stderr" == "pm-alloc: warning: corrupt state file "*"; removing it" ]]
	[ ! -e "$PORTMAP_STATE_DIR/containers/web" ]
}

@test "show prints one record; unknown IDs exit 66" {
	pm 0 alloc init --ephemeral-ports 20480-24575 --ports 31000-32000
	pm 0 alloc allocate web --ports 31000-31009
	pm 0 alloc show web
	assert_output "$(printf 'id:              web\nephemeral_ports: 20480-21503\nports:           31000-31009')"
	pm 0 alloc show --json web
	assert_equal "$(jq -r '.ephemeral_ports.end' <<<"$output")" 21503
	refused 66 "container 'ghost' has no allocation" show ghost
	refused 66 "container 'ghost' has no allocation" update ghost --ports 31000
}

@test "list: aligned columns, or one JSON array" {
	pm 0 alloc list
	assert_output 'ID  EPHEMERAL  PORTS'
	pm 0 alloc --json list
	assert_output '[]'
	pm 0 alloc init --ephemeral-ports 20480-24575 --ports 31000-32000
	pm 0 alloc allocate web-frontend-1 --ports 31000-31009,31050
	pm 0 alloc allocate db
	pm 0 alloc list
	assert_output "$(printf '%s\n' \
		'ID              EPHEMERAL    PORTS' \
		'db              21504-22527  -' \
		'web-frontend-1  20480-21503  31000-31009,31050')"
	pm 0 alloc list --json
	assert_equal "$(jq -r 'map(.id) | join(" ")' <<<"$output")" "db web-frontend-1"
}

@test "status: pool, used and free blocks, how many more containers fit" {
	pm 0 alloc init --ephemeral-ports 20480-24575 --ports 31000-32000 --per-container 512
	pm 0 alloc allocate a --ports 31000-31099
	pm 0 alloc allocate b
	pm 0 alloc --json status
	assert_equal "$(jq -c '[.blocks_total, .blocks_used, .blocks_free, .more_containers_fit]' <<<"$output")" '[8,2,6,6]'
	assert_equal "$(jq -c '.host_ephemeral_ports' <<<"$output")" '{"begin":32768,"end":60999}'
	assert_equal "$(jq -c '.ephemeral_free' <<<"$output")" '[{"begin":21504,"end":24575}]'
	assert_equal "$(jq -c '.ports_free' <<<"$output")" '[{"begin":31100,"end":32000}]'
	pm 0 alloc status
	assert_line --regexp '^blocks_used: +2$'
	assert_line --regexp '^ports_free: +31100-32000$'
}

@test "status warns when the host's range has come to overlap the pool" {
	pm 0 alloc init --ephemeral-ports 20480-24575
	HOST_RANGE="20000 40000"
	pm 0 alloc status
	[[ "$stderr" == "pm-alloc: warning: the host's net.ipv4.ip_local_port_range 20000-40000 now overlaps the ephemeral ports 20480-24575" ]]
}

@test "the host's ephemeral range comes from the netns pm-alloc runs in (73 on overlap)" {
	HOST_RANGE="20000 21000"
	refused 73 "overlap the host's net.ipv4.ip_local_port_range 20000-21000" init --ephemeral-ports 20480-24575
	[ ! -e "$PORTMAP_STATE_DIR" ]
	HOST_RANGE="50000 60999"
	pm 0 alloc init --ephemeral-ports 32768-40959
	# Inside the simulated host too (nsenter, as the other tools are run).
	sim_host_create
	export PORTMAP_STATE_DIR="$BATS_TEST_TMPDIR/state2"
	pm 73 in_host pm-alloc init --ephemeral-ports 32768-40959
	[[ "$stderr" == *"ip_local_port_range 32768-60999"* ]]
	pm 0 in_host pm-alloc init --ephemeral-ports 20480-24575
}

@test "no pool yet: allocate/status exit 66 and create nothing; list is empty" {
	refused 66 "no pool defined in $PORTMAP_STATE_DIR \(run pm-alloc init first\)" allocate web
	[ ! -e "$PORTMAP_STATE_DIR" ]
	refused 66 "no pool defined" status
	refused 66 "has no allocation" show web
	pm 0 alloc release web
	pm 0 alloc list
	[ ! -e "$PORTMAP_STATE_DIR" ]
}

@test "--state-dir wins over \$PORTMAP_STATE_DIR" {
	local other="$BATS_TEST_TMPDIR/other"
	pm 0 alloc --state-dir "$other" init --ephemeral-ports 20480-24575
	pm 0 alloc allocate web --state-dir "$other"
	[ -e "$other/containers/web/alloc.json" ]
	[ ! -e "$PORTMAP_STATE_DIR" ]
}

@test "-v says what changed in the state dir" {
	pm 0 alloc -v init --ephemeral-ports 20480-24575 --ports 31000-32000
	[[ "$stderr" == "pm-alloc: wrote $PORTMAP_STATE_DIR/pool.json: ephemeral ports 20480-24575, 1024 per container, ports 31000-32000" ]]
	pm 0 alloc -v allocate web --ports 31000
	[[ "$stderr" == "pm-alloc: allocated ephemeral ports 20480-21503 to 'web' in $PORTMAP_STATE_DIR/containers/web/alloc.json" ]]
	pm 0 alloc allocate web --ports 31000
	assert_equal "$stderr" ""
}

@test "exit 64: usage errors" {
	pm 0 alloc init --ephemeral-ports 20480-24575
	refused 64 "A subcommand is required" 
	refused 64 "not expected: --bogus" allocate web --bogus
	refused 64 "ID is required" allocate
	refused 64 "--ports is required" update web
	refused 64 "--ephemeral-ports is required" init
	refused 64 "A subcommand is required" frobnicate
	refused 64 "" allocate web extra
}

@test "exit 75: the state lock stays busy past --wait" {
	pm 0 alloc init --ephemeral-ports 20480-24575
	local fifo="$BATS_TEST_TMPDIR/fifo"
	mkfifo "$fifo"
	flock "$PORTMAP_STATE_DIR/lock" sh -c 'echo locked; exec cat' <"$fifo" >"$BATS_TEST_TMPDIR/flock.out" &
	local holder=$!
	exec 8>"$fifo"
	wait_until grep -q locked "$BATS_TEST_TMPDIR/flock.out"
	refused 75 "state lock $PORTMAP_STATE_DIR/lock is busy" --wait 0 allocate web
	refused 75 "is busy" --wait 0.2 release web
	# Readers wait for writers too (shared lock).
	refused 75 "is busy" --wait 0 list
	exec 8>&-
	wait "$holder"
	pm 0 alloc --wait 0 allocate web
}

@test "exit 77: changing the state needs root; reading does not" {
	pm 0 alloc init --ephemeral-ports 20480-24575 --ports 31000-32000
	pm 0 alloc allocate web --ports 31000
	# Let nobody reach the state dir (bats makes its temp dirs 0700).
	local d="$BATS_TEST_TMPDIR"
	while [ "$d" != /tmp ] && [ "$d" != / ]; do
		chmod o+x "$d"
		d="$(dirname "$d")"
	done
	local before
	before="$(state_sum)"
	run --separate-stderr as_nobody pm-alloc allocate db
	assert_equal "$status" 77
	[[ "$stderr" == "pm-alloc: error: cannot open lock file $PORTMAP_STATE_DIR/lock: Permission denied (changing $PORTMAP_STATE_DIR needs root)" ]]
	for args in "release web" "update web --ports 31001" "init --ephemeral-ports 20480-28671"; do
		# shellcheck disable=SC2086
		run --separate-stderr as_nobody pm-alloc $args
		assert_equal "$status" 77
		[[ "$stderr" == "pm-alloc: error: "*"Permission denied (changing $PORTMAP_STATE_DIR needs root)" ]]
	done
	assert_equal "$(state_sum)" "$before"
	run --separate-stderr as_nobody pm-alloc show web
	assert_equal "$status" 0
	run --separate-stderr as_nobody pm-alloc list
	assert_equal "$status" 0
	assert_line --regexp '^web +20480-21503 +31000$'
	# A state dir nobody may create.
	run --separate-stderr as_nobody pm-alloc --state-dir "$BATS_TEST_TMPDIR/new" init --ephemeral-ports 20480-24575
	assert_equal "$status" 77
	[ ! -e "$BATS_TEST_TMPDIR/new" ]
}

@test "exit 1: the state dir path is not a directory; planted symlinks are not followed" {
	echo x >"$BATS_TEST_TMPDIR/file"
	pm 1 alloc --state-dir "$BATS_TEST_TMPDIR/file" init --ephemeral-ports 20480-24575
	[[ "$stderr" == *"exists and is not a directory" ]]
	pm 0 alloc init --ephemeral-ports 20480-24575
	mkdir "$BATS_TEST_TMPDIR/elsewhere"
	echo '{"id":"evil","ephemeral_ports":{"begin":20480,"end":21503},"ports":[]}' >"$BATS_TEST_TMPDIR/elsewhere/alloc.json"
	ln -s "$BATS_TEST_TMPDIR/elsewhere" "$PORTMAP_STATE_DIR/containers/evil"
	refused 1 "refusing to follow symlink" show evil
	refused 1 "refusing to follow symlink" release evil
	refused 1 "refusing to follow symlink" allocate evil
	[ -e "$BATS_TEST_TMPDIR/elsewhere/alloc.json" ]
	# Ignored by list, and its block is not counted as used.
	pm 0 alloc allocate web
	assert_line --regexp '^ephemeral_ports: +20480-21503$'
}

@test "-h, --help and --version" {
	pm 0 pm-alloc -h
	assert_line --partial 'Usage: pm-alloc [OPTIONS] SUBCOMMAND'
	pm 0 pm-alloc allocate --help
	assert_line --partial '--ports RANGES'
	pm 0 pm-alloc --version
	assert_output "pm-alloc $(cat "$REPO_ROOT/VERSION")"
}
