# fish completion for pm-alloc(8)

# Container IDs with a directory in the state dir (--state-dir on the line,
# else $PORTMAP_STATE_DIR, else /run/portmap).
function __pm_alloc_ids
    set -l dir /run/portmap
    set -q PORTMAP_STATE_DIR; and test -n "$PORTMAP_STATE_DIR"; and set dir $PORTMAP_STATE_DIR
    set -l words (commandline -opc)
    for i in (seq (count $words))
        switch $words[$i]
            case --state-dir
                set -l next (math $i + 1)
                test $next -le (count $words); and set dir $words[$next]
            case '--state-dir=*'
                set dir (string replace -- --state-dir= '' $words[$i])
        end
    end
    for d in $dir/containers/*/
        basename $d
    end
end

set -l commands init allocate update release show list status gc
complete -c pm-alloc -f
complete -c pm-alloc -s h -l help -d 'print help and exit'
complete -c pm-alloc -l version -d 'print the version and exit'
complete -c pm-alloc -l state-dir -r -x -a '(__fish_complete_directories)' -d 'state directory'
complete -c pm-alloc -l wait -x -d 'seconds to wait for the state lock'
complete -c pm-alloc -s j -l json -d 'print one JSON document on stdout'
complete -c pm-alloc -s v -l verbose -d 'say on stderr what was changed'

complete -c pm-alloc -n "not __fish_seen_subcommand_from $commands" -a init -d 'define (or change) the port pool'
complete -c pm-alloc -n "not __fish_seen_subcommand_from $commands" -a allocate -d 'give a container a free ephemeral block'
complete -c pm-alloc -n "not __fish_seen_subcommand_from $commands" -a update -d "change a container's non-ephemeral ports"
complete -c pm-alloc -n "not __fish_seen_subcommand_from $commands" -a release -d "free a container's ports"
complete -c pm-alloc -n "not __fish_seen_subcommand_from $commands" -a show -d "print a container's allocation"
complete -c pm-alloc -n "not __fish_seen_subcommand_from $commands" -a list -d 'list every allocation'
complete -c pm-alloc -n "not __fish_seen_subcommand_from $commands" -a status -d 'print the pool and how many more containers fit'
complete -c pm-alloc -n "not __fish_seen_subcommand_from $commands" -a gc -d 'clean up after crashes; release allocations without a namespace'

complete -c pm-alloc -n '__fish_seen_subcommand_from init' -l ephemeral-ports -x -d 'ports split into per-container blocks'
complete -c pm-alloc -n '__fish_seen_subcommand_from init' -l per-container -x -a '16 32 64 128 256 512 1024 2048 4096 8192 16384 32768' -d 'ephemeral ports per container'
complete -c pm-alloc -n '__fish_seen_subcommand_from init' -l ports -x -d 'non-ephemeral ports containers may own'
complete -c pm-alloc -n '__fish_seen_subcommand_from gc' -l no-namespace -d 'release allocations whose container has no network namespace'
complete -c pm-alloc -n '__fish_seen_subcommand_from gc' -l older-than -x -d 'only release allocations unchanged for at least SECONDS'
complete -c pm-alloc -n '__fish_seen_subcommand_from allocate update' -l ports -x -d "the container's non-ephemeral ports"
complete -c pm-alloc -n '__fish_seen_subcommand_from allocate update release show' -a '(__pm_alloc_ids)' -d 'container ID'
