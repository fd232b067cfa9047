#!/usr/bin/env bats
# pm-rlimit-exec execs in place: PID, argv, environment, exit status and
# signals are the command's; 126/127 for commands that cannot run; and the
# limits really bind (CPU, NOFILE, CORE, FSIZE).

load helpers
load 02-rlimit-helpers
bats_require_minimum_version 1.5.0

PYTHON=/usr/bin/python3

# pm for exit 127 (bats warns about 127 unless told it is expected).
pm127() {
    run -127 --separate-stderr "$@"
}

@test "the PID is kept: exec, no fork" {
    # The shell prints its PID, then execs the launcher, which execs the inner shell.
    pm 0 sh -c 'echo $$; echo $PPID; exec pm-rlimit-exec --nofile=64 -- sh -c "echo \$\$; echo \$PPID"'
    [ "${lines[0]}" = "${lines[2]}" ]
    # ...and its parent is still the outer shell's parent: no launcher process in between.
    [ "${lines[1]}" = "${lines[3]}" ]
}

@test "argv reaches the command unchanged, its own options included" {
    pm 0 pm-rlimit-exec --nofile=64 -- "$PYTHON" -c 'import json, sys; print(json.dumps(sys.argv[1:]))' \
        -v --nofile=1 -- -x '' 'a b' '$HOME' '*'
    assert_equal "$output" '["-v", "--nofile=1", "--", "-x", "", "a b", "$HOME", "*"]'
    # Without "--": options end at the first non-option, like prlimit.
    pm 0 pm-rlimit-exec --nofile=64 sh -c 'printf "%s|" "$0" "$@"' -v --core=0
    assert_equal "$output" "-v|--core=0|"
    # argv[0] stays as given (not the resolved path).
    pm 0 sh -c 'pm-rlimit-exec --nofile=64 -- cat /proc/self/cmdline | tr "\0" " "'
    assert_equal "$output" "cat /proc/self/cmdline "
}

@test "the environment reaches the command unchanged" {
    local exe
    exe="$(command -v pm-rlimit-exec)"
    run env -i A=1 'B=x y' EMPTY= 'WEIRD=$(no)' /usr/bin/env
    local expected="$output"
    pm 0 env -i A=1 'B=x y' EMPTY= 'WEIRD=$(no)' "$exe" --nofile=64 -- /usr/bin/env
    assert_equal "$output" "$expected"
    # PATH is searched as given to us, as execvp does.
    mkdir bin && printf '#!/bin/sh\necho mine\n' >bin/mytool && chmod +x bin/mytool
    pm 0 env PATH="$PWD/bin:/usr/bin:/bin" "$exe" -- mytool
    assert_equal "$output" "mine"
}

@test "the command's exit status and signals come through" {
    pm 0 pm-rlimit-exec --nofile=64 -- true
    pm 1 pm-rlimit-exec --nofile=64 -- false
    pm 42 pm-rlimit-exec --nofile=64 -- sh -c 'exit 42'
    pm 125 pm-rlimit-exec --nofile=64 -- sh -c 'exit 125'  # the command's own 125 looks the same
    pm 143 pm-rlimit-exec --core=0 -- sh -c 'kill -TERM $$'
    pm 137 pm-rlimit-exec --core=0 -- sh -c 'kill -KILL $$'
    # A signal sent to the launcher's PID reaches the command (it is the same process).
    pm 0 sh -c 'pm-rlimit-exec --nofile=64 -- sleep 30 & pid=$!; sleep 0.3; kill -USR1 $pid; wait $pid; echo $?'
    assert_equal "$output" "138"
}

