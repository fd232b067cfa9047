#!/bin/sh
# pm-rlimit-exec startup cost: `pm-rlimit-exec --nofile=N -- /bin/true` next to
# util-linux `prlimit --nofile=N /bin/true` and a bare `/bin/true`, measured in
# one run, interleaved in rounds so drift hits all three alike.  Target: no
# slower than prlimit.  Never fails on numbers.
set -eu
PM_BUILD="${PM_BUILD:-$(cd "$(dirname "$0")/.." && pwd)/build}"
tool="$PM_BUILD/pm-rlimit-exec"
[ -x "$tool" ] || { echo "bench: $tool not built" >&2; exit 1; }
prlimit="$(command -v prlimit || true)"
true_bin="$(command -v true)"
[ -x /bin/true ] && true_bin=/bin/true
python=/usr/bin/python3
[ -x "$python" ] || python="$(command -v python3)"
RUNS="${RUNS:-300}" ROUNDS="${ROUNDS:-7}"
nofile="$(( $(ulimit -n) / 2 ))"  # a real change, allowed without privileges

exec "$python" - "$RUNS" "$ROUNDS" "$true_bin" "$prlimit" "$tool" "$nofile" <<'PY'
import os, statistics, sys, time

runs, rounds = int(sys.argv[1]), int(sys.argv[2])
true_bin, prlimit, tool, nofile = sys.argv[3:7]
cases = [("/bin/true", [true_bin])]
if prlimit:
    cases.append(("prlimit --nofile=%s /bin/true" % nofile, [prlimit, "--nofile=%s" % nofile, true_bin]))
cases.append(("pm-rlimit-exec --nofile=%s -- /bin/true" % nofile, [tool, "--nofile=%s" % nofile, "--", true_bin]))

def once(argv):
    # posix_spawn: the launcher's own fork cost stays out of the numbers.
    pid = os.posix_spawn(argv[0], argv, os.environ)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("bench: %s exited %d" % (" ".join(argv), os.waitstatus_to_exitcode(status)))

for _, argv in cases:  # warm caches
    for _ in range(20):
        once(argv)
per_round = {name: [] for name, _ in cases}
for _ in range(rounds):
    for name, argv in cases:
        start = time.perf_counter()
        for _ in range(runs):
            once(argv)
        per_round[name].append((time.perf_counter() - start) / runs * 1e6)

median = {name: statistics.median(v) for name, v in per_round.items()}
base = median[cases[0][0]]
ref = median[cases[1][0]] if prlimit else None
print("%d runs x %d rounds, median per run" % (runs, rounds))
print("%-48s %10s %14s %12s" % ("COMMAND", "US/RUN", "OVER TRUE US", "VS PRLIMIT"))
for name, _ in cases:
    vs = "%.2fx" % (median[name] / ref) if ref else "-"
    print("%-48s %10.1f %14.1f %12s" % (name, median[name], median[name] - base, vs))
if ref:
    over_pm, over_pr = median[cases[-1][0]] - base, ref - base
    print("launcher overhead ratio (pm-rlimit-exec / prlimit, minus bare true): %.2fx" % (over_pm / over_pr if over_pr > 0 else float("nan")))
PY
