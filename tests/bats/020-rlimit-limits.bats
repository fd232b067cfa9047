#!/usr/bin/env bats
# pm-rlimit-exec: every limit is set on the exec'd command, read back from its
# own /proc/self/limits; the value forms; --dry-run, -v and warnings.

load helpers
load 02-rlimit-helpers
bats_require_minimum_version 1.5.0

# limits_of ARGS...: run pm-rlimit-exec ARGS -- cat /proc/self/limits (exit 0 expected).
# ARGS may hold "-- pm-rlimit-exec MORE" to nest a second launcher.
limits_of() { pm 0 pm-rlimit-exec -q "$@" -- cat /proc/self/limits; }

@test "every one of the 16 limits is set (SOFT:HARD) and read back by the exec'd command" {
    # Values in the limit's own units; below the current hard limit when that is
    # finite and we may not raise it, so the test holds with or without CAP_SYS_RESOURCE.
    local -A want=(
        [as]="4G:8G 4294967296 8589934592" [core]="1M:2M 1048576 2097152" [cpu]="100:200 100 200"
        [data]="1G:2G 1073741824 2147483648" [fsize]="1G:2G 1073741824 2147483648" [locks]="100:200 100 200"
        [memlock]="64K:128K 65536 131072" [msgqueue]="100000:200000 100000 200000" [nice]="10:20 10 20"
        [nofile]="100:200 100 200" [nproc]="1000:2000 1000 2000" [rss]="1G:2G 1073741824 2147483648"
        [rtprio]="5:10 5 10" [rttime]="1s:2s 1000000 2000000" [sigpending]="1000:2000 1000 2000"
        [stack]="4M:16M 4194304 16777216"
    )
    local name spec soft hard h
    for name in "${!want[@]}"; do
        read -r spec soft hard <<<"${want[$name]}"
        h="$(hard_of "$name")"
        if [ "$h" != unlimited ] && ! can_raise_hard && [ "$h" -lt "$hard" ]; then
            soft=$((h / 2)) hard=$((h > 1 ? h - 1 : h))
            spec="$soft:$hard"
        fi
        limits_of "--$name=$spec"
        [ "$(row "$name")" = "$soft $hard" ] || { echo "$name=$spec: got $(row "$name")"; return 1; }
    done
    [ "${#want[@]}" -eq 16 ]
}

@test "nice and rtprio ceilings above the current hard limit (needs CAP_SYS_RESOURCE)" {
    can_raise_hard || skip "this root lacks CAP_SYS_RESOURCE; the raising path is covered in 023"
    limits_of --nice=10:20 --rtprio=5:10
    [ "$(row nice)" = "10 20" ]
    [ "$(row rtprio)" = "5 10" ]
}

@test "all 16 limits at once, through --rlimit with every name form" {
    local nice=+5 nice_raw=15 rtprio=3
    if ! can_raise_hard; then nice=+20 nice_raw=0 rtprio=0; fi
    [ "$nice" = +20 ] && nice="$(hard_of nice)" nice_raw="$nice"  # raw form when it cannot be raised
    limits_of --rlimit as=3G --rlimit CORE=0 --rlimit RLIMIT_CPU=50 --rlimit RLMT_DATA=2G --rlimit fsize=1G \
        --rlimit LOCKS=7 --rlimit RLIMIT_MEMLOCK=1M --rlimit RLMT_MSGQUEUE=4096 --rlimit "nice=$nice" \
        --rlimit NOFILE=300:400 --rlimit RLIMIT_NPROC=900 --rlimit RLMT_RSS=1G --rlimit "rtprio=$rtprio" \
        --rlimit RTTIME=5ms --rlimit RLIMIT_SIGPENDING=99 --rlimit RLMT_STACK=8M
    [ "$(row as)" = "3221225472 3221225472" ]
    [ "$(row core)" = "0 0" ]
    [ "$(row cpu)" = "50 50" ]
    [ "$(row data)" = "2147483648 2147483648" ]
    [ "$(row fsize)" = "1073741824 1073741824" ]
    [ "$(row locks)" = "7 7" ]
    [ "$(row memlock)" = "1048576 1048576" ]
    [ "$(row msgqueue)" = "4096 4096" ]
    [ "$(row nice)" = "$nice_raw $nice_raw" ]  # nice level +5 = raw 20 - 5
    [ "$(row nofile)" = "300 400" ]
    [ "$(row nproc)" = "900 900" ]
    [ "$(row rss)" = "1073741824 1073741824" ]
    [ "$(row rtprio)" = "$rtprio $rtprio" ]
    [ "$(row rttime)" = "5000 5000" ]
    [ "$(row sigpending)" = "99 99" ]
    [ "$(row stack)" = "8388608 8388608" ]
}

