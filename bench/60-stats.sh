#!/bin/sh
# pm-stats: one `pm-stats --json` pass over 1, 64 and 256 containers, side by
# side with the same data gathered the way Mesos does it: one helper process per
# container that enters the container's namespace and prints its statistics as
# JSON (Mesos spawns `mesos-network-helper statistics --pid=P` per container and
# usage() call, and its agent dumps the host's links once per container).  The
# helper here is `pm-stats --json ID` itself -- the same setns, netlink reads
# and JSON, host dump included, so only the process-per-container structure
# differs; the real helper loads libmesos and the agent parses its output, so
# this is a lower bound for Mesos.  A floor column adds the cheapest possible
# exec per container, `nsenter --net=NS ip -s link show dev eth0` (counters
# only).  Everything runs inside a simulated host (scripts/sim-host.sh,
# namespaces pmt-*) with containers made by the real pm-alloc and pm-netns,
# removed on exit.  Timed by one python process (posix_spawn, interleaved
# rounds, medians; wall and CPU time), so the shell's own forks stay out of
# the numbers.  Never fails on numbers.
set -eu

if [ "$(id -u)" != 0 ]; then
	echo "60-stats: needs root (network namespaces); skipped"
	exit 0
fi
for t in pm-stats pm-netns pm-alloc python3; do
	command -v "$t" >/dev/null || { echo "60-stats: $t not found; skipped"; exit 0; }
done

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/sim-host.sh
. "$here/../scripts/sim-host.sh"

TAG="$(printf '%04x' $$)"
HOST="pmt-bh-$TAG"
PEER="pmt-bp-$TAG"
STATE="$(mktemp -d /tmp/pm-bench-stats.XXXXXX)"
ROUNDS="${PM_BENCH_ROUNDS:-5}"

cleanup() {
	set +e
	for h in "$STATE"/netns/*; do
		[ -e "$h" ] && umount -l "$h" 2>/dev/null
	done
	umount -l "$STATE/netns" 2>/dev/null
	sim_host_del "$HOST" "$PEER"
	rm -rf "$STATE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_host() { nsenter --net="/run/netns/$HOST" "$@"; }

sim_host_add "$HOST" "$PEER"
export PORTMAP_STATE_DIR="$STATE"
in_host pm-alloc init --ephemeral-ports 20480-28671 --per-container 32 >/dev/null

made=0
grow_to() {
	while [ "$made" -lt "$1" ]; do
		made=$((made + 1))
		in_host pm-alloc allocate "b$made" >/dev/null
		in_host pm-netns create "b$made" >/dev/null
	done
}

# measure N: one line "N WALL_US... CPU_US..." -- medians per run of the one pass,
# the helpers and the floor -- timed inside the simulated host, where pm-stats
# runs on a real one.  CPU = user+sys of the spawned processes (wait4), steadier
# than wall time when other work shares the machine.
measure() {
	in_host python3 - "$1" "$ROUNDS" "$STATE" "$(command -v pm-stats)" "$(command -v nsenter)" "$(command -v ip)" <<'PY'
import json, os, statistics, subprocess, sys, time

n, rounds, state, pm_stats, nsenter, ip = int(sys.argv[1]), int(sys.argv[2]), *sys.argv[3:]
ids = sorted(os.listdir(os.path.join(state, "netns")))
assert len(ids) == n, "%d containers, expected %d" % (len(ids), n)
quiet = [(os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0), (os.POSIX_SPAWN_OPEN, 2, "/dev/null", os.O_WRONLY, 0)]

def run_all(argvs):
    """Runs each command in turn; returns the CPU seconds they used."""
    cpu = 0.0
    for argv in argvs:
        _, status, usage = os.wait4(os.posix_spawn(argv[0], argv, os.environ, file_actions=quiet), 0)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit("60-stats: %s exited %d" % (" ".join(argv), os.waitstatus_to_exitcode(status)))
        cpu += usage.ru_utime + usage.ru_stime
    return cpu

cases = {
    "one pass": [[pm_stats, "--json"]],
    "helpers": [[pm_stats, "--json", i] for i in ids],
    "floor": [[nsenter, "--net=" + os.path.join(state, "netns", i), ip, "-s", "link", "show", "dev", "eth0"] for i in ids],
}

# Same data: the helpers' documents together are the one pass's, container by container.
one = json.loads(subprocess.run([pm_stats, "--json"], check=True, capture_output=True).stdout)
each = [json.loads(subprocess.run(a, check=True, capture_output=True).stdout)[0] for a in cases["helpers"]]
assert [c["container_id"] for c in one] == [c["container_id"] for c in each] == ids
assert [sorted(c["statistics"]) for c in one] == [sorted(c["statistics"]) for c in each]

runs = max(2, 64 // n)  # enough work per round to time 1 container
for argvs in cases.values():  # warm caches
    run_all(argvs)
wall = {k: [] for k in cases}
cpu = {k: [] for k in cases}
for _ in range(rounds):
    for name, argvs in cases.items():
        t0, c = time.perf_counter(), 0.0
        for _ in range(runs):
            c += run_all(argvs)
        wall[name].append((time.perf_counter() - t0) / runs * 1e6)
        cpu[name].append(c / runs * 1e6)
print(n, *("%.0f" % statistics.median(wall[k]) for k in cases), *("%.0f" % statistics.median(cpu[k]) for k in cases))
PY
}

results=""
for n in 1 64 256; do
	grow_to "$n"
	results="$results$(measure "$n")
"
done

echo "one pm-stats --json pass vs one helper process per container entering its namespace (the Mesos way)"
printf '%s' "$results" | awk '
function table(title, o,    i, n, a, b, c) {
	print title
	printf "%-10s | %-21s | %-30s | %-30s\n", "", "one pass", "Mesos way: helper/container", "floor: nsenter+ip/container"
	printf "%-10s | %9s %11s | %9s %11s %8s | %9s %11s %8s\n", "containers", "ms", "us/ctr", "ms", "us/ctr", "speedup", "ms", "us/ctr", "speedup"
	for (i = 1; i <= rows; i++) {
		n = N[i]; a = V[i, o + 1]; b = V[i, o + 2]; c = V[i, o + 3]
		printf "%-10d | %9.2f %11.1f | %9.2f %11.1f %7.1fx | %9.2f %11.1f %7.1fx\n",
			n, a / 1000, a / n, b / 1000, b / n, b / a, c / 1000, c / n, c / a
	}
}
function growth(title, o) {
	printf "%s: growth 64 -> 256 containers (x4): one pass x%.2f, Mesos way x%.2f (linear = 4, better < 4); each further container: one pass %.0f us, Mesos way %.0f us\n",
		title, V[3, o + 1] / V[2, o + 1], V[3, o + 2] / V[2, o + 2],
		(V[3, o + 1] - V[2, o + 1]) / 192, (V[3, o + 2] - V[2, o + 2]) / 192
}
{ rows++; N[rows] = $1; for (k = 2; k <= NF; k++) V[rows, k - 1] = $k }
END {
	table("wall time:", 0)
	table("CPU time (user+sys of the processes; steadier on a busy machine):", 3)
	growth("wall", 0)
	growth("CPU ", 3)
}'
echo "(median of $ROUNDS interleaved rounds; speedup = that column's time / one pass's time;"
echo " the Mesos-way helper is pm-stats --json ID, printing the same keys per container:"
echo " a lower bound for mesos-network-helper, which also loads libmesos, and for the"
echo " agent, which also parses each helper's JSON)"
