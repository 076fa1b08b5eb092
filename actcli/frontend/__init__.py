"""What the front ends (the Typer CLI, the Textual explorer) share: the Environment
and the jobs behind commands (CSV streams, drawing, depth runs, statistics of data),
so that no front end holds application logic.
"""
