#!/usr/bin/env bats
# pm-rlimit-exec: the bad inputs of shared/reference/rlimits.md section 7, each
# with its one-line message on stderr and exit 125; the command never runs.

load helpers
load 02-rlimit-helpers
bats_require_minimum_version 1.5.0

# bad MESSAGE ARGS...: pm-rlimit-exec ARGS -- echo ran fails with 125 and exactly
# "pm-rlimit-exec: error: MESSAGE", running nothing.
bad() {
    local message="$1"
    shift
    pm 125 pm-rlimit-exec "$@" -- echo ran
    assert_equal "$output" ""
    assert_equal "$stderr" "pm-rlimit-exec: error: $message"
}

# bad_json MESSAGE JSON: the same with JSON on stdin.
bad_json() {
    local message="$1"
    pm 125 pm-rlimit-exec --rlimits-json - -- echo ran <<<"$2"
    assert_equal "$output" ""
    assert_equal "$stderr" "pm-rlimit-exec: error: stdin: $message"
}

@test "1-2: junk and empty values" {
    bad "invalid value 'abc' for nofile: expected a non-negative integer or 'unlimited'" --nofile=abc
    bad "empty value for nofile" --nofile=
    bad "empty value for nofile" --rlimit nofile=
    bad "empty value for nofile" --nofile=:
    bad_json "rlimits[0].soft: empty value" '{"rlimits":[{"type":"RLMT_NOFILE","soft":"","hard":"10"}]}'
}

@test "3-5: soft above hard, too many values, negatives" {
    bad "nofile: soft limit 4096 exceeds hard limit 1024" --nofile=4096:1024
    bad "nofile: too many ':'-separated values in '1:2:3' (expected soft[:hard])" --nofile=1:2:3
    bad "nofile: negative values are not allowed in '-5' (use 'unlimited')" --nofile=-5
    bad "stack: negative values are not allowed in '-1M' (use 'unlimited')" --stack=-1M
}

@test "6-7: -1 and UINT64_MAX are unlimited; 2^64 is out of range" {
    pm 0 pm-rlimit-exec --dry-run --json --as=-1 --rlimit data=18446744073709551615
    [ "$(jq -c '[.[].new.soft]' <<<"$output")" = '["unlimited","unlimited"]' ]
    bad "nofile: value '18446744073709551616' out of range (max 18446744073709551615)" --nofile=18446744073709551616
    bad "as: value '16E' out of range (max 18446744073709551615)" --as=16E
}

@test "8: trailing or invalid characters (decimal only, no spaces, no sign)" {
    bad "nofile: trailing or invalid characters in '1x' (decimal digits only)" --nofile=1x
    bad "nofile: trailing or invalid characters in '0x400' (decimal digits only)" --nofile=0x400
    bad "nofile: trailing or invalid characters in ' 12' (decimal digits only, no sign or spaces)" "--nofile= 12"
    bad "nofile: trailing or invalid characters in '12 ' (decimal digits only)" "--nofile=12 "
    bad "nofile: trailing or invalid characters in '+12' (decimal digits only, no sign or spaces)" --nofile=+12
}

@test "9: unknown resources, with a suggestion and the valid names" {
    local valid="as, core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack"
    bad "unknown resource 'nofiles' (did you mean 'nofile'?); valid: $valid (see pm-rlimit-exec --help)" --nofiles=10
    bad "unknown resource 'NOFILES' (did you mean 'nofile'?); valid: $valid" --rlimit NOFILES=10
    bad "unknown resource 'bandwidth'; valid: $valid" --rlimit bandwidth=10
    bad "unknown option '--frobnicate' (see pm-rlimit-exec --help)" --frobnicate
}

