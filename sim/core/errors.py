"""The one exception a user's mistake raises: the CLI turns it into one line and exit status 2."""


class InputError(Exception):
    """A scenario or regime file the user wrote is wrong.

    The message is already the whole line a user sees:
    ``file: key.path: expected ..., got ...``.
    """


class RunFailed(Exception):
    """A run that could not finish for a reason outside the scenario (a worker process killed twice, say).

    The message is the whole line a user sees; the CLI exits with status 1 and writes nothing.
    """