@test "unlimited, infinity and -1 give no limit, for every limit but nofile" {
    local name word=unlimited
    for name in as core cpu data fsize locks memlock msgqueue nice nproc rss rtprio rttime sigpending stack; do
        [ "$name" = nice ] && word=unlimited  # -1 is a nice level there (next test)
        if [ "$(hard_of "$name")" = unlimited ] || can_raise_hard; then
            limits_of "--$name=$word"
            [ "$(row "$name")" = "unlimited unlimited" ] || { echo "$name: $(row "$name")"; return 1; }
        else
            pm 125 pm-rlimit-exec "--$name=$word" -- true
            assert_equal "$stderr" "pm-rlimit-exec: error: cannot raise hard $name from $(hard_of "$name") to unlimited: needs CAP_SYS_RESOURCE (EPERM)"
        fi
        case "$word" in unlimited) word=infinity ;; infinity) word=-1 ;; *) word=unlimited ;; esac
    done
    limits_of --core=1M:unlimited
    [ "$(row core)" = "1048576 unlimited" ]
    # NOFILE can never be unlimited: the kernel caps its hard limit at fs.nr_open.
    pm 125 pm-rlimit-exec --nofile=unlimited -- true
    assert_equal "$stderr" "pm-rlimit-exec: error: nofile hard unlimited exceeds fs.nr_open ($(cat /proc/sys/fs/nr_open)); the kernel refuses this even for root"
}

@test "on nice, -N is a nice level (systemd), so -1 is raw 21 rather than unlimited" {
    pm 125 pm-rlimit-exec --nice=-1:+0 -- true
    assert_equal "$stderr" "pm-rlimit-exec: error: nice: soft limit 21 exceeds hard limit 20"
    local h
    h="$(hard_of nice)"
    if can_raise_hard || [ "$h" = unlimited ] || [ "$h" -ge 21 ]; then
        limits_of --nice=-1
        [ "$(row nice)" = "21 21" ]
    else
        pm 125 pm-rlimit-exec --nice=-1 -- true
        assert_equal "$stderr" "pm-rlimit-exec: error: cannot raise hard nice from $h to 21: needs CAP_SYS_RESOURCE (EPERM)"
    fi
}

@test "a single value sets soft and hard" {
    limits_of --nofile=77
    [ "$(row nofile)" = "77 77" ]
    limits_of --stack=6M
    [ "$(row stack)" = "6291456 6291456" ]
}

@test "SOFT: keeps the current hard limit, :HARD keeps the current soft limit" {
    # An outer launcher lowers both first, so the inner one works without CAP_SYS_RESOURCE.
    limits_of --nofile=100:1000 -- pm-rlimit-exec --nofile=50:
    [ "$(row nofile)" = "50 1000" ]
    limits_of --nofile=100:1000 -- pm-rlimit-exec --nofile=:500
    [ "$(row nofile)" = "100 500" ]
    limits_of --stack=4M:32M -- pm-rlimit-exec --stack=:16M
    [ "$(row stack)" = "4194304 16777216" ]
    limits_of --stack=4M:32M -- pm-rlimit-exec --stack=8M:
    [ "$(row stack)" = "8388608 33554432" ]
}

