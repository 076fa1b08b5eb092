"""`python -m actcli`."""

from actcli.cli import main

main()
