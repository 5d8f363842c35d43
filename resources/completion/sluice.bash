# bash completion for sluice(1): commands, subcommands, options, flow names, setting keys and
# the values of the options that take a fixed set. Flow names and setting keys come from the
# data folder in use (--data-dir on the line, else $SLUICE_DATA_DIR, else the default).

_sluice_data_dir_args()
{
    local i
    for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
        case ${COMP_WORDS[i]} in
        --data-dir)
            printf '%s\n' --data-dir "${COMP_WORDS[i + 1]}"
            return
            ;;
        --data-dir=*)
            printf '%s\n' "${COMP_WORDS[i]}"
            return
            ;;
        esac
    done
}

# The first column of `sluice flows`, without its header.
_sluice_flows()
{
    local -a args
    mapfile -t args < <(_sluice_data_dir_args)
    sluice "${args[@]}" flows 2>/dev/null | awk 'NR > 1 { print $1 }'
}

# The keys of `sluice config list` ("key = value").
_sluice_setting_keys()
{
    local -a args
    mapfile -t args < <(_sluice_data_dir_args)
    sluice "${args[@]}" config list 2>/dev/null | awk -F ' = ' 'NF > 1 { print $1 }'
}

_sluice()
{
    local cur prev words cword
    _init_completion -n = || return

    case $prev in
    --data-dir)
        _filedir -d
        return
        ;;
    -o | --output)
        _filedir
        return
        ;;
    --lang)
        COMPREPLY=($(compgen -W 'system en zh_CN' -- "$cur"))
        return
        ;;
    --template)
        COMPREPLY=($(compgen -W 'shell sql http-to-table csv-import export-email' -- "$cur"))
        return
        ;;
    --misfire)
        COMPREPLY=($(compgen -W 'skip run-once catch-up' -- "$cur"))
        return
        ;;
    --store)
        # A password store for config set-password; a run store for the store command.
        if [[ " ${words[*]} " == *" store "* ]]; then
            COMPREPLY=($(compgen -W 'sqlite postgresql://' -- "$cur"))
        else
            COMPREPLY=($(compgen -W 'keyring file' -- "$cur"))
        fi
        return
        ;;
    --state)
        COMPREPLY=($(compgen -W 'Scheduled Pending Running Retrying Completed Failed
            Cancelled TimedOut Skipped Crashed' -- "$cur"))
        return
        ;;
    --delimiter)
        COMPREPLY=($(compgen -W 'tab , ; :' -- "$cur"))
        return
        ;;
    --format)
        COMPREPLY=($(compgen -W 'text csv json' -- "$cur"))
        return
        ;;
    --param | --time | --start | --end | --table | --from | --to | --parallel | --count | --tz | \
        --every | --limit)
        return
        ;;
    esac

    # The command and its subcommand: the first words that are not options or option values.
    local i command='' sub='' positional=0
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
        --data-dir | -o | --output | --lang | --template | --misfire | --store | --state | \
            --delimiter | --param | --time | --start | --end | --table | --from | --to | \
            --parallel | --count | --tz | --every | --limit)
            ((i++))
            ;;
        -*) ;;
        *)
            if [[ -z $command ]]; then
                command=${words[i]}
            elif [[ -z $sub ]]; then
                sub=${words[i]}
            fi
            ((positional++))
            ;;
        esac
    done

    local global='--help --version --data-dir --lang'
    if [[ -z $command ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$global" -- "$cur"))
        else
            COMPREPLY=($(compgen -W 'serve flows run runs retry backfill export gaps schedule config
                send-report store' -- "$cur"))
        fi
        return
    fi

    local options=''
    case $command in
    flows)
        if [[ -z $sub ]]; then
            COMPREPLY=($(compgen -W 'check new show' -- "$cur"))
            return
        fi
        case $sub in
        check) _filedir '@(yaml|yml)' ;;
        new) options='--template' ;;
        show)
            options='--dot'
            [[ $positional -eq 2 && $cur != -* ]] &&
                COMPREPLY=($(compgen -W "$(_sluice_flows)" -- "$cur"))
            ;;
        esac
        ;;
    run)
        options='--param --time'
        [[ $positional -eq 1 && $cur != -* ]] &&
            COMPREPLY=($(compgen -W "$(_sluice_flows)" -- "$cur"))
        ;;
    runs)
        options='--state --limit --store'
        [[ $positional -eq 1 && $cur != -* ]] &&
            COMPREPLY=($(compgen -W "show $(_sluice_flows)" -- "$cur"))
        ;;
    retry) options='--all' ;;
    backfill)
        options='--from --to --parallel --dry-run'
        [[ $positional -eq 1 && $cur != -* ]] &&
            COMPREPLY=($(compgen -W "$(_sluice_flows)" -- "$cur"))
        ;;
    export) options='--output --start --end --table --delimiter --no-header' ;;
    gaps) options='--table --from --to --format' ;;
    store) options='--store' ;;
    serve) options='--store --slots' ;;
    schedule)
        if [[ -z $sub ]]; then
            COMPREPLY=($(compgen -W 'next list set pause resume clear' -- "$cur"))
            return
        fi
        case $sub in
        next) options='--every --from --count --tz' ;;
        set)
            options='--every --tz --misfire'
            [[ $positional -eq 2 && $cur != -* ]] &&
                COMPREPLY=($(compgen -W "$(_sluice_flows)" -- "$cur"))
            ;;
        pause | resume | clear)
            [[ $positional -eq 2 ]] &&
                COMPREPLY=($(compgen -W "$(_sluice_flows)" -- "$cur"))
            ;;
        esac
        ;;
    config)
        if [[ -z $sub ]]; then
            COMPREPLY=($(compgen -W 'list get set unset set-password' -- "$cur"))
            return
        fi
        case $sub in
        get | set | unset)
            [[ $positional -eq 2 && $cur != -* ]] &&
                COMPREPLY=($(compgen -W "$(_sluice_setting_keys)" -- "$cur"))
            ;;
        set-password) options='--store' ;;
        esac
        ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options $global" -- "$cur"))
    fi
}
complete -F _sluice sluice