@test "time units: cpu rounds up to whole seconds and says so; rttime in microseconds" {
    pm 0 pm-rlimit-exec --cpu=1500ms:1min -- cat /proc/self/limits
    [ "$(row cpu)" = "2 60" ]
    assert_equal "$stderr" "pm-rlimit-exec: warning: cpu: 1500ms rounded up to 2 s (the kernel counts whole seconds)"
    limits_of --rttime=250:1s
    [ "$(row rttime)" = "250 1000000" ]
}

@test "--dry-run prints the plan with sources and execs nothing" {
    pm 0 pm-rlimit-exec --dry-run --nofile=64:128 --rlimit core=0 -- touch "$BATS_TEST_TMPDIR/ran"
    [ ! -e "$BATS_TEST_TMPDIR/ran" ]
    assert_line --index 0 --regexp '^RESOURCE +CURRENT +NEW +UNIT +SOURCE$'
    assert_line --index 1 --regexp '^core +[0-9a-z]+:[0-9a-z]+ +0:0 +bytes +cli$'
    assert_line --index 2 --regexp '^nofile +[0-9]+:[0-9]+ +64:128 +files +cli$'
    [ "${#lines[@]}" -eq 3 ]
}

@test "--print --json: one JSON document with numbers or \"unlimited\"" {
    echo '{"rlimits":[{"type":"RLMT_CORE"}]}' >limits.json
    pm 0 pm-rlimit-exec --print --json --nofile=64: --rlimits-json limits.json
    run jq -c '.[] | [.resource, .new.soft, .new.hard, .source, .unit]' <<<"$output"
    assert_line --index 0 '["core","unlimited","unlimited","mesos-json","bytes"]'
    assert_line --index 1 --regexp '^\["nofile",64,[0-9]+,"cli","files"\]$'
}

@test "--dry-run without limits lists all 16 current limits" {
    pm 0 pm-rlimit-exec --dry-run --json
    [ "$(jq length <<<"$output")" -eq 16 ]
    local soft hard
    read -r soft hard < <(current nofile)
    [ "$(jq -c '.[] | select(.resource == "nofile") | [.current.soft, .current.hard]' <<<"$output")" = "[$soft,$hard]" ]
}

@test "-v: one line per limit set, on stderr; stdout stays the command's" {
    pm 0 pm-rlimit-exec -v --nofile=64 --core=0 -- echo hello
    assert_equal "$output" "hello"
    [ "$(grep -c '' <<<"$stderr")" -eq 2 ]
    [[ "$stderr" == *"pm-rlimit-exec: core: "*" -> 0:0 (cli)"* ]]
    [[ "$stderr" == *"pm-rlimit-exec: nofile: "*" -> 64:64 (cli)"* ]]
}

@test "warnings for ignored, per-user and risky limits go to stderr; --quiet silences them" {
    pm 0 pm-rlimit-exec --locks=5 --rss=1G --nproc=5000 --sigpending=100 --msgqueue=8192 -- echo ok
    assert_equal "$output" "ok"
    for w in "locks: the kernel ignores this limit" "rss: the kernel ignores this limit" \
        "nproc: counted per real user ID" "sigpending: counted per real user ID" "msgqueue: counted per real user ID"; do
        [[ "$stderr" == *"pm-rlimit-exec: warning: $w"* ]] || { echo "missing: $w"; return 1; }
    done
    pm 0 pm-rlimit-exec --dry-run --stack=64K --as=1M --nofile=2 -- true
    [[ "$stderr" == *"stack: soft limit 65536 bytes will probably break the exec"* ]]
    [[ "$stderr" == *"as: soft limit 1048576 bytes will probably make the exec or the dynamic loader fail"* ]]
    [[ "$stderr" == *"nofile: soft limit 2 leaves the dynamic loader hardly any descriptors"* ]]
    pm 0 pm-rlimit-exec --quiet --locks=5 --rss=1G --nproc=5000 -- echo ok
    assert_equal "$stderr" ""
}

@test "nothing on stdout from the launcher itself" {
    pm 0 pm-rlimit-exec --nofile=64 --locks=1 -- true
    assert_equal "$output" ""
}
