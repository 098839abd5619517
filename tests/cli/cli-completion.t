# scripts/edgesim-completion.bash: commands, each command's options,
# scenario files, directories, and the --set paths of the scenario on the
# command line (from `edgesim validate --list-paths`).
command -v bash >/dev/null 2>&1 || { echo "no bash: skipped"; exit 0; }
root=$(cd "$T/../.." && pwd)
cp "$root/scenarios/faults/crash.json" s.json
mkdir sub && touch sub/in.json notes.txt
complete_() { # the words (the last is being completed), printed one per line, sorted
    bash -c '
        source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        _edgesim
        printf "%s\n" "${COMPREPLY[@]}"' sh "$root/scripts/edgesim-completion.bash" "$EDGESIM" "$@" | sort
}
want() { printf '%s\n' "$@" | sort; }
[ "$(complete_ ru)" = "$(want run)" ]
[ "$(complete_ '')" = "$(want bench checksum compare help plot run sweep validate)" ]
[ "$(complete_ run --trace)" = "$(want --trace --trace-max-events --trace-nodes --trace-window)" ]
[ "$(complete_ sweep --no)" = "$(want --no-plots)" ]
[ "$(complete_ bench ph)" = "$(want phold)" ]
[ "$(complete_ bench phold --po)" = "$(want --population)" ]
[ "$(complete_ help va)" = "$(want validate)" ]
# operands: .json files and directories for run, not other files
[ "$(complete_ run '')" = "$(want s.json sub)" ]
[ "$(complete_ validate sub/)" = "$(want sub/in.json)" ]
# option values: a directory for -o, any file for --trace-max-events: none
[ "$(complete_ run s.json -o '')" = "$(want sub)" ]
[ -z "$(complete_ run s.json --seed '')" ]
# --set paths of the scenario on the line, as "path=" (also after --set=)
[ "$(complete_ run s.json --set policies.re)" = "$(want policies.retries=)" ]
[ "$(complete_ validate s.json --set = dur)" = "$(want duration=)" ]
complete_ run s.json --set 'nodes[0].' | grep -qx 'nodes\[0\].id='
