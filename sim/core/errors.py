"""The one exception a user's mistake raises: the CLI turns it into one line and exit status 2."""


def printable(text: str) -> str:
    """``text`` on one line with no terminal escapes: a key or value from a file or the command line may hold a line
    break or an ESC, shown escaped (as Python writes them) so that an error stays one line and clears no screen."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class InputError(Exception):
    """A scenario or regime file the user wrote is wrong.

    The message is already the whole line a user sees:
    ``file: key.path: expected ..., got ...``, on one line (``printable``) from the API as from the command.
    """

    def __init__(self, message: str) -> None:
        super().__init__(printable(message))


class RunFailed(Exception):
    """A run that could not finish for a reason outside the scenario (a worker process killed twice, say).

    The message is the whole line a user sees; the CLI exits with status 1 and writes nothing.
    """
