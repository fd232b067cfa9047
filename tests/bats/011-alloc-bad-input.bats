#!/usr/bin/env bats
# pm-alloc bad inputs: each is refused with one "pm-alloc: error:" line, the
# conventions' exit status, nothing on stdout, and the state dir unchanged
# (`refused` compares a fingerprint of names, inodes, modes and contents).

bats_require_minimum_version 1.5.0
load helpers
load 01-alloc-helpers

setup() {
	default_setup
	# Host range 32768-60999; pool: 4 blocks of 1024, ports 31000-32000.
	alloc init --ephemeral-ports 20480-24575 --ports 31000-32000 >/dev/null
	alloc allocate web --ports 31000-31009 >/dev/null
	alloc allocate db --ports 31100 >/dev/null
}

# --- port ranges ------------------------------------------------------------

@test "reversed range" {
	refused 65 "invalid port range '24575-20480': reversed range 24575-20480 \(write it low-high\)" \
		init --ephemeral-ports 24575-20480
	refused 65 "reversed range" allocate new --ports 31010-31005
}

@test "malformed ranges" {
	refused 65 "invalid port range '20480-': missing port number" init --ephemeral-ports 20480-
	refused 65 "'abc' is not a port number" init --ephemeral-ports abc
	refused 65 "empty item in list" init --ephemeral-ports 20480-24575,,30000
	refused 65 "'1-2-3' is not a port number|is not a port number" allocate new --ports 1-2-3
	refused 65 "missing closing" allocate new --ports '[31010-31020'
	refused 65 "not a port number" allocate new --ports ' 31010 31011'
}

@test "port 0 and 65536" {
	refused 65 "port 0 is outside 1-65535" init --ephemeral-ports 0-4095
	refused 65 "port 65536 is outside 1-65535" init --ephemeral-ports 61440-65536
	refused 65 "port 0 is outside 1-65535" allocate new --ports 0
	refused 65 "port 65536 is outside 1-65535" update web --ports 65536
}

@test "empty ephemeral pool" {
	refused 65 "the ephemeral pool is empty" init --ephemeral-ports ''
	refused 65 "the ephemeral pool is empty" init --ephemeral-ports '[]'
}

# --- block size -------------------------------------------------------------

@test "--per-container not a power of two" {
	refused 65 "invalid --per-container 1000: not a power of two" init --ephemeral-ports 20480-24575 --per-container 1000
	refused 65 "not a power of two" init --ephemeral-ports 20480-24575 --per-container 48
}

@test "--per-container below 16, above 32768, or not a number" {
	refused 65 "invalid --per-container 8: each container needs at least 16 ephemeral ports" \
		init --ephemeral-ports 20480-24575 --per-container 8
	refused 65 "needs at least 16" init --ephemeral-ports 20480-24575 --per-container 0
	refused 65 "at most 32768" init --ephemeral-ports 20480-24575 --per-container 65536
	refused 65 "invalid --per-container 'abc': not a number of ports" init --ephemeral-ports 20480-24575 --per-container abc
	refused 65 "invalid --per-container '-16'" init --ephemeral-ports 20480-24575 --per-container=-16
	refused 65 "invalid --per-container '99999999999999999999999'" \
		init --ephemeral-ports 20480-24575 --per-container 99999999999999999999999
}

@test "a pool with no aligned block of N" {
	refused 65 "ephemeral ports 30001-30999 hold no block of 1024 ports aligned to its size \(the largest block that fits is 512\)" \
		init --ephemeral-ports 30001-30999
	refused 65 "not even a block of 16 fits" init --ephemeral-ports 20001-20015 --per-container 16
}

# --- pool conflicts (73) ----------------------------------------------------

@test "ephemeral ports below 1024" {
	refused 73 "ephemeral ports 512-2047 overlap the well-known ports 1-1023 \(512-1023\)" \
		init --ephemeral-ports 512-2047 --per-container 512
}

@test "ephemeral ports overlapping --ports" {
	refused 73 "ephemeral ports 30720-31743 overlap the non-ephemeral --ports 31000-32000 \(31000-31743\)" \
		init --ephemeral-ports 30720-31743 --ports 31000-32000
}

@test "ephemeral ports overlapping the host's ip_local_port_range" {
	refused 73 "overlap the host's net.ipv4.ip_local_port_range 32768-60999 \(choose ports outside it" \
		init --ephemeral-ports 32768-36863 --ports 31000-32000
	HOST_RANGE="10000 20480"
	refused 73 "ip_local_port_range 10000-20480" init --ephemeral-ports 20480-24575 --ports 31000-32000
}

