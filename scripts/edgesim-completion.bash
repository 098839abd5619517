# edgesim-completion.bash — shell completion for edgesim (bash; zsh through
# bashcompinit). `make install` puts it in
# $(PREFIX)/share/bash-completion/completions/edgesim; from the tree:
#     source scripts/edgesim-completion.bash
#
# Completes commands, each command's options, scenario and sweep .json
# files, directories where a command takes one, and the --set paths of the
# scenario already on the command line. Everything it offers comes from the
# program itself, so it cannot drift from it:
#     edgesim help --commands       the commands (and "bench NAME" topics)
#     edgesim help --options CMD    CMD's options, "--output DIR" per line
#     edgesim validate --list-paths FILE   the paths --set can change in FILE

_edgesim_files() { # $1: glob of files to offer besides directories ("" for any)
    local IFS=$'\n'
    if [ -n "$1" ]; then
        COMPREPLY+=($(compgen -f -X "!$1" -- "$cur") $(compgen -d -- "$cur"))
    else
        COMPREPLY+=($(compgen -f -- "$cur"))
    fi
    compopt -o filenames 2>/dev/null
}

_edgesim_set_paths() { # the --set paths of the first .json operand, as "path="
    local w file= i
    for ((i = 2; i < ${#COMP_WORDS[@]}; i++)); do
        w=${COMP_WORDS[i]}
        [ "$i" -eq "$COMP_CWORD" ] && continue
        case $w in *.json) [ -f "$w" ] && { file=$w; break; } ;; esac
    done
    [ -n "$file" ] || return 0
    local IFS=$'\n' p
    for p in $("$prog" validate --list-paths "$file" 2>/dev/null); do
        case $p in "$cur"*) COMPREPLY+=("$p=") ;; esac
    done
    compopt -o nospace 2>/dev/null
}

_edgesim() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=
    local prog=${COMP_WORDS[0]}
    COMPREPLY=()
    [ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
    command -v "$prog" >/dev/null 2>&1 || prog=edgesim

    if [ "$COMP_CWORD" -le 1 ]; then
        COMPREPLY=($(compgen -W "$("$prog" help --commands 2>/dev/null | grep -v ' ') help" -- "$cur"))
        return 0
    fi
    local cmd=${COMP_WORDS[1]} topic=${COMP_WORDS[1]}
    case $cmd in
    help)
        [ "$COMP_CWORD" -eq 2 ] &&
            COMPREPLY=($(compgen -W "$("$prog" help --commands 2>/dev/null | grep -v ' ')" -- "$cur"))
        return 0 ;;
    bench)
        if [ "$COMP_CWORD" -eq 2 ]; then
            COMPREPLY=($(compgen -W "$("$prog" help --commands 2>/dev/null |
                sed -n 's/^bench //p')" -- "$cur"))
            return 0
        fi
        topic="bench ${COMP_WORDS[2]}" ;;
    esac
    local opts
    # shellcheck disable=SC2086 # "bench phold" is two words
    opts=$("$prog" help --options $topic 2>/dev/null) || return 0

    # the value of an option: "--opt value", or "--opt=value" (which bash
    # splits into "--opt" "=" "value")
    local opt= arg
    if [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 3 ]; then
        opt=${COMP_WORDS[COMP_CWORD - 2]}
    elif [ "${prev#-}" != "$prev" ]; then
        opt=$prev
    fi
    if [ -n "$opt" ]; then
        arg=$(printf '%s\n' "$opts" | sed -n "s/^$opt \(.*\)/\1/p" | head -n 1)
        if [ -n "$arg" ]; then
            case $arg in
            PATH=VALUE) _edgesim_set_paths ;;
            *DIR*) local IFS=$'\n'; COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null ;;
            *.json) _edgesim_files '*.json' ;;
            FILE*) _edgesim_files '' ;;
            esac
            return 0
        fi
    fi
    if [ "${cur#-}" != "$cur" ]; then
        COMPREPLY=($(compgen -W "$(printf '%s\n' "$opts" | sed 's/ .*//')" -- "$cur"))
        return 0
    fi
    case $cmd in
    run|validate|sweep) _edgesim_files '*.json' ;;
    plot|compare) local IFS=$'\n'; COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null ;;
    *) _edgesim_files '' ;;
    esac
    return 0
}

if [ -n "${ZSH_VERSION:-}" ]; then
    autoload -U +X bashcompinit && bashcompinit
fi
complete -F _edgesim edgesim
