# Bats helpers for tests that need the stock kernel (the qemu lane,
# scripts/vm-test).  In the test file:
#     # bats file_tags=stock-kernel
#     load helpers
#     load ../vm/stock-kernel
# then `require_qdisc fq_codel` in a test (or in setup): on a kernel without
# the qdisc, as on this machine's, the test skips with a message naming the
# module; inside the lane it runs.

# require_qdisc KIND...: skip unless this kernel can instantiate each qdisc.
# Probed on lo of a throw-away network namespace, so nothing is left behind.
require_qdisc() {
	local kind
	for kind in "$@"; do
		if ! unshare --net tc qdisc add dev lo root "$kind" >/dev/null 2>&1; then
			skip "kernel $(uname -r) lacks the $kind qdisc (sch_$kind); runs in the stock-kernel lane: make vm-test"
		fi
	done
}