@test "10-13: units a limit does not take; nice range" {
    bad "nofile takes a count; size suffixes are only valid for byte limits ('1K')" --nofile=1K
    bad "stack: '10ms' is a time; stack takes bytes (suffixes K, M, G, T, P, E; base 1024)" --stack=10ms
    bad "cpu: fractional seconds need a unit (e.g. 1500ms) in '1.5'; the kernel counts whole seconds" --cpu=1.5
    bad "cpu: trailing or invalid characters in '10m' (time units: us, ms, s, min, h, d)" --cpu=10m
    bad "as: fractional values are not allowed in '1.5G'" --as=1.5G
    bad "nice: raw value must be 0..40 (or +N/-N nice level, -20..19), got '41'" --nice=41
    bad "nice: nice level '+20' out of range: raw value must be 0..40 (or +N/-N nice level, -20..19)" --nice=+20
    # 11: byte suffixes are base 1024 in any case, with or without B/iB
    pm 0 pm-rlimit-exec --dry-run --json --as=4G --data=4g --stack=4MiB --fsize=4GB
    [ "$(jq -c '[.[].new.soft]' <<<"$output")" = '[4294967296,4294967296,4294967296,4194304]' ]
}

@test "15: the same resource twice, on the command line or with JSON" {
    bad "nofile given more than once (cli, cli)" --nofile=1 --nofile=2
    bad "nofile given more than once (cli, cli)" --nofile=1 --rlimit RLIMIT_NOFILE=2
    echo '{"rlimits":[{"type":"RLMT_NOFILE","soft":1,"hard":1}]}' >n.json
    bad "nofile given more than once (cli, mesos-json)" --nofile=1 --rlimits-json n.json
    echo '{"process":{"rlimits":[{"type":"RLIMIT_NOFILE","soft":1,"hard":1},{"type":"RLIMIT_NOFILE","soft":2,"hard":2}]}}' >oci.json
    bad "nofile given more than once (oci-json, oci-json)" --rlimits-json oci.json
}

@test "16-18: Mesos JSON: both or neither, unknown types, non-integers" {
    bad_json "rlimits[0]: RLMT_CORE: Mesos requires both 'soft' and 'hard' or neither" '{"rlimits":[{"type":"RLMT_CORE","soft":1}]}'
    bad_json "rlimits[2]: unknown rlimit type 'RLMT_NOFILES' (did you mean 'RLMT_NOFILE'?)" \
        '{"rlimits":[{"type":"RLMT_CORE"},{"type":"RLMT_CPU"},{"type":"RLMT_NOFILES"}]}'
    bad_json "rlimits[0]: missing 'type'" '{"rlimits":[{"soft":1,"hard":1}]}'
    bad_json "rlimits[0]: unknown rlimit type 'UNKNOWN'" '{"rlimits":[{"type":"UNKNOWN"}]}'
    bad_json "rlimits[0].soft: expected unsigned integer (got 1.5)" '{"rlimits":[{"type":"RLMT_CPU","soft":1.5,"hard":2}]}'
    bad_json "rlimits[0].soft: expected unsigned integer (got -1)" '{"rlimits":[{"type":"RLMT_CPU","soft":-1,"hard":2}]}'
    bad_json 'rlimits[0].hard: expected unsigned integer (got "abc")' '{"rlimits":[{"type":"RLMT_CPU","soft":1,"hard":"abc"}]}'
    bad_json "rlimits[0]: RLMT_CPU: soft limit 100 exceeds hard limit 1" '{"rlimits":[{"type":"RLMT_CPU","soft":100,"hard":1}]}'
    bad_json "container.rlimit_info.rlimits[0]: unknown key 'sfot'" \
        '{"container":{"type":"MESOS","rlimit_info":{"rlimits":[{"type":"RLMT_CORE","sfot":1}]}}}'
}

@test "19: OCI JSON: soft and hard required, type pattern" {
    bad_json "process.rlimits[0]: RLIMIT_NOFILE: OCI requires 'type', 'soft' and 'hard'" \
        '{"process":{"rlimits":[{"type":"RLIMIT_NOFILE","soft":1}]}}'
    bad_json "process.rlimits[0].type: 'RLIMIT_nofile' does not match ^RLIMIT_[A-Z]+\$" \
        '{"process":{"rlimits":[{"type":"RLIMIT_nofile","soft":1,"hard":1}]}}'
    bad_json "process.rlimits[0]: unknown rlimit type 'RLIMIT_NOFILES' (did you mean 'RLIMIT_NOFILE'?)" \
        '{"process":{"rlimits":[{"type":"RLIMIT_NOFILES","soft":1,"hard":1}]}}'
}

