"""A design's result set read back for its report: which kind of folder it is, and its tables, checked.

``secsim sweep``, ``sensitivity`` and ``breakeven`` each write a folder of their own (its manifest's ``kind``;
folders from before ``kind`` are known by their keys). Only what a report shows is read; a folder that is not
one, or lacks a table or column, is one line naming the file and what was expected.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis.summary import SUMMARY_COLUMNS
from ..core.errors import InputError
from ..results.result_set import DESIGN_KINDS as KINDS, checked_csv
from .breakeven import BREAKEVEN_COLUMNS, SWING_COLUMNS
from .sensitivity import INDEX_COLUMNS

TABLES: dict[str, dict[str, list[str]]] = {
    "sweep": {"design": ["point"], "summary": ["point", *SUMMARY_COLUMNS]},
    "sensitivity": {"indices": INDEX_COLUMNS, "samples": ["sample"]},
    "breakeven": {
        "design": ["point", "case", "parameter"],
        "summary": ["point", "case", "parameter", *SUMMARY_COLUMNS],
        "breakeven": BREAKEVEN_COLUMNS,
        "swing": SWING_COLUMNS,
    },
}
"""The tables a design's report reads, and the columns it needs of each."""
MANIFEST_KEYS = ("scenario", "seed", "replications", "regimes", "baseline")


def kind_of(folder: str | Path) -> str | None:
    """``sweep``, ``sensitivity`` or ``breakeven`` for a design's result set; None for anything else (a run's)."""
    try:
        manifest = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict):
        return None
    kind = manifest.get("kind")
    if kind in KINDS:
        return str(kind)
    if "design" in manifest and "parameters" in manifest:
        return "sweep"
    return "sensitivity" if "method" in manifest and "uncertain" in manifest else None


@dataclass(frozen=True)
class DesignSet:
    """One design's result set: its kind, manifest and tables."""

    folder: Path
    kind: str
    manifest: dict[str, Any]
    tables: dict[str, pd.DataFrame]

    @property
    def name(self) -> str:
        """The scenario's name."""
        return str(self.manifest["scenario"])

    @property
    def regimes(self) -> list[str]:
        """The regimes in the design's order."""
        return [str(r) for r in self.manifest["regimes"]]

    @property
    def paths(self) -> list[str]:
        """The parameters a sweep or break-even varied: its design's columns after ``point`` (and a case's labels)."""
        return [c for c in self.tables["design"].columns if c not in ("point", "case", "parameter")]

    @property
    def price_base(self) -> str:
        """The price base of every cost (older manifests did not record it: the default's)."""
        return str(self.manifest.get("price_base", "GBP, 2018 prices"))


def load(folder: str | Path) -> DesignSet:
    """Read and check a design's result set; raise ``InputError`` (one line) if it is not one."""
    folder = Path(folder)
    kind = kind_of(folder)
    if kind is None:
        raise InputError(f"{folder}: expected a result folder written by secsim sweep, sensitivity or breakeven")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    missing = [k for k in MANIFEST_KEYS if k not in manifest]
    if missing or not isinstance(manifest.get("regimes"), list) or not manifest["regimes"]:
        what = ", ".join(missing) if missing else "regimes (a list of names)"
        raise InputError(f"{folder / 'manifest.json'}: expected the keys secsim {kind} writes; missing {what}")
    tables = {name: _csv(folder / f"{name}.csv", columns, kind) for name, columns in TABLES[kind].items()}
    for name, frame in tables.items():
        if frame.empty and name in ("summary", "indices"):
            raise InputError(f"{folder / (name + '.csv')}: expected at least one row, as secsim {kind} writes")
    return DesignSet(folder, kind, manifest, tables)


def _csv(path: Path, columns: list[str], kind: str) -> pd.DataFrame:
    frame = checked_csv(path, columns, kind)
    if "parameter" in frame.columns and kind == "breakeven":
        frame["parameter"] = frame["parameter"].astype(object).fillna("")
    return frame
