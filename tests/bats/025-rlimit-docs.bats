#!/usr/bin/env bats
# pm-rlimit-exec's man page and completions know all 16 limits.

load helpers
bats_require_minimum_version 1.5.0

NAMES="as core cpu data fsize locks memlock msgqueue nice nofile nproc rss rtprio rttime sigpending stack"

@test "the man page's limits table lists every limit with its unit" {
    local table
    table="$(sed -n '/^\.SH LIMITS/,/^\.SH VALUES/p' "$REPO_ROOT/man/pm-rlimit-exec.8")"
    local name
    for name in $NAMES; do
        grep -qE "^$name +(bytes|seconds|count|raw 0\.\.40|priority|microseconds) " <<<"$table" || {
            echo "no row for $name"
            return 1
        }
    done
}

@test "bash completion: limit options, limit names after --rlimit, then CMD's own line" {
    complete_words() {
        bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _pm_rlimit_exec; printf "%s\n" "${COMPREPLY[@]}"' \
            sh "$REPO_ROOT/completions/bash/pm-rlimit-exec" "$@" | sort -u | xargs
    }
    assert_equal "$(complete_words pm-rlimit-exec --no)" "--nofile="
    assert_equal "$(complete_words pm-rlimit-exec --rlimit '')" "$(printf '%s=\n' $NAMES | sort | xargs)"
    assert_equal "$(complete_words pm-rlimit-exec --rlimit s)" "sigpending= stack="
    assert_equal "$(complete_words pm-rlimit-exec --stack=un)" "--stack=unlimited"
    assert_equal "$(complete_words pm-rlimit-exec --nofile 10 -- pm-rlimit-exe)" "pm-rlimit-exec"
    # after CMD, its own options are not ours
    [[ "$(complete_words pm-rlimit-exec --nofile=10 -- ls --no)" != *--nofile* ]]
}

@test "fish completion: limit names after --rlimit, CMD's own options after --" {
    command -v fish >/dev/null || skip "fish is not installed"
    run fish -c "source '$REPO_ROOT/completions/fish/pm-rlimit-exec.fish'; complete -C 'pm-rlimit-exec --rlimit '"
    [ "$(cut -f1 <<<"$output" | sort | xargs)" = "$(printf '%s=\n' $NAMES | sort | xargs)" ]
    run fish -c "source '$REPO_ROOT/completions/fish/pm-rlimit-exec.fish'; complete -C 'pm-rlimit-exec --nofile=10 -- ls --no'"
    [[ "$output" == *--no-group* ]]
    [[ "$output" != *"open files"* ]]
}
