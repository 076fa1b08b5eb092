"""The Typer command line: `app` and the console entry point `main`."""

from actcli.cli.app import COMPLETION_SCRIPTS, app, main

__all__ = ["COMPLETION_SCRIPTS", "app", "main"]
