#!/bin/sh
# pm-stats: one `pm-stats --json` pass over 1, 64 and 256 containers, against the
# same counters gathered the way Mesos does it: one helper process per
# container entering its namespace (here `nsenter --net=HANDLE ip -s link show
# dev eth0`, a single exec per container, which is a lower bound for Mesos's
# helper).  Containers are made by the real pm-alloc and pm-netns inside a
# simulated host (namespaces pmt-*), removed on exit.  Never fails on numbers.
set -eu

if [ "$(id -u)" != 0 ]; then
	echo "60-stats: needs root (network namespaces); skipped"
	exit 0
fi
for t in pm-stats pm-netns pm-alloc; do
	command -v "$t" >/dev/null || { echo "60-stats: $t not built; skipped"; exit 0; }
done

TAG="$(printf '%04x' $$)"
HOST="pmt-bh-$TAG"
PEER="pmt-bp-$TAG"
STATE="$(mktemp -d /tmp/pm-bench-stats.XXXXXX)"
REPS="${PM_BENCH_REPS:-5}"

cleanup() {
	set +e
	for h in "$STATE"/netns/*; do
		[ -e "$h" ] && umount -l "$h" 2>/dev/null
	done
	umount -l "$STATE/netns" 2>/dev/null
	ip netns del "$PEER" 2>/dev/null
	ip netns del "$HOST" 2>/dev/null
	rm -rf "$STATE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_host() { nsenter --net="/run/netns/$HOST" "$@"; }

# The simulated host of tests/bats/helpers.bash: eth0 198.51.100.10/24 to a peer.
ip netns add "$HOST"
ip netns add "$PEER"
ip -n "$HOST" link add eth0 type veth peer name eth0 netns "$PEER"
ip -n "$HOST" link set lo up
ip -n "$HOST" addr add 198.51.100.10/24 dev eth0
ip -n "$PEER" addr add 198.51.100.1/24 dev eth0
ip -n "$HOST" link set eth0 up
ip -n "$PEER" link set eth0 up
ip -n "$HOST" route add default via 198.51.100.1
in_host sh -c 'echo "32768 60999" > /proc/sys/net/ipv4/ip_local_port_range'
export PORTMAP_STATE_DIR="$STATE"
in_host pm-alloc init --ephemeral-ports 20480-28671 --per-container 32 >/dev/null

now_ns() { date +%s%N; }

made=0
grow_to() {
	while [ "$made" -lt "$1" ]; do
		made=$((made + 1))
		in_host pm-alloc allocate "b$made" >/dev/null
		in_host pm-netns create "b$made" >/dev/null
	done
}

# Mean wall time of REPS runs of "$@", in microseconds.
time_us() {
	best_total=0 i=0
	while [ "$i" -lt "$REPS" ]; do
		t0=$(now_ns)
		"$@" >/dev/null
		t1=$(now_ns)
		best_total=$((best_total + (t1 - t0) / 1000))
		i=$((i + 1))
	done
	echo $((best_total / REPS))
}

ours() { in_host pm-stats --json; }
mesos_style() {
	for h in "$STATE"/netns/*; do
		# stderr: iproute2 sometimes notes it cannot name the veth peer's namespace.
		nsenter --net="$h" ip -s link show dev eth0 2>/dev/null || return 1
	done
}

printf '%-11s %16s %14s %22s %14s %8s\n' containers "pm-stats --json" "per container" "one helper/container" "per container" speedup
per64=0
for n in 1 64 256; do
	grow_to "$n"
	# Sanity: one pass sees every container.
	seen=$(in_host pm-stats --json | grep -c '"container_id"')
	[ "$seen" = "$n" ] || echo "60-stats: pm-stats saw $seen of $n containers" >&2
	a=$(time_us ours)
	b=$(time_us mesos_style)
	awk -v n="$n" -v a="$a" -v b="$b" 'BEGIN {
		printf "%-11d %13.2f ms %11.1f us %19.2f ms %11.1f us %7.1fx\n", n, a / 1000, a / n, b / 1000, b / n, b / a }'
	[ "$n" = 64 ] && per64=$a
	[ "$n" = 256 ] && awk -v a="$a" -v p="$per64" 'BEGIN {
		printf "growth 64 -> 256 containers: pm-stats time x%.2f for x4 containers (linear = 4, better < 4)\n", a / p }'
done
echo "(mean of $REPS runs each; the helper column is a lower bound for Mesos, which also"
echo " parses the helper's JSON and dumps the host veths on top; pm-stats's time includes"
echo " a constant ~10 ms of loading libcpp-httplib and its OpenSSL/brotli dependencies)"
