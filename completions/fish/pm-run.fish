# fish completion for pm-run(8)
# ID names a new container (an allocated one is refused), so no existing IDs
# are offered; after "--" the command is completed like any other.

# The words after "--" (CMD and its arguments), with the one being typed; false before "--".
function __pm_run_cmd
    set -l words (commandline -opc) (commandline -ct)
    set -l i (contains -i -- -- $words); or return 1
    printf '%s\n' $words[(math $i + 1)..-1]
end

set -l ours 'not __pm_run_cmd >/dev/null'
complete -c pm-run -f
complete -c pm-run -n $ours -s h -l help -d 'print help and exit'
complete -c pm-run -n $ours -l version -d 'print the version and exit'
complete -c pm-run -n $ours -l state-dir -r -x -a '(__fish_complete_directories)' -d 'state directory for every tool'
complete -c pm-run -n $ours -s v -l verbose -d 'pass -v to every tool'
complete -c pm-run -n $ours -l ports -x -d 'non-ephemeral ports of the container'
complete -c pm-run -n $ours -l egress-rate -x -d 'rate limit of what the container sends'
complete -c pm-run -n $ours -l ingress-rate -x -d 'rate limit of what the container receives'
complete -c pm-run -n $ours -l bloat-reduction -x -a 'fq_codel none' -d 'queue under the rate limits'
complete -c pm-run -n $ours -l rlimit -x -a 'as= core= cpu= data= fsize= locks= memlock= msgqueue= nice= nofile= nproc= rss= rtprio= rttime= sigpending= stack=' -d 'a resource limit of the command'
complete -c pm-run -x -n '__pm_run_cmd >/dev/null' -a '(__fish_complete_subcommand --commandline (__pm_run_cmd))'
