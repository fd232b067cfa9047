# fish completion for pm-tc(8)

# Container IDs with FILE (tc.json: attached; netns.json: attachable) in the
# state dir (--state-dir on the line, else $PORTMAP_STATE_DIR, else /run/portmap).
function __pm_tc_ids
    set -l file $argv[1]
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
    for f in $dir/containers/*/$file
        basename (dirname $f)
    end
end

set -l commands setup attach update detach teardown gc show
complete -c pm-tc -f
complete -c pm-tc -s h -l help -d 'print help and exit'
complete -c pm-tc -l version -d 'print the version and exit'
complete -c pm-tc -l state-dir -r -x -a '(__fish_complete_directories)' -d 'state directory'
complete -c pm-tc -l wait -x -d 'seconds to wait for the state lock'
complete -c pm-tc -s j -l json -d 'print one JSON document on stdout'
complete -c pm-tc -s v -l verbose -d 'say on stderr what was changed'

complete -c pm-tc -n "not __fish_seen_subcommand_from $commands" -a setup -d 'prepare the host once'
complete -c pm-tc -n "not __fish_seen_subcommand_from $commands" -a attach -d "steer a container's ports to it"
complete -c pm-tc -n "not __fish_seen_subcommand_from $commands" -a update -d "apply a container's changed ports and rate limits"
complete -c pm-tc -n "not __fish_seen_subcommand_from $commands" -a detach -d "remove a container's filters"
complete -c pm-tc -n "not __fish_seen_subcommand_from $commands" -a teardown -d 'remove what setup made'
complete -c pm-tc -n "not __fish_seen_subcommand_from $commands" -a gc -d 'detach containers whose veth is gone'
complete -c pm-tc -n "not __fish_seen_subcommand_from $commands" -a show -d 'filters with packet/byte counters'

complete -c pm-tc -n '__fish_seen_subcommand_from setup' -l eth0 -x -a '(__fish_print_interfaces)' -d 'host public interface'
complete -c pm-tc -n '__fish_seen_subcommand_from setup' -l lo -x -a '(__fish_print_interfaces)' -d 'host loopback interface'
complete -c pm-tc -n '__fish_seen_subcommand_from setup' -l unique-flows -d 'fq_codel on host eth0 egress, one flow per container'
complete -c pm-tc -n '__fish_seen_subcommand_from setup' -l flows -x -d 'fq_codel flow count (default 1024)'
complete -c pm-tc -n '__fish_seen_subcommand_from setup' -l flow-parent -x -d 'class (MAJ:MIN) to put the flow qdisc under'
complete -c pm-tc -n '__fish_seen_subcommand_from teardown' -l force -d 'detach every attached container first'
complete -c pm-tc -n '__fish_seen_subcommand_from attach' -a '(__pm_tc_ids netns.json)' -d 'container ID'
complete -c pm-tc -n '__fish_seen_subcommand_from update detach show' -a '(__pm_tc_ids tc.json)' -d 'container ID'
set -l shaped '__fish_seen_subcommand_from attach update'
complete -c pm-tc -n $shaped -l egress-rate -x -a none -d 'limit container -> network (RATE or none)'
complete -c pm-tc -n $shaped -l egress-ceil -x -d 'HTB ceil of the egress limit'
complete -c pm-tc -n $shaped -l egress-burst -x -d 'bytes at line speed after idle (needs the ceil)'
complete -c pm-tc -n $shaped -l ingress-rate -x -a none -d 'limit network -> container (RATE or none)'
complete -c pm-tc -n $shaped -l ingress-ceil -x -d 'HTB ceil of the ingress limit'
complete -c pm-tc -n $shaped -l ingress-burst -x -d 'bytes at line speed after idle (needs the ceil)'
complete -c pm-tc -n $shaped -l rate-per-cpu -x -d 'rate per CPU, times floor(--cpus)'
complete -c pm-tc -n $shaped -l cpus -x -d "the container's CPUs"
complete -c pm-tc -n $shaped -l min-rate -x -d 'raise rates below this (default 1mbit)'
complete -c pm-tc -n $shaped -l max-rate -x -d 'lower rates above this'
complete -c pm-tc -n $shaped -l bloat-reduction -x -a 'fq_codel none' -d 'leaf under the shaper'
