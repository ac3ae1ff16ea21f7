"""A result set as ``secsim run`` wrote it, read back for the charts and the report.

Only what the report shows is read: the yearly, meeting and crossing tables, the summary,
the regimes in force, the scenario and the manifest (the per-assessment and per-cost tables
are large and add nothing the yearly table does not hold). A folder that is not a result
set is the user's mistake: one line naming the folder or file and what was expected.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis.appraisal import SUMMARY_FORM
from ..analysis.summary import comparisons
from ..core.errors import InputError

EXPECTED = "expected a result folder written by secsim run"

CSV_COLUMNS: dict[str, list[str]] = {
    "yearly": ["regime", "replication", "year", "metric", "role", "type", "value"],
    "ssc_meetings": ["regime", "replication", "meeting_date", "backlog_after"],
    "crossings": [
        "regime",
        "replication",
        "party_id",
        "date",
        "threshold",
        "band_from",
        "band_to",
        "next_assessment_type",
        "next_within_12_months",
    ],
    "summary": SUMMARY_FORM,
    "regimes": ["regime", "parameter", "from", "value", "ref"],
}
"""The tables the report reads and the columns it needs of each (later columns may be added freely)."""
DESIGN_KINDS = ("sweep", "sensitivity", "breakeven")
"""The ``kind`` a design's manifest names (``sim.designs``): its folder is not a run's."""
MANIFEST_KEYS = ("scenario", "start", "end", "regimes", "baseline", "seed", "replications", "deterministic", "price_base")


@dataclass(frozen=True)
class ResultSet:
    """The tables, scenario and manifest of one run."""

    folder: Path
    manifest: dict[str, Any]
    scenario: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    period: tuple[int, int] | None = None
    """The calendar years the tables were narrowed to (``sim.results.sub_period.restricted``); None: the horizon."""

    @property
    def name(self) -> str:
        """The scenario's name."""
        return str(self.manifest["scenario"])

    @property
    def regimes(self) -> list[str]:
        """Regime names in the run's order; the first is the baseline unless ``baselines`` names another."""
        return [r["name"] for r in self.manifest["regimes"]]

    @property
    def baselines(self) -> dict[str, str]:
        """Each regime's baseline (the regime its differences are taken from; itself for the first)."""
        return comparisons(self.regimes, self.manifest.get("baselines"))

    @property
    def compared(self) -> list[str]:
        """The regimes with a difference to show, in the run's order."""
        return [r for r in self.regimes if self.baselines[r] != r]

    @property
    def start_year(self) -> int:
        """The horizon's first calendar year."""
        return dt.date.fromisoformat(self.manifest["start"]).year

    @property
    def price_base(self) -> str:
        """The price base of every cost."""
        return str(self.manifest["price_base"])


def _json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise InputError(f"{path}: missing; {EXPECTED}")
    try:
        data = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: expected JSON written by secsim run, got unreadable text ({exc})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a JSON object written by secsim run")
    return data


def read_table(folder: Path, name: str, columns: list[str]) -> pd.DataFrame:
    """One more table of a result set, only ``columns`` of it (the per-event tables are large), checked as ``load``
    checks the tables it reads."""
    frame = _csv(folder / f"{name}.csv", columns, only=True)
    manifest = _json(folder / "manifest.json")
    _check_tables({name: frame}, [r["name"] for r in manifest["regimes"]], folder)
    _check_counts({name: frame}, manifest, folder)
    return frame


def _check_counts(tables: dict[str, pd.DataFrame], m: dict[str, Any], folder: Path) -> None:
    """Each table ends a row and has the rows the manifest says were written (``tables``, where it names the table): one
    cut short read as a whole table, and said nothing. Checked after the tables' own checks, which say more."""
    written = m.get("tables")
    for name, frame in tables.items():
        if not _ends_a_line(folder / f"{name}.csv"):  # every table secsim writes ends with a line's end
            raise InputError(
                f"{folder / f'{name}.csv'}: ends in the middle of a row; expected a whole table written by secsim run (cut short?)"
            )
        count = written.get(name) if isinstance(written, dict) else None
        if isinstance(count, int) and not isinstance(count, bool) and count != len(frame):
            raise InputError(
                f"{folder / f'{name}.csv'}: expected the {count:,} rows its manifest.json says were written; found "
                f"{len(frame):,} (a table cut short or edited?)"
            )


