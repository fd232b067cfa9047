# fish completion for pm-rlimit-exec(8)

# True once the command line has reached CMD ("--" or the first non-option).
function __pm_rlimit_exec_in_command
    set -l words (commandline -opc)
    set -e words[1]
    set -l skip 0
    for w in $words
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $w
            case --
                return 0
            case --rlimit --rlimits-json --as --core --cpu --data --fsize --locks --memlock --msgqueue --nice --nofile --nproc --rss --rtprio --rttime --sigpending --stack
                set skip 1
            case '-*'
            case '*'
                return 0
        end
    end
    return 1
end

set -l ours 'not __pm_rlimit_exec_in_command'
complete -c pm-rlimit-exec -f
complete -c pm-rlimit-exec -n $ours -s h -l help -d 'print help and exit'
complete -c pm-rlimit-exec -n $ours -l version -d 'print the version and exit'
complete -c pm-rlimit-exec -n $ours -s j -l json -d 'with --dry-run: print the plan as JSON'
complete -c pm-rlimit-exec -n $ours -s v -l verbose -d 'one line per limit set, on stderr'
complete -c pm-rlimit-exec -n $ours -s q -l quiet -d 'no warnings'
complete -c pm-rlimit-exec -n $ours -l dry-run -d 'check and print the plan, exec nothing'
complete -c pm-rlimit-exec -n $ours -l print -d 'check and print the plan, exec nothing'
complete -c pm-rlimit-exec -n $ours -l rlimits-json -r -F -d 'limits from Mesos or OCI JSON (- = stdin)'
complete -c pm-rlimit-exec -n $ours -l rlimit -x -d 'set limit NAME=SOFT[:HARD]' \
    -a 'as= core= cpu= data= fsize= locks= memlock= msgqueue= nice= nofile= nproc= rss= rtprio= rttime= sigpending= stack='
complete -c pm-rlimit-exec -n $ours -l as -x -a unlimited -d 'address space (bytes, K/M/G/T)'
complete -c pm-rlimit-exec -n $ours -l core -x -a unlimited -d 'core file size (bytes)'
complete -c pm-rlimit-exec -n $ours -l cpu -x -a unlimited -d 'CPU time (seconds or us/ms/s/min/h/d)'
complete -c pm-rlimit-exec -n $ours -l data -x -a unlimited -d 'data segment (bytes)'
complete -c pm-rlimit-exec -n $ours -l fsize -x -a unlimited -d 'file size (bytes)'
complete -c pm-rlimit-exec -n $ours -l locks -x -a unlimited -d 'file locks (ignored by the kernel)'
complete -c pm-rlimit-exec -n $ours -l memlock -x -a unlimited -d 'locked memory (bytes)'
complete -c pm-rlimit-exec -n $ours -l msgqueue -x -a unlimited -d 'POSIX message queues (bytes, per user)'
complete -c pm-rlimit-exec -n $ours -l nice -x -a unlimited -d 'nice ceiling (raw 0..40 or +N/-N)'
complete -c pm-rlimit-exec -n $ours -l nofile -x -a unlimited -d 'open files'
complete -c pm-rlimit-exec -n $ours -l nproc -x -a unlimited -d 'processes (per user)'
complete -c pm-rlimit-exec -n $ours -l rss -x -a unlimited -d 'resident set (ignored by the kernel)'
complete -c pm-rlimit-exec -n $ours -l rtprio -x -a unlimited -d 'real-time priority ceiling (0..99)'
complete -c pm-rlimit-exec -n $ours -l rttime -x -a unlimited -d 'real-time CPU time (microseconds or a time unit)'
complete -c pm-rlimit-exec -n $ours -l sigpending -x -a unlimited -d 'queued signals (per user)'
complete -c pm-rlimit-exec -n $ours -l stack -x -a unlimited -d 'main thread stack (bytes)'
# CMD and its arguments (with the word being completed), once the command line reaches them.
function __pm_rlimit_exec_cmd
    set -l words (commandline -opc)
    set -e words[1]
    set -l current (commandline -ct)
    set -l skip 0
    for i in (seq (count $words))
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $words[$i]
            case --
                printf '%s\n' $words[(math $i + 1)..-1] $current
                return 0
            case --rlimit --rlimits-json --as --core --cpu --data --fsize --locks --memlock --msgqueue --nice --nofile --nproc --rss --rtprio --rttime --sigpending --stack
                set skip 1
            case '-*'
            case '*'
                printf '%s\n' $words[$i..-1] $current
                return 0
        end
    end
    # The first non-option word is CMD itself.
    test $skip -eq 0; and not string match -q -- '-*' $current; and printf '%s\n' $current
end

# CMD and its arguments, completed as their own command line.
complete -c pm-rlimit-exec -x -a '(set -l cmd (__pm_rlimit_exec_cmd); and __fish_complete_subcommand --commandline $cmd)'
