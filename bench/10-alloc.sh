#!/bin/sh
# pm-alloc: allocate+release cycles per second, one client vs 16 concurrent
# clients, side by side.  Each cycle is two pm-alloc runs (allocate, release),
# each taking the state lock and writing/removing one file with fsync.
# Runs in a private network namespace (known host ephemeral range) on a
# scratch state dir (tmpfs if possible).  Never fails on numbers.
set -eu
CYCLES="${PM_BENCH_ALLOC_CYCLES:-400}"
CLIENTS=16

if [ "${PM_BENCH_IN_NETNS:-}" != 1 ]; then
	exec env PM_BENCH_IN_NETNS=1 unshare --net sh "$0" "$@"
fi
echo "32768 60999" >/proc/sys/net/ipv4/ip_local_port_range

# On tmpfs when there is one, like /run/portmap in production.
tmp=/tmp
[ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && tmp=/dev/shm
state="$(mktemp -d "$tmp/pm-bench-alloc.XXXXXX")"
trap 'rm -rf "$state"' EXIT INT TERM
export PORTMAP_STATE_DIR="$state/state"
# 256 blocks of 16: the 16 clients never exhaust the pool.
pm-alloc init --ephemeral-ports 20480-24575 --per-container 16 >/dev/null

now() { date +%s.%N; }

# client NAME COUNT: COUNT allocate+release cycles of container NAME.
client() {
	i=0
	while [ "$i" -lt "$2" ]; do
		pm-alloc allocate "$1" >/dev/null
		pm-alloc release "$1" >/dev/null
		i=$((i + 1))
	done
}

t0="$(now)"
client single "$CYCLES"
t1="$(now)"

per=$((CYCLES / CLIENTS))
pids=""
n=0
while [ "$n" -lt "$CLIENTS" ]; do
	client "c$n" "$per" &
	pids="$pids $!"
	n=$((n + 1))
done
status=0
for p in $pids; do wait "$p" || status=1; done
t2="$(now)"
[ "$status" = 0 ] || { echo "10-alloc: a concurrent client failed" >&2; exit 1; }

# Nothing may be left allocated.
left="$(pm-alloc --json status | sed -n 's/.*"blocks_used": \([0-9]*\).*/\1/p')"
[ "$left" = 0 ] || { echo "10-alloc: $left blocks still used after the run" >&2; exit 1; }

awk -v c1="$CYCLES" -v c16="$((per * CLIENTS))" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v n="$CLIENTS" 'BEGIN {
	s1 = c1 / (t1 - t0); s16 = c16 / (t2 - t1)
	printf "%-28s %12s %12s\n", "pm-alloc allocate+release", "1 client", n " clients"
	printf "%-28s %12d %12d\n", "cycles", c1, c16
	printf "%-28s %12.2f %12.2f\n", "seconds", t1 - t0, t2 - t1
	printf "%-28s %12.0f %12.0f\n", "cycles/s", s1, s16
	printf "%-28s %12.0f %12.0f\n", "operations/s (2 per cycle)", 2 * s1, 2 * s16
	printf "%-28s %12s %12.2fx\n", "ratio (16 clients / 1)", "1.00x", s16 / s1
}'
