"""The ``secsim`` command: the parser (``parser``) and the subcommands (``commands``). The top of the flow.

May import: every room of ``sim``.
"""

from __future__ import annotations

import signal
import sys


def main(argv: list[str] | None = None) -> int:
    """``secsim`` (``commands.main``), with Ctrl-C, SIGTERM and SIGHUP taken as one line from its first moment:
    importing the commands takes about a second (pandas, SciPy, matplotlib), and a signal then was a traceback of the
    imports. The commands are imported here, not above, so that this module is light."""
    from ..core.lifetime import signals_as_interrupts

    try:
        with signals_as_interrupts():
            from .commands import main as command

            return command(argv)
    except KeyboardInterrupt as exc:  # before the command began (importing it, reading its options): nothing written
        signum = getattr(exc, "signum", signal.SIGINT)
        how = "" if signum == signal.SIGINT else f" ({signal.Signals(signum).name})"
        print(f"interrupted{how}: nothing was written", file=sys.stderr)
        return 128 + signum


__all__ = ["main"]
