#!/usr/bin/env bats
# pm-rlimit-exec --rlimits-json: Mesos RLimitInfo, ContainerInfo (rlimit_info),
# TaskInfo, ContainerLaunchInfo and OCI process.rlimits, from a file and stdin.

load helpers
load 02-rlimit-helpers
bats_require_minimum_version 1.5.0

@test "the Mesos seed example, verbatim: RLMT_CORE unlimited, RLMT_STACK 8192:32768 bytes" {
    local seed='{"rlimits":[{"type":"RLMT_CORE"},{"type":"RLMT_STACK","soft":8192,"hard":32768}]}'
    local core_hard
    core_hard="$(hard_of core)"
    echo "$seed" >seed.json
    pm 0 pm-rlimit-exec --dry-run --json --rlimits-json seed.json
    if [ "$core_hard" = unlimited ]; then
        run jq -c '.[] | [.resource, .new.soft, .new.hard, .source]' <<<"$output"
        assert_line --index 0 '["core","unlimited","unlimited","mesos-json"]'
        assert_line --index 1 '["stack",8192,32768,"mesos-json"]'
    fi
    # Mesos's units are setrlimit's: 8192 *bytes* of stack, which no dynamically
    # linked program survives.  We warn, then do exactly what was asked.
    [[ "$stderr" == *"warning: stack: soft limit 8192 bytes will probably break the exec"* ]]
    pm 139 pm-rlimit-exec -q --rlimits-json seed.json -- /bin/true
    rm -f core*  # RLMT_CORE asked for unlimited cores
    # The same document from stdin, with a stack that programs can live with.
    pm 0 pm-rlimit-exec --rlimits-json - -- cat /proc/self/limits \
        < <(echo '{"rlimits":[{"type":"RLMT_CORE"},{"type":"RLMT_STACK","soft":8388608,"hard":33554432}]}')
    [ "$(row stack)" = "8388608 33554432" ]
    [ "$(row core)" = "unlimited unlimited" ] || [ "$core_hard" != unlimited ]
}

@test "the seed text as the Mesos docs page renders it (braces lost) is a JSON error with line:column" {
    cat >seed-docs.json <<'JSON'
  "container": {
    "type": "MESOS",
    "rlimit_info": {
      "rlimits": [
          "type": "RLMT_CORE"
          "type": "RLMT_STACK",
          "soft": 8192,
          "hard": 32768
JSON
    pm 125 pm-rlimit-exec --rlimits-json seed-docs.json -- true
    [[ "$stderr" == "pm-rlimit-exec: error: seed-docs.json: json: 1:14: syntax error while parsing value - unexpected ':'"* ]]
}

@test "Mesos RLimitInfo from a file and from stdin; numbers as JSON numbers or decimal strings" {
    echo '{"rlimits":[{"type":"RLMT_NOFILE","soft":"100","hard":200},{"type":"RLMT_CPU","soft":30,"hard":"40"}]}' >r.json
    pm 0 pm-rlimit-exec --rlimits-json r.json -- cat /proc/self/limits
    [ "$(row nofile)" = "100 200" ]
    [ "$(row cpu)" = "30 40" ]
    pm 0 pm-rlimit-exec --rlimits-json - -- cat /proc/self/limits <r.json
    [ "$(row nofile)" = "100 200" ]
    [ "$(row cpu)" = "30 40" ]
}

@test "Mesos ContainerInfo, TaskInfo and ContainerLaunchInfo shapes" {
    local list='[{"type":"RLMT_NOFILE","soft":64,"hard":128},{"type":"RLMT_FSIZE"}]'
    local doc
    for doc in \
        "{\"type\":\"MESOS\",\"rlimit_info\":{\"rlimits\":$list}}" \
        "{\"name\":\"t\",\"task_id\":{\"value\":\"1\"},\"container\":{\"type\":\"MESOS\",\"rlimit_info\":{\"rlimits\":$list}}}" \
        "{\"rlimits\":{\"rlimits\":$list}}"; do
        pm 0 pm-rlimit-exec --rlimits-json - -- cat /proc/self/limits <<<"$doc"
        [ "$(row nofile)" = "64 128" ] || { echo "doc: $doc"; return 1; }
        [ "$(row fsize)" = "unlimited unlimited" ]
    done
}

@test "OCI process.rlimits (config.json and the bare array), UINT64_MAX is unlimited" {
    cat >config.json <<'JSON'
{
  "ociVersion": "1.0.2",
  "process": {
    "args": ["sh"],
    "rlimits": [
      {"type": "RLIMIT_NOFILE", "soft": 1024, "hard": 2048},
      {"type": "RLIMIT_CORE", "soft": 0, "hard": 18446744073709551615}
    ]
  }
}
JSON
    local core_hard
    core_hard="$(hard_of core)"
    [ "$core_hard" = unlimited ] || sed -i "s/18446744073709551615/$core_hard/" config.json
    pm 0 pm-rlimit-exec -v --rlimits-json config.json -- cat /proc/self/limits
    [ "$(row nofile)" = "1024 2048" ]
    [ "$(row core)" = "0 $core_hard" ]
    [[ "$stderr" == *"nofile: "*" -> 1024:2048 (oci-json)"* ]]
    pm 0 pm-rlimit-exec --rlimits-json - -- cat /proc/self/limits <<<'[{"type":"RLIMIT_NPROC","soft":500,"hard":600}]'
    [ "$(row nproc)" = "500 600" ]
}

@test "JSON and command-line limits combine; the same limit in both is an error naming both sources" {
    echo '{"rlimits":[{"type":"RLMT_CPU","soft":30,"hard":40}]}' >r.json
    pm 0 pm-rlimit-exec --rlimits-json r.json --nofile=99 -- cat /proc/self/limits
    [ "$(row cpu)" = "30 40" ]
    [ "$(row nofile)" = "99 99" ]
    pm 125 pm-rlimit-exec --rlimits-json r.json --cpu=5 -- true
    assert_equal "$stderr" "pm-rlimit-exec: error: cpu given more than once (cli, mesos-json)"
}

@test "an empty limit set is a no-op: the command just runs" {
    pm 7 pm-rlimit-exec --rlimits-json - -- sh -c 'exit 7' <<<'{"rlimits":[]}'
    assert_equal "$stderr" ""
}
