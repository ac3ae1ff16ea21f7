"""``python -m sim.cli``: the ``secsim`` command."""

import sys

from .commands import main

sys.exit(main())
