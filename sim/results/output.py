"""Writing a result set atomically, with its manifest (DESIGN.md principle 5).

Everything goes to a hidden sibling folder first and is swapped into place at the end
(``sim.results.outdir.staged``), so a failed or interrupted run never leaves a half-written result set
that looks complete, and never removes an old one before the new one is whole.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

import pandas as pd

from ..analysis.payers import collect, summarise_payers
from ..analysis.summary import comparisons
from ..analysis.tables import TABLES, frames
from ..core.version import __version__
from ..experiment.runner import RunResult
from ..law.readings import readings_in_force
from ..law.regime import ONE_OFF_COLUMNS
from .outdir import WRITTEN_BY, staged

_PACKAGES = ("simpy", "numpy", "pandas", "scipy", "pydantic", "pyyaml", "matplotlib", "distributed", "salib")


def csv(frame: pd.DataFrame, path: Path, append: bool = False) -> None:
    """CSV with booleans as true/false and stable formatting (byte-identical for the same run).

    ``append`` adds rows under an existing header: how large tables stream to disk chunk by chunk.
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == bool or (out[column].dtype == object and out[column].map(type).isin([bool]).any()):
            out[column] = out[column].map(lambda v: "true" if v is True else ("false" if v is False else v))
    out.to_csv(path, index=False, lineterminator="\n", mode="a" if append else "w", header=not append)


def git_commit() -> str:
    """The commit of the secsim source in use, or "unknown" outside a checkout."""
    here = Path(__file__).resolve().parent
    try:
        found = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5)
        dirty = subprocess.run(
            ["git", "-C", str(here), "status", "--porcelain", "--", "."], capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if found.returncode != 0:
        return "unknown"
    return found.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def provenance() -> dict[str, object]:
    """Package versions, git commit and creation time: what every manifest records (with the mark
    that says secsim wrote the folder, so a later run may replace it, ``sim.results.outdir``)."""
    versions = {"python": platform.python_version(), "secsim": __version__}
    for package in _PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    machine = {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "cpu_count": os.cpu_count(),
    }
    return {
        "written_by": WRITTEN_BY,
        "versions": versions,
        "machine": machine,
        "git_commit": git_commit(),
        "created_utc": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    }


def manifest(
    result: RunResult, scenario_file: str | None, counts: dict[str, int], overrides: list[dict[str, object]] | None = None
) -> dict[str, object]:
    """Provenance of a result set (``counts``: rows per table; ``overrides``: values the command line changed)."""
    s = result.scenario
    return {
        "scenario": s.name,
        "scenario_file": scenario_file,
        "scenario_hash": s.digest(),
        **({"overrides": overrides} if overrides else {}),
        "start": s.start.isoformat(),
        "end": s.end.isoformat(),
        "regimes": [{"name": r.name, "title": r.title, "lineage": list(r.lineage)} for r in result.regimes],
        "baseline": result.regimes[0].name,
        "baselines": comparisons([r.name for r in result.regimes], s.baselines),
        "readings": readings_in_force(result.regimes, s.start),
        "seed": result.seed,
        "replications": result.replications,
        "deterministic": s.deterministic,
        "price_base": s.costs.price_base,
        **provenance(),
        "wall_seconds": round(result.wall_seconds, 3),
        "tables": counts,
        **result.extra,
    }


def write_json(data: object, path: Path) -> None:
    """Indented JSON with a final newline."""
    path.write_text(json.dumps(data, indent=2) + "\n")


class TableSink:
    """Each replication's rows, appended to ``<table>.csv`` in a staging folder a chunk at a time, in order.

    ``secsim run`` writes through it, so memory holds one chunk of rows however many
    replications run; the files equal those ``write`` makes from the same rows in memory.
    """

    def __init__(self, folder: Path, chunk_rows: int = 100_000) -> None:
        self.folder, self.chunk_rows = Path(folder), chunk_rows
        self.counts = dict.fromkeys(TABLES, 0)
        self._started: set[str] = set()
        self._buffer: dict[str, list[tuple]] = {name: [] for name in TABLES}

    def __call__(self, rows: dict[str, list[tuple]]) -> None:
        """Take one replication's rows; write a chunk when enough are buffered."""
        for name, part in rows.items():
            self._buffer[name].extend(part)
        if sum(map(len, self._buffer.values())) >= self.chunk_rows:
            self._flush()

    def _flush(self) -> None:
        for name, frame in frames(self._buffer).items():
            if len(frame) or name not in self._started:  # a table with no rows still gets its header
                csv(frame, self.folder / f"{name}.csv", append=name in self._started)
                self._started.add(name)
                self.counts[name] += len(frame)
        self._buffer = {name: [] for name in TABLES}

    def close(self) -> dict[str, int]:
        """Write what is buffered; rows per table."""
        self._flush()
        return dict(self.counts)


PAYER_INPUTS = {
    "yearly": ["regime", "replication", "year", "metric", "role", "value"],
    "assessments": ["regime", "replication", "assessment_id", "band", "fieldwork_start"],
    "costs": ["regime", "replication", "assessment_id", "year", "cost_gbp"],
}
"""The columns cost by payer and by size class reads of each table."""


def payer_summary(result: RunResult, folder: Path | None = None) -> pd.DataFrame:
    """``payers.csv`` of a run, from its tables in memory, or (a run that streamed them, ``TableSink``) as written
    in ``folder``."""
    s = result.scenario
    tables = result.tables
    if not tables and folder is not None:
        tables = {
            name: pd.read_csv(folder / f"{name}.csv", usecols=columns, keep_default_na=False, na_values=[""])
            for name, columns in PAYER_INPUTS.items()
        }
    detail = result.extra.get("detail_replications")
    runs = collect(tables, s.start.isoformat(), s.end.isoformat(), detail if isinstance(detail, int) else None)
    return summarise_payers(runs, [r.name for r in result.regimes], s.baselines)


def write_beside_tables(
    result: RunResult,
    folder: Path,
    scenario_file: str | None,
    counts: dict[str, int],
    payers: pd.DataFrame | None = None,
    overrides: list[dict[str, object]] | None = None,
) -> None:
    """The summaries (``payers``: the run's ``payer_summary``), the regimes in force, the scenario and the manifest,
    next to tables already in ``folder``."""
    csv(result.summary, folder / "summary.csv")
    csv(payer_summary(result, folder) if payers is None else payers, folder / "payers.csv")
    if result.yearly_summary is not None:
        csv(result.yearly_summary, folder / "yearly_summary.csv")
    regimes = pd.DataFrame([row for r in result.regimes for row in r.rows()])
    regimes["value"] = regimes["value"].map(lambda v: json.dumps(v))
    csv(regimes, folder / "regimes.csv")
    csv(
        pd.DataFrame([row for r in result.regimes for row in r.one_off_rows()], columns=ONE_OFF_COLUMNS),
        folder / "one_off_costs.csv",
    )
    (folder / "scenario.json").write_text(
        json.dumps(result.scenario.model_dump(mode="json", by_alias=True), indent=2, sort_keys=True) + "\n"
    )
    write_json(manifest(result, scenario_file, counts, overrides), folder / "manifest.json")


def write(result: RunResult, out: Path, scenario_file: str | None = None) -> Path:
    """Write every table held in memory, the summaries, the regimes in force and the manifest into ``out``, atomically."""
    with staged(out) as staging:
        for name, frame in result.tables.items():
            csv(frame, staging / f"{name}.csv")
        write_beside_tables(result, staging, scenario_file, {name: len(frame) for name, frame in result.tables.items()})
    return Path(out)
