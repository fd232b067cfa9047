# fish completion for pm-stats(8)

# Container IDs with a network namespace record in the state dir (--state-dir
# on the line, else $PORTMAP_STATE_DIR, else /run/portmap).
function __pm_stats_ids
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
    for f in $dir/containers/*/netns.json
        basename (dirname $f)
    end
end

complete -c pm-stats -f
complete -c pm-stats -s h -l help -d 'print help and exit'
complete -c pm-stats -l version -d 'print the version and exit'
complete -c pm-stats -l format -x -a 'table json prometheus' -d 'output format'
complete -c pm-stats -s j -l json -d 'print the Mesos /monitor/statistics JSON'
complete -c pm-stats -l watch -x -a '1 2 5 10' -d 'redraw a table of per-second rates every SECONDS'
complete -c pm-stats -l listen -x -a '9273 127.0.0.1:9273 0.0.0.0:9273' -d 'serve /monitor/statistics and /metrics over HTTP'
complete -c pm-stats -l sockets -d 'add TCP connection counts and RTT percentiles'
complete -c pm-stats -l snmp -d 'add the /proc/net/snmp counters'
complete -c pm-stats -l state-dir -r -x -a '(__fish_complete_directories)' -d 'state directory'
complete -c pm-stats -s v -l verbose -d 'say on stderr which containers were skipped'
complete -c pm-stats -a '(__pm_stats_ids)' -d 'container ID'
