"""The two kinds of error every layer raises for a user: one line that says why.

`InputError`: the input cannot be used as given (an option, a parameter, a file named on
the command line, a formula); the user fixes the command. `RunError`: a failure while
running (a cell of data that is not a number, a file that cannot be written, a cluster
that does not answer). Every error of actcli derives from exactly one of them, so a front
end needs nothing but the class to know what happened: the CLI exits with
`exit_status`, 2 or 1.
"""


class InputError(ValueError):
    """Input that cannot be used as given; the message says why in one line."""

    exit_status = 2


class RunError(Exception):
    """A failure while running, with input that was accepted; one line."""

    exit_status = 1


def os_reason(error: OSError) -> str:
    """Why a path could not be read or written, worded alike by every command: the
    system's words in lower case ("no such file or directory", "is a directory",
    "permission denied")."""
    reason = error.strerror or str(error)
    return reason[:1].lower() + reason[1:]


def cannot_read(path: str, error: OSError) -> str:
    """The one message for a file that cannot be read: "cannot read 'x.npy': is a directory"."""
    return f"cannot read {path!r}: {os_reason(error)}"
