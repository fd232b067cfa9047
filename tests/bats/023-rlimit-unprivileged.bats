#!/usr/bin/env bats
# pm-rlimit-exec without CAP_SYS_RESOURCE: lowering works; raising a hard limit
# is refused at the pre-check (125, naming CAP_SYS_RESOURCE) before any limit
# changes and before the command runs.

load helpers
load 02-rlimit-helpers
bats_require_minimum_version 1.5.0

@test "an unprivileged user can lower limits" {
    pm 0 as_nobody pm-rlimit-exec --nofile=64:128 --core=0 --cpu=100:200 -- cat /proc/self/limits
    [ "$(row nofile)" = "64 128" ]
    [ "$(row core)" = "0 0" ]
    [ "$(row cpu)" = "100 200" ]
    assert_equal "$stderr" ""
}

@test "an unprivileged user may raise a soft limit up to the hard one" {
    pm 0 as_nobody pm-rlimit-exec --nofile=64:1000 -- pm-rlimit-exec --nofile=1000 -- cat /proc/self/limits
    [ "$(row nofile)" = "1000 1000" ]
}

@test "raising a hard limit fails with 125 naming CAP_SYS_RESOURCE, before anything changes" {
    local hard
    hard="$(hard_of nofile)"
    # -v would print a line for every limit set: there must be none, and the command must not run.
    pm 125 as_nobody pm-rlimit-exec -v --core=0 --nofile=64:$((hard + 1)) -- echo ran
    assert_equal "$output" ""
    assert_equal "$stderr" "pm-rlimit-exec: error: cannot raise hard nofile from $hard to $((hard + 1)): needs CAP_SYS_RESOURCE (EPERM)"
    # The same for a hard limit lowered earlier in the chain, and with --dry-run.
    pm 125 as_nobody pm-rlimit-exec --nofile=64:100 -- pm-rlimit-exec -v --nofile=200 -- echo ran
    assert_equal "$output" ""
    assert_equal "$stderr" "pm-rlimit-exec: error: cannot raise hard nofile from 100 to 200: needs CAP_SYS_RESOURCE (EPERM)"
    pm 125 as_nobody pm-rlimit-exec --dry-run --nofile=:$((hard + 1))
    [[ "$stderr" == *"needs CAP_SYS_RESOURCE (EPERM)" ]]
}

@test "raising a hard limit from JSON is refused the same way" {
    local hard
    hard="$(hard_of nofile)"
    pm 125 as_nobody pm-rlimit-exec --rlimits-json - -- echo ran \
        <<<"{\"rlimits\":[{\"type\":\"RLMT_CORE\",\"soft\":0,\"hard\":0},{\"type\":\"RLMT_NOFILE\",\"soft\":64,\"hard\":$((hard + 1))}]}"
    assert_equal "$output" ""
    assert_equal "$stderr" "pm-rlimit-exec: error: cannot raise hard nofile from $hard to $((hard + 1)): needs CAP_SYS_RESOURCE (EPERM)"
}

@test "root inside a child user namespace cannot raise hard limits either" {
    unshare --user --map-root-user true 2>/dev/null || skip "user namespaces are not available"
    local hard
    hard="$(hard_of nofile)"
    pm 125 unshare --user --map-root-user pm-rlimit-exec --nofile=64:$((hard + 1)) -- echo ran
    assert_equal "$output" ""
    assert_equal "$stderr" "pm-rlimit-exec: error: cannot raise hard nofile from $hard to $((hard + 1)): needs CAP_SYS_RESOURCE in the initial user namespace (this process is in a child user namespace) (EPERM)"
    # lowering works there
    pm 0 unshare --user --map-root-user pm-rlimit-exec --nofile=64:128 -- cat /proc/self/limits
    [ "$(row nofile)" = "64 128" ]
}
