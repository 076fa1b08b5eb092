"""What the front ends (the Typer CLI, the Textual explorer) share: the Environment,
functions named as users type them, and the jobs behind commands (CSV streams,
drawing, depth runs) so that no front end holds application logic.
"""
