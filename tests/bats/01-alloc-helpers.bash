# Helpers for the pm-alloc Bats files (010-019).  Load after `load helpers`.
#
# pm-alloc checks the pool against the host's net.ipv4.ip_local_port_range as
# read from /proc/sys of the netns it runs in.  `alloc` runs it in a private
# network namespace (unshare --net, gone when it exits) whose range is
# $HOST_RANGE, so the tests never depend on, or change, this machine's sysctls.

HOST_RANGE="32768 60999"

alloc() {
	unshare --net sh -c 'echo "$1" > /proc/sys/net/ipv4/ip_local_port_range && shift && exec pm-alloc "$@"' \
		sh "$HOST_RANGE" "$@"
}

# refused STATUS REGEX ARGS...: pm-alloc ARGS is refused as helpers.bash's
# command_refused checks (one "pm-alloc: error: ..." line, nothing changed).
refused() {
	local expected="$1" regex="$2"
	shift 2
	REFUSED_BY=pm-alloc command_refused "$expected" "$regex" alloc "$@"
}

# Every record parses, lies in the pool, is an aligned block of N, and no two
# records share a port.  Reads the files directly with jq, not through pm-alloc.
check_state_consistent() {
	local dir="$PORTMAP_STATE_DIR" n lo hi f
	n="$(jq -e '.per_container' "$dir/pool.json")" || { echo "pool.json unreadable" >&2; return 1; }
	for f in "$dir"/containers/*/alloc.json; do
		[ -e "$f" ] || continue
		jq -e --arg id "$(basename "$(dirname "$f")")" '.id == $id and (.ephemeral_ports.begin | type) == "number"' \
			"$f" >/dev/null || { echo "bad record $f: $(cat "$f")" >&2; return 1; }
	done
	# All ports of all records, one per line as "port id"; duplicates mean overlap.
	local dups
	dups="$(
		for f in "$dir"/containers/*/alloc.json; do
			[ -e "$f" ] || continue
			jq -r '.id as $id | ([.ephemeral_ports] + .ports)[] | "\(.begin) \(.end) \($id)"' "$f"
		done | while read -r lo hi id; do seq "$lo" "$hi" | sed "s/\$/ $id/"; done |
			awk '{ if ($1 in seen) print $1, seen[$1], $2; seen[$1] = $2 }'
	)"
	if [ -n "$dups" ]; then
		echo "ports owned twice:" >&2
		echo "$dups" | head >&2
		return 1
	fi
	# Blocks: aligned, of size N, inside the pool.
	local records=("$dir"/containers/*/alloc.json)
	[ -e "${records[0]}" ] || return 0
	jq -e -n --slurpfile pool "$dir/pool.json" '
		$pool[0] as $p | [inputs] | all(.ephemeral_ports as $b |
			($b.end - $b.begin + 1) == $p.per_container and
			($b.begin % $p.per_container) == 0 and
			any($p.ephemeral_ports[]; .begin <= $b.begin and $b.end <= .end))' \
		"${records[@]}" >/dev/null || { echo "a block is misplaced" >&2; return 1; }
}
