# fish completion for actcli.
# Install: actcli completion fish > ~/.config/fish/completions/actcli.fish
#
# scripts/generate_completions.py makes this script from actcli/completions/templates/fish.fish
# and the lists read from the actcli command line (at the end): edit the template, not the
# script (tests/test_completions.py fails when the script is stale).

complete --command actcli --erase

function __actcli_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -e tokens[1]
    set -l command
    set -l pending
    set -l used
    set -l arguments
    set -l dashdash 0
    for word in $tokens
        if test -n "$pending"
            set pending
        else if test $dashdash = 0; and string match -q -- '-?*' $word
            if test $word = --
                set dashdash 1
            else
                set -a used (string split -m1 = -- $word)[1]
                set -l spec (__actcli_find_option "$command" $word)
                if not string match -q -- '*=*' $word; and string match -q -- '*=*' "$spec"
                    set pending $spec
                end
            end
        else if test -z "$command"
            set command $word
            if not contains -- $command (__actcli_commands | string replace -r '\t.*' '')
                __actcli_dynamic
                return
            end
        else
            set -a arguments $word
        end
    end

    # The function already typed, whose parameter names -p KEY= offers.
    set -l slots (__actcli_arguments "$command")
    set -l function
    for index in (seq (count $slots))
        if test (string replace -- ... '' $slots[$index]) = function
            set function $arguments[$index]
            break
        end
    end

    if test -n "$pending"
        __actcli_value "$command" $pending '' "$cur" "$function"
    else if test $dashdash = 0; and string match -q -- '-*' "$cur"
        if string match -q -- '--*=*' $cur
            set -l spec (__actcli_find_option "$command" $cur)
            if string match -q -- '*=*' "$spec"
                set -l parts (string split -m1 = -- $cur)
                __actcli_value "$command" $spec $parts[1]= $parts[2] "$function"
            end
        else
            for entry in (__actcli_options "$command")
                set -l parts (string split -m1 \t -- $entry)
                set -l names (string split '|' -- (string replace -r '[=*].*' '' -- $parts[1]))
                if not string match -q -- '*\*' $parts[1]
                    set -l given 0
                    for name in $names
                        contains -- $name $used; and set given 1
                    end
                    test $given = 1; and continue
                end
                for name in $names
                    printf '%s\t%s\n' $name $parts[2]
                end
            end
        end
    else if test -z "$command"
        __actcli_commands
    else
        set -l positionals (count $arguments)
        set -l index 0
        set -l slot
        for spec in $slots
            set slot $spec
            if string match -q -- '*...' $spec; or test $positionals = 0
                break
            end
            set positionals (math $positionals - 1)
            set index (math $index + 1)
            set slot
        end
        switch (string replace -- ... '' "$slot")
            case function
                __actcli_function "$cur"
            case file
                __fish_complete_path "$cur"
            case choice
                __actcli_value "$command" "#$index" '' "$cur"
        end
    end
end

# The spec of option $argv[2] (--name or --name=value) of command $argv[1].
function __actcli_find_option
    set -l name (string split -m1 = -- $argv[2])[1]
    for entry in (__actcli_options $argv[1])
        set -l spec (string split -m1 \t -- $entry)[1]
        if contains -- $name (string split '|' -- (string replace -r '[=*].*' '' -- $spec))
            echo $spec
            return
        end
    end
end

# Values for option spec (or argument #N) of command, each after prefix; function is
# the function on the line, whose parameter names '=@' offers.
function __actcli_value --argument-names command spec prefix current function
    if string match -q -- '*=/*' $spec
        __fish_complete_path $current | string replace -r '^' -- $prefix
        return
    end
    if string match -q -- '*=@*' $spec
        # Once the value is typed there is nothing to offer (fish would keep KEY= itself).
        string match -q -- '*=*' $current; or __actcli_parameter_names "$function" "$prefix"
        return
    end
    for value in (__actcli_values "$command $spec")
        echo $prefix$value
    end
end

# Function names, or after FN: the parameter names (FN:key=value,key=value). Names
# are matched case-sensitively, as actcli does: fish would add SiLU to silu for "si".
function __actcli_function --argument-names current
    if not string match -q -- '*:*' $current
        __actcli_functions | string match -r -- '^'(string escape --style=regex -- $current)'.*'
        return
    end
    set -l head (string replace -r '[^:,]*$' '' -- $current)
    string match -q -- '*=*' (string replace -- $head '' $current)
    or __actcli_parameter_names $current $head
end

# key= for the parameters of function $argv[1] (FN or FN:...), each after $argv[2].
function __actcli_parameter_names --argument-names function head
    set -l name (string split -m1 : -- $function)[1]
    # The catalog ignores case, '-' and '_'.
    set -l key (string lower -- $name | string replace -a -r '[-_]' '')
    for param in (__actcli_parameters $key)
        echo $head$param=
    end
end

# A subcommand this script does not know: ask actcli (an actcli newer than the script).
function __actcli_dynamic
    env _ACTCLI_COMPLETE=complete_fish _TYPER_COMPLETE_FISH_ACTION=get-args \
        _TYPER_COMPLETE_ARGS=(commandline -cp) actcli 2> /dev/null
end

complete --command actcli --no-files --arguments '(__actcli_complete)'

# @lists@