@test "changing the pool so that an allocation no longer fits" {
	refused 73 "cannot change the pool: container 'db' does not fit it: its ephemeral block 21504-22527 lies outside" \
		init --ephemeral-ports 20480-21503 --ports 31000-32000
	refused 73 "container 'db' does not fit it: its ephemeral block 21504-22527 is not an aligned block of 512 ports" \
		init --ephemeral-ports 20480-24575 --per-container 512 --ports 31000-32000
	refused 73 "container 'db' does not fit it: its ports 31100 lie outside the managed ports 31000-31099" \
		init --ephemeral-ports 20480-24575 --ports 31000-31099
}

# --- container IDs ----------------------------------------------------------

@test "bad container IDs, before any state is touched" {
	local long
	long="$(printf 'x%.0s' {1..65})"
	for id in '../x' '..' '.' '-a' '_a' '.hidden' 'a/b' 'a b' 'é' "$long" ''; do
		refused 65 "invalid container ID '.*': use 1-64 characters" allocate -- "$id"
		refused 65 "invalid container ID" release -- "$id"
		refused 65 "invalid container ID" show -- "$id"
		refused 65 "invalid container ID" update --ports 31500 -- "$id"
	done
	# Without "--" a leading dash reads as an option: a usage error, still nothing changed.
	refused 64 "ID is required" allocate -a
}

# --- non-ephemeral ports ----------------------------------------------------

@test "ports another container owns" {
	refused 73 "ports 31005-31009 already belong to container 'web'" allocate new --ports 31005-31020
	refused 73 "port 31100 already belongs to container 'db'" update web --ports 31100
}

@test "ports outside the pool's --ports (also inside the ephemeral pool, or below 1024)" {
	refused 65 "port 80 is not managed by the pool \(its non-ephemeral ports: 31000-32000\)" allocate new --ports 80
	refused 65 "ports 32001-32010 are not managed by the pool" allocate new --ports 31990-32010
	refused 65 "port 20480 is not managed" update web --ports 20480
}

@test "allocate of an allocated ID with other ports" {
	refused 73 "container 'web' is already allocated with ports 31000-31009" allocate web --ports 31000-31019
}

@test "unknown ID" {
	refused 66 "container 'ghost' has no allocation" update ghost --ports 31500
	refused 66 "container 'ghost' has no allocation" show ghost
}

# --- corrupt state ----------------------------------------------------------

@test "corrupt pool.json: not JSON, wrong shape, impossible values" {
	local pool="$PORTMAP_STATE_DIR/pool.json" bad
	for bad in 'garbage' '{"ephemeral_ports": [' '[]' '{"ephemeral_ports":[{"begin":20480,"end":24575}]}' \
		'{"ephemeral_ports":[{"begin":20480,"end":24575}],"per_container":1000,"ports":[]}' \
		'{"ephemeral_ports":[{"begin":24575,"end":20480}],"per_container":1024,"ports":[]}' \
		'{"ephemeral_ports":[],"per_container":1024,"ports":[]}' \
		'{"ephemeral_ports":"20480-24575","per_container":"1024","ports":[]}'; do
		printf '%s\n' "$bad" >"$pool"
		refused 65 "corrupt state file $pool" allocate new
		refused 65 "corrupt state file $pool" update web --ports 31500
		refused 65 "corrupt state file $pool" status
		refused 65 "corrupt state file $pool" init --ephemeral-ports 20480-24575 --ports 31000-32000
	done
}

@test "corrupt alloc.json: not JSON, wrong shape, another ID" {
	local rec="$PORTMAP_STATE_DIR/containers/db/alloc.json" bad
	for bad in '' 'garbage' '{"id":"db"}' '{"id":"db","ephemeral_ports":{"begin":0,"end":5},"ports":[]}' \
		'{"id":"db","ephemeral_ports":{"begin":21504,"end":22527},"ports":[{"begin":"x"}]}' \
		'{"id":"web","ephemeral_ports":{"begin":21504,"end":22527},"ports":[]}'; do
		printf '%s\n' "$bad" >"$rec"
		refused 65 "corrupt state file $rec" allocate new
		refused 65 "corrupt state file $rec" update web --ports 31500
		refused 65 "corrupt state file $rec" show db
		refused 65 "corrupt state file $rec" list
		refused 65 "corrupt state file $rec" status
		refused 65 "corrupt state file $rec" init --ephemeral-ports 20480-28671 --ports 31000-32000
	done
}

# --- option values ----------------------------------------------------------

@test "--wait must be a non-negative number" {
	refused 65 "wait" --wait -1 allocate new
	refused 65 "wait" --wait soon allocate new
}

@test "the state is still intact and usable after all that" {
	pm 0 alloc list
	assert_output "$(printf '%s\n' 'ID   EPHEMERAL    PORTS' 'db   21504-22527  31100' 'web  20480-21503  31000-31009')"
	check_state_consistent
}
