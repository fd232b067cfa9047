# fish completion for pm-gc(8)

complete -c pm-gc -f
complete -c pm-gc -s h -l help -d 'print help and exit'
complete -c pm-gc -l version -d 'print the version and exit'
complete -c pm-gc -l state-dir -r -x -a '(__fish_complete_directories)' -d 'state directory for every tool'
complete -c pm-gc -s v -l verbose -d 'pass -v to every gc'
complete -c pm-gc -l empty -d 'also remove namespaces no process lives in'
complete -c pm-gc -l older-than -x -a '0 60 300 3600' -d 'release allocations without a namespace once this old (seconds)'
complete -c pm-gc -l keep-allocations -d 'only list allocations without a namespace'
