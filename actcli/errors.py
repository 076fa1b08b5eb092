"""The error every layer raises for input a user can fix: one line that says why.

Front ends show it as is (the CLI exits with status 2); layers with errors of their
own (`ParamError`, `StreamError`, ...) keep them beside their code.
"""


class InputError(ValueError):
    """Input that cannot be used as given; the message says why in one line."""
