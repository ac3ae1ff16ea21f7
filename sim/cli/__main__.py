"""``python -m sim.cli``: the ``secsim`` command."""

import sys

from . import main

sys.exit(main())
