# fish completion for pm-netns(8)

# Container IDs of the state dir (--state-dir on the line, else
# $PORTMAP_STATE_DIR, else /run/portmap); "netns": only those with a namespace.
function __pm_netns_ids
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
        if test "$argv[1]" = netns; and not test -e $d/netns.json
            continue
        end
        basename $d
    end
end

set -l commands create destroy exec list show path gc status
complete -c pm-netns -f
complete -c pm-netns -s h -l help -d 'print help and exit'
complete -c pm-netns -l version -d 'print the version and exit'
complete -c pm-netns -l state-dir -r -x -a '(__fish_complete_directories)' -d 'state directory'
complete -c pm-netns -l wait -x -d 'seconds to wait for the state lock'
complete -c pm-netns -s j -l json -d 'print one JSON document on stdout'
complete -c pm-netns -s v -l verbose -d 'say on stderr what was changed'

complete -c pm-netns -n "not __fish_seen_subcommand_from $commands" -a create -d 'create (or adopt) the network namespace of a container'
complete -c pm-netns -n "not __fish_seen_subcommand_from $commands" -a destroy -d 'delete the veth pair and release the namespace'
complete -c pm-netns -n "not __fish_seen_subcommand_from $commands" -a exec -d 'run a command inside the namespace'
complete -c pm-netns -n "not __fish_seen_subcommand_from $commands" -a list -d 'list containers with a network namespace'
complete -c pm-netns -n "not __fish_seen_subcommand_from $commands" -a show -d 'show the namespace, veth and addresses'
complete -c pm-netns -n "not __fish_seen_subcommand_from $commands" -a path -d 'print the namespace handle (for nsenter --net=)'
complete -c pm-netns -n "not __fish_seen_subcommand_from $commands" -a gc -d 'remove containers whose namespace or veth is gone'
complete -c pm-netns -n "not __fish_seen_subcommand_from $commands" -a status -d 'show the host-wide settings containers rely on'

complete -c pm-netns -n '__fish_seen_subcommand_from create' -l eth0 -x -a '(__fish_print_interfaces)' -d 'host public interface'
complete -c pm-netns -n '__fish_seen_subcommand_from create' -l lo -x -a '(__fish_print_interfaces)' -d 'host loopback interface'
complete -c pm-netns -n '__fish_seen_subcommand_from create' -l pid -x -a '(__fish_complete_pids)' -d 'adopt the network namespace of this process'
complete -c pm-netns -n '__fish_seen_subcommand_from create' -l link-ip-netns -d 'also link it as /run/netns/pm-ID for ip netns'
complete -c pm-netns -n '__fish_seen_subcommand_from destroy' -l sync -d 'return only once the veth pair is gone'
complete -c pm-netns -n '__fish_seen_subcommand_from gc' -l empty -d 'also remove namespaces no process lives in any more'
complete -c pm-netns -n '__fish_seen_subcommand_from create' -a '(__pm_netns_ids)' -d 'container ID'
complete -c pm-netns -n '__fish_seen_subcommand_from destroy exec show path' -a '(__pm_netns_ids netns)' -d 'container ID'
