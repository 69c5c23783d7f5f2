# bash completion for cartsim (installed as share/bash-completion/completions/cartsim).
#
# Subcommands, options and the choices of an option or positional ("TEXT:{a,b,c}") are read from the
# program's own --help, so they cannot drift from the code; --set completes parameter keys from
# `cartsim params --format csv`. Scenario arguments complete YAML files, -o/--output and the folder
# options complete folders.

# The help of `cartsim [SUBCOMMAND] --help`, cached per program and subcommand for this shell.
_cartsim_help() {
    local program="$1" sub="$2" key
    key="_cartsim_help_cache_$(printf '%s_%s' "$program" "$sub" | tr -c 'A-Za-z0-9_' '_')"
    if [[ -z "${!key:-}" ]]; then
        local text
        if [[ -n "$sub" ]]; then text="$("$program" "$sub" --help 2>/dev/null)"; else text="$("$program" --help 2>/dev/null)"; fi
        printf -v "$key" '%s' "$text"
    fi
    printf '%s\n' "${!key}"
}

# The subcommands: the indented words under "Subcommands:".
_cartsim_subcommands() {
    _cartsim_help "$1" "" | sed -n '/^Subcommands:/,$p' | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p'
}

# Every option of a subcommand ("-o,--output TEXT" gives -o and --output).
_cartsim_options() {
    _cartsim_help "$1" "$2" | sed -n 's/^  \(-[^ ]*\).*/\1/p' | tr ',' '\n'
}

# The choices of an option or positional: "  --format TEXT:{text,csv,markdown}" gives text csv markdown.
_cartsim_choices() {
    local program="$1" sub="$2" name="$3"
    _cartsim_help "$program" "$sub" |
        sed -n "s/^  \\([^ ]*,\\)\\{0,1\\}${name}\\(,[^ ]*\\)\\{0,1\\} [A-Z]*:{\\([^}]*\\)}.*/\\3/p" | tr ',' ' '
}

_cartsim() {
    local cur prev words cword
    if declare -F _init_completion > /dev/null; then
        _init_completion -n =: || return
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
        prev="${COMP_WORDS[COMP_CWORD - 1]}"
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi
    local program="${words[0]}" sub="" i
    for ((i = 1; i < cword; i++)); do
        case "${words[i]}" in
            -*) ;;
            *) sub="${words[i]}"; break ;;
        esac
    done
    if [[ -z "$sub" ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_cartsim_subcommands "$program") --help --version" -- "$cur")
        return
    fi
    case "$prev" in
        -o | --output | --products | --uncertainty | --calibrations)
            compopt -o filenames 2> /dev/null
            mapfile -t COMPREPLY < <(compgen -d -- "$cur")
            return ;;
        --set)
            compopt -o nospace 2> /dev/null
            mapfile -t COMPREPLY < <(compgen -W "$("$program" params --format csv 2> /dev/null | sed '1d; s/,.*//; s/$/=/')" -- "$cur")
            return ;;
    esac
    if [[ "$prev" == -* ]]; then
        local choices
        choices="$(_cartsim_choices "$program" "$sub" "$prev")"
        if [[ -n "$choices" ]]; then
            mapfile -t COMPREPLY < <(compgen -W "$choices" -- "$cur")
            return
        fi
        # An option that takes a number or text: nothing to offer; a flag: fall through.
        if _cartsim_help "$program" "$sub" | grep -Eq "^  ([^ ]*,)?${prev}(,[^ ]*)? [A-Z]"; then
            return
        fi
    fi
    if [[ "$cur" == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_cartsim_options "$program" "$sub")" -- "$cur")
        return
    fi
    # A positional with choices (schema's kind), else files: YAML for scenarios, folders for plot.
    local positional
    positional="$(_cartsim_help "$program" "$sub" | sed -n '/^Positionals:/,/^$/p' | sed -n 's/^  [a-z_]* [A-Z]*:{\([^}]*\)}.*/\1/p' | tr ',' ' ')"
    if [[ -n "$positional" ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$positional" -- "$cur")
        return
    fi
    compopt -o filenames 2> /dev/null
    if [[ "$sub" == plot ]]; then
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
    else
        mapfile -t COMPREPLY < <(compgen -d -- "$cur"; compgen -f -X '!*.yaml' -- "$cur"; compgen -f -X '!*.yml' -- "$cur")
    fi
}

complete -F _cartsim cartsim