@test "20: malformed JSON, trailing data, wrong shapes, unreadable files" {
    bad_json "json: 1:33: syntax error while parsing object key - unexpected '}'; expected string literal" \
        '{"rlimits":[{"type":"RLMT_CORE",}]}'
    pm 125 pm-rlimit-exec --rlimits-json - -- echo ran <<<'{"rlimits":[]} x'
    [[ "$stderr" == "pm-rlimit-exec: error: stdin: json: 1:16: syntax error while parsing value - "*"expected end of input" ]]
    pm 125 pm-rlimit-exec --rlimits-json - -- echo ran </dev/null
    assert_equal "$stderr" "pm-rlimit-exec: error: stdin: json: 1:1: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal"
    bad_json "rlimits: expected an array of rlimits" '{"rlimits":5}'
    bad_json 'json: no rlimits found: expected a Mesos RLimitInfo {"rlimits":[...]}, a ContainerInfo with "rlimit_info", or an OCI config with "process": {"rlimits": [...]}' '{"foo":1}'
    bad "cannot open nope.json: No such file or directory" --rlimits-json nope.json
}

@test "22-24: fs.nr_open, a kept soft above the new hard, unlimited soft over a finite hard" {
    local nr_open
    nr_open="$(cat /proc/sys/fs/nr_open)"
    bad "nofile hard $((nr_open + 1)) exceeds fs.nr_open ($nr_open); the kernel refuses this even for root" --nofile=$((nr_open + 1))
    # The outer launcher makes the current soft 1024 whatever this shell has.
    pm 125 pm-rlimit-exec --nofile=1024:2048 -- pm-rlimit-exec --nofile=:512 -- echo ran
    assert_equal "$output" ""
    assert_equal "$stderr" "pm-rlimit-exec: error: nofile: resulting soft 1024 (the current soft limit) would exceed new hard 512; give both (e.g. 512:512)"
    pm 125 pm-rlimit-exec --nofile=100:200 -- pm-rlimit-exec --nofile=300: -- echo ran
    assert_equal "$stderr" "pm-rlimit-exec: error: nofile: new soft 300 would exceed the current hard limit 200; give both (e.g. 300:300)"
    bad "core: soft limit unlimited exceeds hard limit 0" --core=unlimited:0
}

@test "26, 28: usage errors exit 125 too" {
    pm 125 pm-rlimit-exec --nofile=10
    assert_equal "$stderr" "pm-rlimit-exec: error: no command given (usage: pm-rlimit-exec [OPTIONS] [--] CMD [ARGS...], or --dry-run)"
    pm 125 pm-rlimit-exec
    pm 125 pm-rlimit-exec --nofile=10 -weird
    assert_equal "$stderr" "pm-rlimit-exec: error: unknown option '-weird' (see pm-rlimit-exec --help)"
    bad "invalid --rlimit 'nofile': expected NAME=SOFT[:HARD]" --rlimit nofile
    bad "--json needs --dry-run (stdout belongs to the command)" --json --nofile=10
    pm 125 pm-rlimit-exec --rlimits-json a.json --rlimits-json b.json -- true
    [[ "$stderr" == "pm-rlimit-exec: error: --rlimits-json: "* ]]
    pm 125 pm-rlimit-exec --nofile
    [[ "$stderr" == "pm-rlimit-exec: error: --nofile: "* ]]
    # -h and --version are not errors
    pm 0 pm-rlimit-exec --help
    pm 0 pm-rlimit-exec --version
    assert_output --regexp '^pm-rlimit-exec [0-9]'
}
