"""Static shell completion scripts, shipped as package data for `actcli completion SHELL`.

actcli.bash, _actcli and actcli.fish are made by scripts/generate_completions.py from
templates/ and the command line; edit the templates, never the scripts.
"""
