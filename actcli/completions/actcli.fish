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

function __actcli_commands
    echo 'eval	Evaluate FN at points or over a range, or on CSV rows piped in (or -i...'
    echo 'grad	Evaluate FN with f\'(x) (and f\'\'), or the Jacobian of a vector function.'
    echo 'compare	Compare functions side by side, with a summary of their properties.'
    echo 'plot	Draw functions and their derivatives in the terminal, or to a PNG,...'
    echo 'depth	Watch signals and gradients vanish, explode or survive through many...'
    echo 'list	List every function with its family and a one-line description.'
    echo 'info	Formula, parameters, properties, kink convention, framework names and...'
    echo 'stats	What each function does to your data: dead and saturated shares,...'
    echo 'explore	Explore functions in a full-screen app: a cursor with exact values,...'
    echo 'completion	Print the completion script for bash, zsh or fish (no Python start-up...'
end

function __actcli_functions
    printf '%s\n' ArcTan BentIdentity CELU DyT DynamicTanh ELU ELiSH GCU GELU GLU Gaussian GeGLU Hardshrink Hardsigmoid Hardswish Hardtanh Heaviside ISRLU ISRU Identity LeakyReLU LiSHT LogSigmoid LogSoftmax Mish PReLU PenalizedTanh QuickGELU RReLU ReGLU ReLU ReLU6 ReLUSquared SELU SQNL Serf SiLU Sigmoid Sine SmeLU Snake Softmax Softmin Softplus Softshrink Softsign StarReLU SwiGLU Tanh TanhExp Tanhshrink Threshold arctan atan bent_identity binary_step celu dynamic_tanh dyt elish elu exp expit exponential gaussian gcu geglu gelu glu hard_shrink hard_sigmoid hard_silu hard_swish hard_tanh hardshrink hardsigmoid hardswish hardtanh heaviside identity isrlu isru leaky_relu linear lisht log_sigmoid log_softmax logistic logsigmoid logsoftmax lrelu mish penalized_tanh prelu quick_gelu rbf rectifier reglu relu relu2 relu6 relu_squared rrelu selu serf sigmoid silu sin sine smelu snake soft_shrink soft_sign softmax softmin softplus softshrink softsign sparse_plus sparse_sigmoid sparsemax sqnl squared_relu squareplus star_relu step swiglu swish tanh tanh_shrink tanhexp tanhshrink threshold
end

