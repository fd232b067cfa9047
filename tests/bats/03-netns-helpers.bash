# Helpers for the pm-netns Bats files (030-039).  Load after `load helpers`.
#
# Every test gets a simulated host (helpers' sim_host_create) and runs the
# tools inside it with nsenter (`netns` = pm-netns there).  Allocations come
# from the real pm-alloc, run in the simulated host too (its own
# ip_local_port_range is 32768-60999, so the pool 20480-24575 lies below it).

POOL=20480-24575
NETNS_PIDS=()   # processes a test started (killed in teardown)
NETNS_IDS=()    # IDs whose /run/netns/pm-ID link a test may have caused

netns() { in_host pm-netns "$@"; }
allocate() { in_host pm-alloc allocate "$@" >/dev/null; }

netns_setup() {
	default_setup
	sim_host_create
	in_host pm-alloc init --ephemeral-ports "$POOL" >/dev/null
}

netns_teardown() {
	local pid id
	for pid in "${NETNS_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
	# Links under /run/netns are global: remove the ones this test may have made.
	for id in "${NETNS_IDS[@]}"; do
		[ -L "/run/netns/pm-$id" ] && rm -f "/run/netns/pm-$id"
		[ -f "/run/netns/pm-$id" ] && rm -f "/run/netns/pm-$id"
	done
	default_teardown
}

# A sleeping process in a network namespace of its own; sets $SLEEPER.
start_sleeper() {
	unshare --net sleep 600 &
	SLEEPER=$!
	NETNS_PIDS+=("$SLEEPER")
	wait_until sleeper_unshared
}

sleeper_unshared() { [ "$(readlink "/proc/$SLEEPER/ns/net")" != "$(readlink /proc/self/ns/net)" ]; }

# Run CMD in container ID's namespace through its handle.
in_ct() {
	local id="$1"
	shift
	nsenter --net="$PORTMAP_STATE_DIR/netns/$id" "$@"
}

# The port bind(0) gets for a TCP socket inside container ID.
bind0() {
	in_ct "$1" python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])'
}

# jq over a JSON command output: jqout FILTER CMD...
jqout() {
	local filter="$1"
	shift
	"$@" | jq -r "$filter"
}

# A fingerprint of what pm-netns may change in the simulated host: links
# (names, flags, MAC, MTU), addresses, routes, and the host-wide sysctls.
host_sum() {
	{
		in_host ip -br link
		in_host ip -o link | awk '{ for (i = 1; i <= NF; i++) if ($i == "mtu") print $2, $(i + 1) }'
		in_host ip -br addr
		in_host ip route
		in_host sh -c 'cd /proc/sys/net/ipv4/conf && grep . lo/route_localnet lo/accept_local lo/rp_filter all/rp_filter lo/send_redirects all/send_redirects'
	} | sha256sum
}

# Nothing of container ID is left: record, handle, mount, /run/netns link,
# host veth (VETH when given; otherwise no unrecorded pm* interface).  A veth
# whose namespace destroy released is deleted by the kernel's namespace
# cleanup a few milliseconds later: given up to 2 s, as tests/leak-check does.
nothing_left() {
	local id="$1" veth="${2:-}"
	[ ! -e "$PORTMAP_STATE_DIR/containers/$id/netns.json" ] || { echo "netns.json of $id left" >&2; return 1; }
	[ ! -e "$PORTMAP_STATE_DIR/netns/$id" ] || { echo "handle of $id left" >&2; return 1; }
	! grep -q " $PORTMAP_STATE_DIR/netns/$id " /proc/self/mountinfo || { echo "mount of $id left" >&2; return 1; }
	[ ! -e "/run/netns/pm-$id" ] || { echo "/run/netns/pm-$id left" >&2; return 1; }
	WAIT_SECONDS=2 wait_until host_veths_settled "$veth" || host_veths_settled "$veth"
}

# host_veths_settled [VETH]: VETH is not in the simulated host, and every pm*
# interface there belongs to a recorded container.
host_veths_settled() {
	local veth="${1:-}" links records
	if [ -n "$veth" ] && in_host ip link show "$veth" >/dev/null 2>&1; then
		echo "veth $veth left" >&2
		return 1
	fi
	links="$(in_host ip -o link 2>/dev/null | grep -c ': pm[0-9a-f]' || true)"
	records="$(find "$PORTMAP_STATE_DIR/containers" -name netns.json | wc -l)"
	[ "$links" -eq "$records" ] || { echo "$links pm* interfaces in the host, $records records" >&2; return 1; }
}

# netns_refused STATUS REGEX ARGS...: pm-netns ARGS (in the simulated host) exits
# STATUS with one "pm-netns: error: ..." line matching REGEX, prints nothing
# on stdout, and changes neither the state dir nor the simulated host.
netns_refused() {
	local expected="$1" regex="$2" before_host
	shift 2
	before_host="$(host_sum)"
	REFUSED_BY=pm-netns command_refused "$expected" "$regex" netns "$@" || return 1
	[ "$(host_sum)" = "$before_host" ] || { echo "pm-netns $*: the simulated host changed" >&2; return 1; }
}
