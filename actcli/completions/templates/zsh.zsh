#compdef actcli
# zsh completion for actcli.
# Install: actcli completion zsh > ~/.zfunc/_actcli, with fpath=(~/.zfunc $fpath) in
# ~/.zshrc before compinit runs; or source the script after compinit.
#
# scripts/generate_completions.py makes this script from actcli/completions/templates/zsh.zsh
# and the lists read from the actcli command line (at the end): edit the template, not the
# script (tests/test_completions.py fails when the script is stale).

_actcli() {
    local word command= pending= spec slot function= REPLY
    local -i positionals=0 dashdash=0 index
    local -a used reply slots arguments candidates expl
    for word in "${(@Q)words[2,CURRENT-1]}"; do
        if [[ -n $pending ]]; then
            pending=
        elif (( !dashdash )) && [[ $word == -?* ]]; then
            if [[ $word == -- ]]; then
                dashdash=1
            else
                used+=(${word%%=*})
                _actcli_find_option "$command" $word
                [[ $word != *=* && $REPLY == *=* ]] && pending=$REPLY
            fi
        elif [[ -z $command ]]; then
            command=$word
            if (( ! ${_actcli_commands[(I)${(b)command}:*]} )); then
                _actcli_dynamic
                return
            fi
        else
            arguments+=("$word")
        fi
    done
    positionals=$#arguments

    # The function already typed, whose parameter names -p KEY= offers.
    _actcli_arguments "$command"
    slots=($reply)
    for (( index = 1; index <= $#slots; index++ )); do
        if [[ ${slots[index]%...} == function ]]; then
            function=${arguments[index]}
            break
        fi
    done

    if [[ -n $pending ]]; then
        _actcli_value "$command" $pending "$function"
    elif (( !dashdash )) && [[ $PREFIX == -* ]]; then
        if [[ $PREFIX == --*=* ]]; then
            _actcli_find_option "$command" $PREFIX
            if [[ $REPLY == *=* ]]; then
                compset -P "${(b)PREFIX%%=*}="
                _actcli_value "$command" $REPLY "$function"
            fi
        else
            _actcli_options "$command"
            for spec in $reply; do
                if [[ ${spec%%:*} != *'*' ]]; then
                    for word in ${(s:|:)${spec%%[=*:]*}}; do
                        (( ${used[(Ie)$word]} )) && continue 2
                    done
                fi
                for word in ${(s:|:)${spec%%[=*:]*}}; do
                    candidates+=("$word:${spec#*:}")
                done
            done
            _describe -t options option candidates
        fi
    elif [[ -z $command ]]; then
        _describe -t commands 'actcli command' _actcli_commands
    else
        index=0
        for spec in $slots; do
            slot=$spec
            [[ $spec == *... ]] && break
            (( positionals-- == 0 )) && break
            slot=
            index+=1
        done
        case ${slot%...} in
            (function) _actcli_function ;;
            (file) _files ;;
            (choice) _actcli_value "$command" "#$index" ;;
            (*) _message -e values 'a value' ;;
        esac
    fi
}

# Sets REPLY to the spec of option $2 (--name or --name=value) of command $1.
_actcli_find_option() {
    local spec
    local -a names
    _actcli_options "$1"
    for spec in $reply; do
        spec=${spec%%:*}
        # An array even for one name: (Ie) on a scalar finds substrings (-p in --points).
        names=(${(s:|:)${spec%%[=*]*}})
        if (( ${names[(Ie)${2%%=*}]} )); then
            REPLY=$spec
            return
        fi
    done
    REPLY=
}

# Values for option spec (or argument #N) $2 of command $1; $3 is the function on the
# line, whose parameter names '=@' offers.
_actcli_value() {
    case $2 in
        (*=/*) _files; return ;;
        (*=@*) _actcli_parameter_names $3; return ;;
    esac
    _actcli_values "$1 $2"
    if (( $#reply )); then
        # KEY= and normal: are not finished words: no space after them.
        _description values expl value
        compadd "$expl[@]" - ${reply:#*[=:]}
        compadd "$expl[@]" -S '' - ${(M)reply:#*[=:]}
    else
        _message -e values 'a value'
    fi
}

# Function names, or after FN: the parameter names (FN:key=value,key=value).
_actcli_function() {
    if [[ $PREFIX != *:* ]]; then
        _wanted functions expl function compadd -a _actcli_functions
        return
    fi
    local name=${PREFIX%%:*}
    compset -P '*[:,]'
    _actcli_parameter_names $name
}

# key= for the parameters of function $1 (FN or FN:...); none once the value is typed.
_actcli_parameter_names() {
    [[ $PREFIX == *=* ]] && return
    _actcli_parameters ${${(L)1%%:*}//[-_]/}  # the catalog ignores case, '-' and '_'
    _wanted parameters expl parameter compadd -S '' - ${^reply}=
}

# A subcommand this script does not know: ask actcli (an actcli newer than the script).
_actcli_dynamic() {
    eval $(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" _ACTCLI_COMPLETE=complete_zsh \
               $words[1] 2> /dev/null)
}

# @lists@

# From a directory on $fpath this file is the body of _actcli; sourced, it registers.
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
    _actcli "$@"
else
    compdef _actcli actcli
fi
