"""secsim: a discrete-event simulation of SEC User Security Assessments under SECMP0044 and its alternatives.

The Python API (``sim.api``), loaded when first used so that ``import sim`` stays light for the command and
its worker processes:

>>> import sim
>>> r = sim.run(sim.load("scenarios/small-supplier-on-large-srp.yaml"))
>>> r.difference()[["regime", "diff_mean"]].round(0).to_dict("records")
[{'regime': 'secmp0044', 'diff_mean': 32547.0}]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .core.version import __version__

if TYPE_CHECKING:
    from .api import BreakEven, InputError, Result, Scenario, breakeven, load, readable, report, run, sensitivity, sweep

__all__ = [
    "BreakEven",
    "InputError",
    "Result",
    "Scenario",
    "__version__",
    "breakeven",
    "load",
    "readable",
    "report",
    "run",
    "sensitivity",
    "sweep",
]


def __getattr__(name: str) -> Any:
    """``sim.run`` and the rest of ``__all__``, imported from ``sim.api`` on first use."""
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