# Options of command $argv[1] ('' for actcli itself) as spec<TAB>help; spec: aliases|joined, '=' takes a value ('=/' a path, '=@' KEY=VALUE), '*' repeatable.
function __actcli_options
    switch $argv[1]
        case ''
            echo '--version	Print the version and exit.'
            echo '--debug	Show tracebacks of internal errors.'
            echo '--install-completion	Install completion for the current shell.'
            echo '--show-completion	Show completion for the current shell, to copy it or customize the...'
            echo '--help|-h	Show this message and exit.'
        case 'eval'
            echo '--num|-n=	Number of evenly spaced points between START and STOP (default 11).'
            echo '--step=	Spacing between START and STOP instead of --num.'
            echo '--points	Take the NUMBERS as exactly these points, even two (never a range).'
            echo '--param|-p=@*	Set a parameter (repeatable).'
            echo '--dtype=	Compute in float64 or float32 (as in a training run).'
            echo '--format|-f=	table, csv, tsv, json, jsonl or markdown (a table on a terminal,...'
            echo '--precision=	Significant digits in tables (machine formats are always exact).'
            echo '--input|-i=/	Read CSV rows from FILE (\'-\': stdin) instead of NUMBERS.'
            echo '--column|-c=	Input column(s) to use (default the only column, else the one named x).'
            echo '--header	Write a header even when the input had none.'
            echo '--only	Write only the result columns.'
            echo '--name=	Names for the result columns.'
            echo '--delimiter|-d=	Field delimiter (default follows the input).'
            echo '--tsv	Tab-separated input (and output, unless -f says otherwise).'
            echo '--jsonl	JSON Lines input: one object per line (output too, unless -f).'
            echo '--on-error=	A bad cell or ragged row: stop with an error, skip the row, or read NaN.'
            echo '--help|-h	Show this message and exit.'
        case 'grad'
            echo '--order=	1: f\'(x); 2: also f\'\'(x).'
            echo '--num|-n=	Number of evenly spaced points between START and STOP (default 11).'
            echo '--step=	Spacing between START and STOP instead of --num.'
            echo '--points	Take the NUMBERS as exactly these points, even two (never a range).'
            echo '--param|-p=@*	Set a parameter (repeatable).'
            echo '--dtype=	Compute in float64 or float32 (as in a training run).'
            echo '--format|-f=	table, csv, tsv, json, jsonl or markdown (a table on a terminal,...'
            echo '--precision=	Significant digits in tables (machine formats are always exact).'
            echo '--input|-i=/	Read CSV rows from FILE (\'-\': stdin) instead of NUMBERS.'
            echo '--column|-c=	Input column(s) to use (default the only column, else the one named x).'
            echo '--header	Write a header even when the input had none.'
            echo '--only	Write only the result columns.'
            echo '--name=	Names for the result columns.'
            echo '--delimiter|-d=	Field delimiter (default follows the input).'
            echo '--tsv	Tab-separated input (and output, unless -f says otherwise).'
            echo '--jsonl	JSON Lines input: one object per line (output too, unless -f).'
            echo '--on-error=	A bad cell or ragged row: stop with an error, skip the row, or read NaN.'
            echo '--help|-h	Show this message and exit.'
        case 'compare'
            echo '--grad	Compare f\'(x) instead of f(x).'
            echo '--summary	Print only the summary of properties (range, max |f\'|, zero-centred,...'
            echo '--output|-o=/	Write the plot to FILE (.png, .svg or .pdf; \'-\' for PNG bytes on...'
            echo '--ylim=	The y range of the plot (default: every curve that does not squash...'
            echo '--num|-n=	Number of evenly spaced points between START and STOP (default 11).'
            echo '--step=	Spacing between START and STOP instead of --num.'
            echo '--dtype=	Compute in float64 or float32 (as in a training run).'
            echo '--format|-f=	table, csv, tsv, json, jsonl or markdown (a table on a terminal,...'
            echo '--precision=	Significant digits in tables (machine formats are always exact).'
            echo '--help|-h	Show this message and exit.'
        case 'plot'
            echo '--output|-o=/	Write the plot to FILE (.png, .svg or .pdf; \'-\' for PNG bytes on...'
            echo '--ylim=	The y range of the plot (default: every curve that does not squash...'
            echo '--grad	Also draw f\' (dashed).'
            echo '--grad2	Also draw f\'\' (dotted).'
            echo '--num|-n=	Points per curve (default 1001, plus the kinks).'
            echo '--dpi=	Resolution of PNG output.'
            echo '--size=	Figure size in inches.'
            echo '--title=	Plot title (\'\' for none).'
            echo '--style=	A matplotlib style name.'
            echo '--format|-f=	Image format for -o - (default png).'
            echo '--dtype=	Compute in float64 or float32 (as in a training run).'
            echo '--data=/	Draw the histogram of these values (e.g.'
            echo '--column|-c=	Input column(s) to use (default the only column, else the one named x).'
            echo '--key=	The array of an .npz or tensor of a .safetensors file (default: its...'
            echo '--term	Draw in characters even when stdout is not a terminal.'
            echo '--width=	Width of the terminal plot in characters (default: the terminal\'s).'
            echo '--height=	Height of the terminal plot in characters.'
            echo '--help|-h	Show this message and exit.'
        case 'depth'
            echo '--layers|-L=	Number of layers.'
            echo '--width|-W=	Units per layer.'
            echo '--batch|-B=	Inputs in the batch.'
            echo '--init=	Weights: he, xavier, lecun or normal:STD.'
            echo '--bias=	Constant bias of every unit.'
            echo '--seed=	Random seed (same seed, same numbers).'
            echo '--summary	Print only the summary (a verdict per function, from the gradient at...'
            echo '--output|-o=/	Write the plot to FILE (.png, .svg or .pdf; \'-\' for PNG bytes on...'
            echo '--dtype=	Compute in float64 or float32 (as in a training run).'
            echo '--format|-f=	table, csv, tsv, json, jsonl or markdown (a table on a terminal,...'
            echo '--precision=	Significant digits in tables (machine formats are always exact).'
            echo '--help|-h	Show this message and exit.'
        case 'list'
            echo '--format|-f=	table, csv, tsv, json, jsonl or markdown (a table on a terminal,...'
            echo '--help|-h	Show this message and exit.'
        case 'info'
            echo '--param|-p=@*	Set a parameter (repeatable).'
            echo '--format|-f=	table, csv, tsv, json, jsonl or markdown (a table on a terminal,...'
            echo '--help|-h	Show this message and exit.'
        case 'stats'
            echo '--input|-i=/*	Values to read (repeatable; a quoted glob pools its files): .npy,...'
            echo '--column|-c=	Input column(s) to use (default the only column, else the one named x).'
            echo '--key=	The array of an .npz or tensor of a .safetensors file (default: its...'
            echo '--saturation=	Saturated: in a tail of f past the last |f\'(x)| >= S * max|f\'|.'
            echo '--scheduler=	Summarise the files on the workers of the Dask cluster at ADDRESS,...'
            echo '--timeout=	With --scheduler: how long to wait for the scheduler to answer, and...'
            echo '--report=/	Print a report saved by actcli.watch(model) (report.save(FILE))...'
            echo '--format|-f=	table, csv, tsv, json, jsonl or markdown (a table on a terminal,...'
            echo '--precision=	Significant digits in tables (machine formats are always exact).'
            echo '--help|-h	Show this message and exit.'
        case 'explore'
            echo '--grad2	Also draw f\'\' (dotted).'
            echo '--dtype=	Compute in float64 or float32 (as in a training run).'
            echo '--html=/	Write the explorer as one self-contained web page to FILE (\'-\':...'
            echo '--help|-h	Show this message and exit.'
        case 'completion'
            echo '--help|-h	Show this message and exit.'
    end
