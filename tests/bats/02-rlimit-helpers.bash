# Helpers for the pm-rlimit-exec Bats files (020-029).  Load after `load helpers`.
#
# Limits are read back from /proc/self/limits of the exec'd command (`cat`), so
# the tests see what the kernel really set.  Root may still lack
# CAP_SYS_RESOURCE (a container's bounding set): hard limits can then only be
# lowered, and every test holds either way (can_raise_hard).

# Each test runs in its own directory, so a core file never lands in the work tree.
setup() {
    default_setup
    cd "$BATS_TEST_TMPDIR" || return 1
}

# The /proc/PID/limits row label of each limit.
declare -gA RLIMIT_LABEL=(
    [as]="Max address space" [core]="Max core file size" [cpu]="Max cpu time" [data]="Max data size"
    [fsize]="Max file size" [locks]="Max file locks" [memlock]="Max locked memory" [msgqueue]="Max msgqueue size"
    [nice]="Max nice priority" [nofile]="Max open files" [nproc]="Max processes" [rss]="Max resident set"
    [rtprio]="Max realtime priority" [rttime]="Max realtime timeout" [sigpending]="Max pending signals"
    [stack]="Max stack size"
)

# row NAME: "SOFT HARD" of limit NAME in $output (a copy of /proc/self/limits).
row() {
    local line
    line="$(grep "^${RLIMIT_LABEL[$1]}  " <<<"$output")" || { echo "no row for $1 in: $output" >&2; return 1; }
    cut -c27- <<<"$line" | awk '{print $1, $2}'
}

# current NAME / hard_of NAME: this shell's limit, which the launcher inherits.
current() { output="$(cat /proc/self/limits)" row "$1"; }
hard_of() { current "$1" | awk '{print $2}'; }

can_raise_hard() { (( (0x$(awk '/^CapEff/ {print $2}' /proc/self/status) >> 24) & 1 )); }
