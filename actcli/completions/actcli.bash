# shellcheck shell=bash
# bash completion for actcli (bash 4 or later).
# Install: actcli completion bash > ~/.local/share/bash-completion/completions/actcli
# (with the bash-completion package), or add `source <(actcli completion bash)` to ~/.bashrc.
#
# scripts/generate_completions.py makes this script from actcli/completions/templates/bash.sh
# and the lists read from the actcli command line (at the end): edit the template, not the
# script (tests/test_completions.py fails when the script is stale).

# Word splitting is done here from COMP_LINE, not with COMP_WORDS, because readline
# splits words at ':' and '=' (leaky_relu:negative_slope=0.2 would be three words).
_actcli() {
    local IFS=$' \t\n' line=${COMP_LINE:0:COMP_POINT} cur='' word command='' pending='' used=' '
    local spec slot function=''
    local -i positionals=0 dashdash=0 index=0
    local -a words arguments slots
    COMPREPLY=()
    read -ra words <<< "$line"
    if [[ $line != *[[:space:]] ]]; then
        cur=${words[${#words[@]}-1]}
        unset 'words[${#words[@]}-1]'
    fi
    for word in "${words[@]:1}"; do
        if [[ -n $pending ]]; then
            pending=''
        elif (( !dashdash )) && [[ $word == -?* ]]; then
            if [[ $word == -- ]]; then
                dashdash=1
            else
                used+="${word%%=*} "
                _actcli_find_option "$command" "$word"
                [[ $word != *=* && $_actcli_reply == *=* ]] && pending=$_actcli_reply
            fi
        elif [[ -z $command ]]; then
            command=$word
            if [[ " $_actcli_commands " != *" $command "* ]]; then
                _actcli_dynamic "$1"
                return 0
            fi
        else
            arguments+=("$word")
        fi
    done
    positionals=${#arguments[@]}

    # The function already typed, whose parameter names -p KEY= offers.
    _actcli_arguments "$command"
    read -ra slots <<< "$_actcli_reply"
    for index in "${!slots[@]}"; do
        if [[ ${slots[index]%...} == function ]]; then
            function=${arguments[index]-}
            break
        fi
    done

    if [[ -n $pending ]]; then
        _actcli_value "$command" "$pending" '' "$cur" "$function"
    elif (( !dashdash )) && [[ $cur == -* ]]; then
        if [[ $cur == --*=* ]]; then
            _actcli_find_option "$command" "$cur"
            if [[ $_actcli_reply == *=* ]]; then
                _actcli_value "$command" "$_actcli_reply" "${cur%%=*}=" "${cur#*=}" "$function"
            fi
        else
            _actcli_option_names "$command" "$used" "$cur"
        fi
    elif [[ -z $command ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$_actcli_commands" -- "$cur")
    else
        index=0
        for spec in "${slots[@]}"; do
            slot=$spec
            [[ $spec == *... ]] && break
            (( positionals-- == 0 )) && break
            slot=''
            index+=1
        done
        case ${slot%...} in
            function) _actcli_function "$cur" ;;
            file) _actcli_files "$cur" ;;
            choice) _actcli_value "$command" "#$index" '' "$cur" ;;
        esac
    fi

    # readline replaces only the text after the last ':' or '=' (COMP_WORDBREAKS).
    local tail=$cur
    [[ $COMP_WORDBREAKS == *=* ]] && tail=${tail##*=}
    [[ $COMP_WORDBREAKS == *:* ]] && tail=${tail##*:}
    if [[ $tail != "$cur" ]]; then
        COMPREPLY=("${COMPREPLY[@]#"${cur%"$tail"}"}")
    fi
    # KEY= and normal: are not finished words.
    if (( ${#COMPREPLY[@]} == 1 )) && [[ ${COMPREPLY[0]} == *[=:] ]]; then
        compopt -o nospace 2> /dev/null
    fi
    return 0
}

# Sets _actcli_reply to the spec of option $2 (--name or --name=value) of command $1.
_actcli_find_option() {
    local spec name=${2%%=*}
    _actcli_options "$1"
    for spec in $_actcli_reply; do
        if [[ "|${spec%%[=*]*}|" == *"|$name|"* ]]; then
            _actcli_reply=$spec
            return 0
        fi
    done
    _actcli_reply=''
}

# Option names of command $1 starting with $3, except those in $2 that cannot repeat.
_actcli_option_names() {
    local spec names name
    _actcli_options "$1"
    for spec in $_actcli_reply; do
        names=${spec%%[=*]*}
        if [[ $spec != *'*' ]]; then
            for name in ${names//|/ }; do
                [[ $2 == *" $name "* ]] && continue 2
            done
        fi
        for name in ${names//|/ }; do
            [[ $name == "$3"* ]] && COMPREPLY+=("$name")
        done
    done
}

# Values for option spec (or argument #N) $2 of command $1 starting with $4, each after
# prefix $3; $5 is the function on the line, whose parameter names '=@' offers.
_actcli_value() {
    case $2 in
        *=/*)
            _actcli_files "$4"
            return 0
            ;;
        *=@*)
            _actcli_parameter_names "$5" "$4" "$3"
            return 0
            ;;
    esac
    local value
    _actcli_values "$1" "$2"
    for value in $_actcli_reply; do
        [[ $value == "$4"* ]] && COMPREPLY+=("$3$value")
    done
}

_actcli_files() {
    compopt -o filenames 2> /dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$1")
}

# Function names, or after FN: the parameter names (FN:key=value,key=value).
_actcli_function() {
    if [[ $1 != *:* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$_actcli_functions" -- "$1")
        return 0
    fi
    local current=${1##*[:,]}
    _actcli_parameter_names "$1" "$current" "${1%"$current"}"
}

# key= for the parameters of function $1 (FN or FN:...) starting with $2, each after $3.
_actcli_parameter_names() {
    local key=${1%%:*} param
    key=${key,,}
    _actcli_parameters "${key//[-_]/}"  # the catalog ignores case, '-' and '_'
    for param in $_actcli_reply; do
        [[ $param == "$2"* ]] && COMPREPLY+=("$3$param=")
    done
}

# A subcommand this script does not know: ask actcli (an actcli newer than the script).
_actcli_dynamic() {
    local IFS=$'\n'
    # shellcheck disable=SC2207  # one candidate a line, as Typer's own bash script reads them
    COMPREPLY=($(env COMP_WORDS="${COMP_WORDS[*]}" COMP_CWORD="$COMP_CWORD" \
                 _ACTCLI_COMPLETE=complete_bash "$1" 2> /dev/null))
}

complete -F _actcli actcli

_actcli_commands='eval grad compare plot depth list info stats explore completion'

_actcli_functions='ArcTan BentIdentity CELU DyT DynamicTanh ELU ELiSH GCU GELU GLU Gaussian GeGLU Hardshrink Hardsigmoid Hardswish Hardtanh Heaviside ISRLU ISRU Identity LeakyReLU LiSHT LogSigmoid LogSoftmax Mish PReLU PenalizedTanh QuickGELU RReLU ReGLU ReLU ReLU6 ReLUSquared SELU SQNL Serf SiLU Sigmoid Sine SmeLU Snake Softmax Softmin Softplus Softshrink Softsign StarReLU SwiGLU Tanh TanhExp Tanhshrink Threshold arctan atan bent_identity binary_step celu dynamic_tanh dyt elish elu exp expit exponential gaussian gcu geglu gelu glu hard_shrink hard_sigmoid hard_silu hard_swish hard_tanh hardshrink hardsigmoid hardswish hardtanh heaviside identity isrlu isru leaky_relu linear lisht log_sigmoid log_softmax logistic logsigmoid logsoftmax lrelu mish penalized_tanh prelu quick_gelu rbf rectifier reglu relu relu2 relu6 relu_squared rrelu selu serf sigmoid silu sin sine smelu snake soft_shrink soft_sign softmax softmin softplus softshrink softsign sparse_plus sparse_sigmoid sparsemax sqnl squared_relu squareplus star_relu step swiglu swish tanh tanh_shrink tanhexp tanhshrink threshold'

# Options of command $1 ('' for actcli itself): aliases|joined, '=' takes a value ('=/' a path, '=@' KEY=VALUE), '*' repeatable.
_actcli_options() {
    case "$1" in
        '') _actcli_reply='--version --debug --install-completion --show-completion --help|-h' ;;
        'eval') _actcli_reply='--num|-n= --step= --points --param|-p=@* --dtype= --format|-f= --precision= --input|-i=/ --column|-c= --header --only --name= --delimiter|-d= --tsv --jsonl --on-error= --help|-h' ;;
        'grad') _actcli_reply='--order= --num|-n= --step= --points --param|-p=@* --dtype= --format|-f= --precision= --input|-i=/ --column|-c= --header --only --name= --delimiter|-d= --tsv --jsonl --on-error= --help|-h' ;;
        'compare') _actcli_reply='--grad --summary --output|-o=/ --ylim= --num|-n= --step= --dtype= --format|-f= --precision= --help|-h' ;;
        'plot') _actcli_reply='--output|-o=/ --ylim= --grad --grad2 --num|-n= --dpi= --size= --title= --style= --format|-f= --dtype= --data=/ --column|-c= --key= --term --width= --height= --help|-h' ;;
        'depth') _actcli_reply='--layers|-L= --width|-W= --batch|-B= --init= --bias= --seed= --summary --output|-o=/ --dtype= --format|-f= --precision= --help|-h' ;;
        'list') _actcli_reply='--format|-f= --help|-h' ;;
        'info') _actcli_reply='--param|-p=@* --format|-f= --help|-h' ;;
        'stats') _actcli_reply='--input|-i=/* --column|-c= --key= --saturation= --scheduler= --timeout= --report=/ --format|-f= --precision= --help|-h' ;;
        'explore') _actcli_reply='--grad2 --dtype= --html=/ --help|-h' ;;
        'completion') _actcli_reply='--help|-h' ;;
        *) _actcli_reply='' ;;
    esac
}

# Positional arguments of command $1: function, file, value or choice, '...' for any number.
_actcli_arguments() {
    case "$1" in
        'eval') _actcli_reply='function value...' ;;
        'grad') _actcli_reply='function value...' ;;
        'compare') _actcli_reply='function...' ;;
        'plot') _actcli_reply='function...' ;;
        'depth') _actcli_reply='function...' ;;
        'info') _actcli_reply='function' ;;
        'stats') _actcli_reply='function...' ;;
        'explore') _actcli_reply='function...' ;;
        'completion') _actcli_reply='choice' ;;
        *) _actcli_reply='' ;;
    esac
}

# Values offered for option spec (or argument #N) $2 of command $1.
_actcli_values() {
    case "$1 $2" in
        'eval --dtype=') _actcli_reply='float64 float32' ;;
        'eval --format|-f=') _actcli_reply='table csv tsv json jsonl markdown' ;;
        'eval --on-error=') _actcli_reply='fail skip nan' ;;
        'grad --dtype=') _actcli_reply='float64 float32' ;;
        'grad --format|-f=') _actcli_reply='table csv tsv json jsonl markdown' ;;
        'grad --on-error=') _actcli_reply='fail skip nan' ;;
        'compare --dtype=') _actcli_reply='float64 float32' ;;
        'compare --format|-f=') _actcli_reply='table csv tsv json jsonl markdown' ;;
        'plot --format|-f=') _actcli_reply='png svg pdf' ;;
        'plot --dtype=') _actcli_reply='float64 float32' ;;
        'depth --init=') _actcli_reply='he xavier lecun normal:' ;;
        'depth --dtype=') _actcli_reply='float64 float32' ;;
        'depth --format|-f=') _actcli_reply='table csv tsv json jsonl markdown' ;;
        'list --format|-f=') _actcli_reply='table csv tsv json jsonl markdown' ;;
        'info --format|-f=') _actcli_reply='table csv tsv json jsonl markdown' ;;
        'stats --format|-f=') _actcli_reply='table csv tsv json jsonl markdown' ;;
        'explore --dtype=') _actcli_reply='float64 float32' ;;
        'completion #0') _actcli_reply='bash zsh fish' ;;
        *) _actcli_reply='' ;;
    esac
}

# Parameter names of function $1 (normalised).
_actcli_parameters() {
    case "$1" in
        celu|dyt|dynamictanh|elu|isrlu|isru|snake) _actcli_reply='alpha' ;;
        gelu|geglu) _actcli_reply='approximate' ;;
        hardshrink|softshrink) _actcli_reply='lambd' ;;
        hardtanh) _actcli_reply='min_val max_val' ;;
        heaviside|binarystep|step) _actcli_reply='value' ;;
        leakyrelu|lrelu) _actcli_reply='negative_slope' ;;
        prelu) _actcli_reply='weight' ;;
        penalizedtanh) _actcli_reply='a' ;;
        rrelu) _actcli_reply='lower upper' ;;
        silu|smelu|swish) _actcli_reply='beta' ;;
        sine|sin) _actcli_reply='w0' ;;
        softplus) _actcli_reply='beta threshold' ;;
        starrelu) _actcli_reply='scale bias' ;;
        threshold) _actcli_reply='threshold value' ;;
        squareplus) _actcli_reply='b' ;;
        *) _actcli_reply='' ;;
    esac
}
