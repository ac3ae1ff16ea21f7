"""Writing a result set atomically, with its manifest (DESIGN.md principle 5).

Everything goes to a hidden sibling folder first and is renamed into place at the end, so
a failed or interrupted run never leaves a half-written result set that looks complete.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import shutil
import subprocess
import tempfile
from importlib import metadata
from pathlib import Path

import pandas as pd

from . import __version__
from .experiment import RunResult

_PACKAGES = ("simpy", "numpy", "pandas", "scipy", "pydantic", "pyyaml", "matplotlib")


def _csv(frame: pd.DataFrame, path: Path) -> None:
    """CSV with booleans as true/false and stable formatting (byte-identical for the same run)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == bool or out[column].map(type).isin([bool]).any():
            out[column] = out[column].map(lambda v: "true" if v is True else ("false" if v is False else v))
    out.to_csv(path, index=False, lineterminator="\n")


def git_commit() -> str:
    """The commit of the secsim source in use, or "unknown" outside a checkout."""
    here = Path(__file__).resolve().parent
    try:
        found = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5)
        dirty = subprocess.run(["git", "-C", str(here), "status", "--porcelain", "--", "."], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if found.returncode != 0:
        return "unknown"
    return found.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def manifest(result: RunResult, scenario_file: str | None) -> dict[str, object]:
    """Provenance of a result set."""
    versions = {"python": platform.python_version(), "secsim": __version__}
    for package in _PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    s = result.scenario
    return {
        "scenario": s.name,
        "scenario_file": scenario_file,
        "scenario_hash": s.digest(),
        "start": s.start.isoformat(),
        "end": s.end.isoformat(),
        "regimes": [{"name": r.name, "title": r.title, "lineage": list(r.lineage)} for r in result.regimes],
        "baseline": result.regimes[0].name,
        "seed": result.seed,
        "replications": result.replications,
        "deterministic": s.deterministic,
        "price_base": s.costs.price_base,
        "versions": versions,
        "git_commit": git_commit(),
        "wall_seconds": round(result.wall_seconds, 3),
        "created_utc": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "tables": {name: len(frame) for name, frame in result.tables.items()},
        **result.extra,
    }


def write(result: RunResult, out: Path, scenario_file: str | None = None) -> Path:
    """Write every table, the summary, the regimes in force and the manifest into ``out``, atomically."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        for name, frame in result.tables.items():
            _csv(frame, staging / f"{name}.csv")
        _csv(result.summary, staging / "summary.csv")
        regimes = pd.DataFrame([row for r in result.regimes for row in r.rows()])
        regimes["value"] = regimes["value"].map(lambda v: json.dumps(v))
        _csv(regimes, staging / "regimes.csv")
        (staging / "scenario.json").write_text(
            json.dumps(result.scenario.model_dump(mode="json", by_alias=True), indent=2, sort_keys=True) + "\n"
        )
        (staging / "manifest.json").write_text(json.dumps(manifest(result, scenario_file), indent=2) + "\n")
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            out.rename(old / out.name)
        staging.rename(out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out