def _csv(path: Path, columns: list[str], only: bool = False) -> pd.DataFrame:
    return checked_csv(path, columns, "run", only)


def checked_csv(path: Path, columns: list[str], command: str, only: bool = False) -> pd.DataFrame:
    """A table a ``secsim COMMAND`` wrote, with ``columns`` (``only``: just those read); one line if it is not."""
    if not path.is_file():
        raise InputError(f"{path}: missing; expected a result folder written by secsim {command}")
    try:
        wanted = set(columns)
        frame = pd.read_csv(path, keep_default_na=False, na_values=[""], usecols=(lambda c: c in wanted) if only else None)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"{path}: expected a CSV table written by secsim {command}, got unreadable text ({first})") from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{path}: expected columns {', '.join(columns)}; missing {', '.join(missing)}")
    return frame


def _ends_a_line(path: Path) -> bool:
    """Whether a file is empty or its last byte ends a line."""
    with path.open("rb") as f:
        if f.seek(0, 2) == 0:
            return True
        f.seek(-1, 2)
        return f.read(1) == b"\n"


def load(folder: str | Path) -> ResultSet:
    """Read and check a result folder; raise ``InputError`` (one line) if it is not one."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: {'not a folder' if folder.exists() else 'no such folder'}; {EXPECTED}")
    if not (folder / "manifest.json").is_file():
        raise InputError(f"{folder}: not a secsim result set (no manifest.json); {EXPECTED}")
    manifest = _json(folder / "manifest.json")
    missing = [k for k in MANIFEST_KEYS if k not in manifest]
    if missing and manifest.get("kind") in DESIGN_KINDS:  # a design's folder, not a run's
        raise InputError(
            f"{folder}: is a {manifest['kind']}'s result folder; this command reads one written by secsim run "
            f"(secsim report {folder} writes the {manifest['kind']}'s own report)"
        )
    if missing:
        raise InputError(f"{folder / 'manifest.json'}: expected the keys secsim run writes; missing {', '.join(missing)}")
    _check_manifest(manifest, folder / "manifest.json")
    scenario = _json(folder / "scenario.json")
    tables = {name: _csv(folder / f"{name}.csv", columns) for name, columns in CSV_COLUMNS.items()}
    if tables["yearly"].empty:
        raise InputError(f"{folder / 'yearly.csv'}: expected at least one row (every run writes CIO utilisation per year)")
    _check_tables(tables, [r["name"] for r in manifest["regimes"]], folder)
    _check_complete(tables["yearly"], manifest, folder / "yearly.csv")
    _check_counts(tables, manifest, folder)
    return ResultSet(folder, manifest, scenario, tables)


def _check_complete(yearly: pd.DataFrame, m: dict[str, Any], path: Path) -> None:
    """Every regime, replication and year of the manifest has its rows, each with a value: a table cut short or with
    rows taken out gave other numbers, and said nothing (every run writes CIO utilisation for each of them)."""
    if yearly["value"].isna().any():
        row = int(yearly["value"].isna().to_numpy().argmax()) + 2  # the file's line: a header, then 1-based rows
        raise InputError(f"{path}: line {row}: expected a value as secsim run writes (a table cut short?)")
    last = dt.date.fromisoformat(m["end"]) - dt.timedelta(days=1)
    held = yearly[yearly["metric"] == "cio_utilisation"]
    named = len(m["regimes"]) * m["replications"] * (last.year - dt.date.fromisoformat(m["start"]).year + 1)
    if named > 2 * len(held) + 1_000:  # counted before they are listed: an edited manifest may name any number
        raise InputError(
            f"{path}: expected rows for every regime, replication and year the manifest names ({named:,}); found "
            f"{len(held):,} (a table cut short, or a manifest edited?)"
        )
    expected = {
        (r["name"], k, y)
        for r in m["regimes"]
        for k in range(m["replications"])
        for y in range(dt.date.fromisoformat(m["start"]).year, last.year + 1)
    }
    found = set(zip(held["regime"].astype(str), held["replication"].astype(int), held["year"].astype(int), strict=True))
    if found != expected:
        first = min(expected - found, default=None) or min(found - expected)
        what = "missing" if first in expected else "not of the manifest's"
        raise InputError(
            f"{path}: expected rows for every regime, replication and year the manifest names ({len(expected):,}); "
            f"{what}: {first[0]}, replication {first[1]}, {first[2]} (a table edited or cut short?)"
        )


def _check_manifest(m: dict[str, Any], path: Path) -> None:
    """The manifest's values the report reads have the types secsim writes (a hand-edited one may not)."""

    def wrong(key: str, expected: str) -> InputError:
        return InputError(f"{path}: {key}: expected {expected} as secsim run writes, got {m[key]!r:.60}")

    for key in ("start", "end"):
        try:
            dt.date.fromisoformat(m[key])
        except (TypeError, ValueError):
            raise wrong(key, "a date (YYYY-MM-DD)") from None
    regimes = m["regimes"]
    if (
        not isinstance(regimes, list)
        or not regimes
        or not all(isinstance(r, dict) and isinstance(r.get("name"), str) for r in regimes)
    ):
        raise wrong("regimes", "a list of regimes, each with a name")
    if m["baseline"] != regimes[0]["name"]:
        raise wrong("baseline", f"the first regime's name ({regimes[0]['name']})")
    for key, positive in (("seed", False), ("replications", True)):
        if isinstance(m[key], bool) or not isinstance(m[key], int) or m[key] < (1 if positive else 0):
            raise wrong(key, "a positive integer" if positive else "a non-negative integer")
    if not isinstance(m["deterministic"], bool):
        raise wrong("deterministic", "true or false")
    for key in ("scenario", "price_base"):
        if not isinstance(m[key], str):
            raise wrong(key, "text")