end

# Positional arguments of command $argv[1]: function, file, value or choice, '...' for any number.
function __actcli_arguments
    switch $argv[1]
        case 'eval'
            echo 'function'
            echo 'value...'
        case 'grad'
            echo 'function'
            echo 'value...'
        case 'compare'
            echo 'function...'
        case 'plot'
            echo 'function...'
        case 'depth'
            echo 'function...'
        case 'info'
            echo 'function'
        case 'stats'
            echo 'function...'
        case 'explore'
            echo 'function...'
        case 'completion'
            echo 'choice'
    end
end

# Values offered for '$command $spec' (or '$command #N' for argument N).
function __actcli_values
    switch $argv[1]
        case 'eval --dtype='
            echo 'float64'
            echo 'float32'
        case 'eval --format|-f='
            echo 'table'
            echo 'csv'
            echo 'tsv'
            echo 'json'
            echo 'jsonl'
            echo 'markdown'
        case 'eval --on-error='
            echo 'fail'
            echo 'skip'
            echo 'nan'
        case 'grad --dtype='
            echo 'float64'
            echo 'float32'
        case 'grad --format|-f='
            echo 'table'
            echo 'csv'
            echo 'tsv'
            echo 'json'
            echo 'jsonl'
            echo 'markdown'
        case 'grad --on-error='
            echo 'fail'
            echo 'skip'
            echo 'nan'
        case 'compare --dtype='
            echo 'float64'
            echo 'float32'
        case 'compare --format|-f='
            echo 'table'
            echo 'csv'
            echo 'tsv'
            echo 'json'
            echo 'jsonl'
            echo 'markdown'
        case 'plot --format|-f='
            echo 'png'
            echo 'svg'
            echo 'pdf'
        case 'plot --dtype='
            echo 'float64'
            echo 'float32'
        case 'depth --init='
            echo 'he'
            echo 'xavier'
            echo 'lecun'
            echo 'normal:'
        case 'depth --dtype='
            echo 'float64'
            echo 'float32'
        case 'depth --format|-f='
            echo 'table'
            echo 'csv'
            echo 'tsv'
            echo 'json'
            echo 'jsonl'
            echo 'markdown'
        case 'list --format|-f='
            echo 'table'
            echo 'csv'
            echo 'tsv'
            echo 'json'
            echo 'jsonl'
            echo 'markdown'
        case 'info --format|-f='
            echo 'table'
            echo 'csv'
            echo 'tsv'
            echo 'json'
            echo 'jsonl'
            echo 'markdown'
        case 'stats --format|-f='
            echo 'table'
            echo 'csv'
            echo 'tsv'
            echo 'json'
            echo 'jsonl'
            echo 'markdown'
        case 'explore --dtype='
            echo 'float64'
            echo 'float32'
        case 'completion #0'
            echo 'bash'
            echo 'zsh'
            echo 'fish'
    end
end

# Parameter names of function $argv[1] (normalised).
function __actcli_parameters
    switch $argv[1]
        case celu dyt dynamictanh elu isrlu isru snake
            echo 'alpha'
        case gelu geglu
            echo 'approximate'
        case hardshrink softshrink
            echo 'lambd'
        case hardtanh
            echo 'min_val'
            echo 'max_val'
        case heaviside binarystep step
            echo 'value'
        case leakyrelu lrelu
            echo 'negative_slope'
        case prelu
            echo 'weight'
        case penalizedtanh
            echo 'a'
        case rrelu
            echo 'lower'
            echo 'upper'
        case silu smelu swish
            echo 'beta'
        case sine sin
            echo 'w0'
        case softplus
            echo 'beta'
            echo 'threshold'
        case starrelu
            echo 'scale'
            echo 'bias'
        case threshold
            echo 'threshold'
            echo 'value'
        case squareplus
            echo 'b'
    end
end