@test "127 for a command not found, 126 for one that cannot be executed, before any limit is set" {
    pm127 pm-rlimit-exec -v --nofile=64 -- no-such-command-here
    assert_equal "$stderr" "pm-rlimit-exec: error: no-such-command-here: command not found"
    pm127 pm-rlimit-exec -- ./missing
    assert_equal "$stderr" "pm-rlimit-exec: error: ./missing: No such file or directory"
    printf 'echo hi\n' >script && chmod 0644 script
    pm 126 pm-rlimit-exec -v --nofile=64 -- ./script
    assert_equal "$stderr" "pm-rlimit-exec: error: ./script: cannot execute: Permission denied"
    mkdir adir
    pm 126 pm-rlimit-exec -- ./adir
    assert_equal "$stderr" "pm-rlimit-exec: error: ./adir: cannot execute: Is a directory"
    printf '\x7fELF garbage' >badbin && chmod +x badbin
    pm 126 pm-rlimit-exec -- ./badbin
    assert_equal "$stderr" "pm-rlimit-exec: error: ./badbin: cannot execute: Exec format error"
    # --dry-run checks the command too.
    pm127 pm-rlimit-exec --dry-run --nofile=64 -- no-such-command-here
    assert_equal "$output" ""
}

@test "an exec that fails under the new limits names the likely limit" {
    # argv+environment may use a quarter of the stack limit, but never less than
    # 128 KiB: so pass more than that (in pieces; one argument may not exceed 128 KiB).
    local big
    big="$(head -c 60000 /dev/zero | tr '\0' x)"
    pm 126 pm-rlimit-exec -q --stack=16K -- /bin/true "$big" "$big" "$big"
    assert_equal "$stderr" "pm-rlimit-exec: error: /bin/true: cannot execute: Argument list too long (probably the new stack limit)"
}

@test "CPU limit kills a busy loop (SIGXCPU at the soft limit)" {
    # soft = hard: SIGKILL when the hard limit is reached
    pm 137 pm-rlimit-exec --cpu=1 -- sh -c 'while :; do :; done'
    # soft < hard: SIGXCPU (default action: terminate) at the soft limit
    pm 152 pm-rlimit-exec --cpu=1:3 --core=0 -- sh -c 'while :; do :; done'
    # SIGXCPU ignored: SIGKILL at the hard limit
    pm 137 pm-rlimit-exec --cpu=1:2 -- sh -c 'trap "" XCPU; while :; do :; done'
}

@test "NOFILE limit gives EMFILE at the right count" {
    pm 0 pm-rlimit-exec --nofile=40 -- "$PYTHON" -c '
import errno, os
fds = []
try:
    while True:
        fds.append(os.open("/dev/null", os.O_RDONLY))
except OSError as e:
    print(errno.errorcode[e.errno], max(fds))'
    # descriptors 0..39 exist, the 41st open fails
    assert_equal "$output" "EMFILE 39"
}

@test "CORE 0 gives no core dump; a core appears without it" {
    local pattern
    pattern="$(cat /proc/sys/kernel/core_pattern)"
    local crash='import os; os.kill(os.getpid(), 11)'
    local waiter='import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
_, status = os.waitpid(pid, 0)
print(os.WTERMSIG(status), "core" if os.WCOREDUMP(status) else "nocore")'
    pm 0 "$PYTHON" -c "$waiter" pm-rlimit-exec --core=0 -- "$PYTHON" -c "$crash"
    assert_equal "$output" "11 nocore"
    [ -z "$(ls core* 2>/dev/null)" ]
    # Control: a core file when the pattern is a plain file name and cores may be written.
    [ "${pattern:0:1}" != "|" ] && [[ "$pattern" != */* ]] || skip "core_pattern '$pattern' is not a plain file name"
    [ "$(hard_of core)" = unlimited ] || skip "hard core limit is finite"
    pm 0 "$PYTHON" -c "$waiter" pm-rlimit-exec --core=unlimited -- "$PYTHON" -c "$crash"
    assert_equal "$output" "11 core"
    rm -f core*
}

@test "FSIZE stops a write at the limit" {
    # dd is killed by SIGXFSZ when it writes past 1 KiB...
    pm 153 pm-rlimit-exec --fsize=1K -- dd if=/dev/zero of=out bs=512 count=8 status=none
    [ "$(stat -c %s out)" -eq 1024 ]
    # ...and gets EFBIG when it ignores the signal.
    pm 0 pm-rlimit-exec --fsize=1K -- "$PYTHON" -c '
import errno, os, signal
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
fd = os.open("out2", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
os.write(fd, b"x" * 1024)
try:
    os.write(fd, b"x")
except OSError as e:
    print(errno.errorcode[e.errno])'
    assert_equal "$output" "EFBIG"
    [ "$(stat -c %s out2)" -eq 1024 ]
}