_NUMERIC = {
    "yearly": ["replication", "year", "value"],
    "ssc_meetings": ["replication", "backlog_after"],
    "crossings": ["replication", "threshold"],
    "summary": ["mean", "sd", "replications", "diff_mean", "diff_ci_low", "diff_ci_high"],
}
_DATES = {"ssc_meetings": "meeting_date", "crossings": "date"}


def _check_tables(tables: dict[str, pd.DataFrame], regimes: list[str], folder: Path) -> None:
    """Numbers are numbers, dates dates, and every regime a table names is one of the manifest's."""
    for name, frame in tables.items():
        path = folder / f"{name}.csv"
        if frame.empty:
            continue
        for column in _NUMERIC.get(name, []):
            if not pd.api.types.is_numeric_dtype(frame[column]):
                raise InputError(f"{path}: {column}: expected numbers as secsim run writes, got {frame[column].iloc[0]!r:.40}")
            infinite = frame[column][frame[column].abs() == float("inf")]
            if len(infinite):  # a run writes none; a chart of one has no axis to draw (an edit such as 1e400)
                raise InputError(f"{path}: {column}: expected finite numbers as secsim run writes, got {infinite.iloc[0]:g}")
        if name in _DATES and pd.to_datetime(frame[_DATES[name]], format="%Y-%m-%d", errors="coerce").isna().any():
            raise InputError(f"{path}: {_DATES[name]}: expected dates (YYYY-MM-DD) as secsim run writes")
        unknown = sorted(set(frame["regime"].astype(str)) - set(regimes))
        if unknown:
            raise InputError(f"{path}: regime {unknown[0]!r} is not one of the manifest's regimes ({', '.join(regimes)})")


def unreadable(folders: str, what: str, exc: Exception) -> InputError:
    """The one line for a result folder a hand edit broke in a way the checks above do not catch (``report``,
    ``summarise``, ``compare``, ``sim.report``): what could not be done, and why, in a few words."""
    why = f"{exc.__class__.__name__}: {str(exc).splitlines()[0][:80]}" if str(exc) else exc.__class__.__name__
    return InputError(f"{folders}: cannot {what} ({why}); expected a result folder written by secsim run, not edited since")


UNREADABLE = (KeyError, TypeError, ValueError, IndexError, AttributeError)
"""What a hand-edited result folder raises once past the checks (``unreadable``)."""
