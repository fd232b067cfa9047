#!/usr/bin/env bats
# bats file_tags=stock-kernel
# Smoke test of the stock-kernel lane (scripts/vm-test, `make vm-test`): the
# guest kernel has what this machine's lacks, and the tools built on the host
# run there.  On a kernel without fq_codel the fq_codel test skips.

bats_require_minimum_version 1.5.0
load helpers
load ../vm/stock-kernel

@test "stock kernel: fq_codel on a veth in a test netns passes TCP traffic" {
    require_qdisc fq_codel
    sim_host_create
    in_host tc qdisc replace dev eth0 root fq_codel
    run in_host tc qdisc show dev eth0
    assert_output --partial "fq_codel"

    local port=5901 bytes=4194304 got="$BATS_TEST_TMPDIR/received"
    # Its own fds, so bats never waits on it; teardown kills it if it hangs.
    in_peer socat -u "TCP-LISTEN:$port,reuseaddr" "CREATE:$got" </dev/null >/dev/null 2>&1 3>&- &
    wait_until in_peer sh -c "ss -Hltn 'sport = :$port' | grep -q ."
    head -c "$bytes" /dev/zero | in_host socat -u - "TCP:$SIM_PEER_IP:$port"
    wait
    [ "$(stat -c %s "$got")" -eq "$bytes" ]

    # The bytes went through the fq_codel qdisc, not around it.
    local sent
    sent="$(in_host tc -s qdisc show dev eth0 | awk '/fq_codel/ {q=1} q && $1 == "Sent" {print $2; exit}')"
    [ "$sent" -ge "$bytes" ]
}

@test "stock kernel: the tools built on the host run in this kernel" {
    local tool n=0
    for tool in "$PM_BUILD"/pm-*; do
        [ -x "$tool" ] || continue
        pm 0 "$tool" --version
        assert_output --partial "$(basename "$tool") "
        n=$((n + 1))
    done
    [ "$n" -gt 0 ] || skip "no pm-* tools built in $PM_BUILD"
}
