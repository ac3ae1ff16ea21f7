"""The ``secsim`` command: the parser (``parser``) and the subcommands (``commands``). The top of the flow.

May import: every room of ``sim``.
"""

from .commands import main

__all__ = ["main"]
