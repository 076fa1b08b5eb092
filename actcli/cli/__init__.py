"""The Typer command line: `app` and the console entry point `main`."""

from actcli.cli.app import app, main

__all__ = ["app", "main"]
