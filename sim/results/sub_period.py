"""A finished result set read again for a period of its years: the summaries, who pays, and the files they go to.

What a period uses: ``yearly.csv`` for ``summary.csv``'s metrics and for cost by payer role (every replication
has it), and ``costs.csv`` with ``assessments.csv`` for cost by size class (the replications that kept per-event
rows: all, unless the run had ``--detail-reps K``). The files are written into the result folder itself, beside
the run's own (``summary-2018-2020.csv``, ``payers-2018-2020.csv``; ``sim.results.outdir.PERIOD_NAMES``), each
atomically, or into a folder of their own (``--out``), new or one secsim wrote.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pandas as pd

from ..analysis.payers import PAYER_COLUMNS, collect, summarise_payers
from ..analysis.periods import Period, name, period_summary, within
from ..core.errors import InputError
from .outdir import MANIFEST, WRITTEN, staged, writing_into, written_by_secsim
from .output import PAYER_INPUTS, csv, provenance, write_json
from .result_set import ResultSet, read_table


def detail_replications(rs: ResultSet) -> int:
    """How many replications kept per-event rows (result sets from before ``--detail-reps`` kept all)."""
    return int(rs.manifest.get("detail_replications", rs.manifest["replications"]))


def payer_runs(rs: ResultSet) -> pd.DataFrame:
    """Every run's cost per year by payer role and by size class (``sim.analysis.payers.Collector.runs``)."""
    tables = {"yearly": rs.tables["yearly"]}
    tables.update({table: read_table(rs.folder, table, PAYER_INPUTS[table]) for table in ("assessments", "costs")})
    return collect(tables, rs.manifest["start"], rs.manifest["end"], detail_replications(rs))


def payers(rs: ResultSet, period: Period | None = None) -> pd.DataFrame:
    """``payers.csv`` of the result set (read, or made again for a result set from before it existed), or a period's."""
    written = rs.folder / "payers.csv"
    if period is None and written.is_file():
        return read_table(rs.folder, "payers", PAYER_COLUMNS)
    return summarise_payers(payer_runs(rs), rs.regimes, rs.baselines, period)


def summary(rs: ResultSet, period: Period) -> pd.DataFrame:
    """``summary.csv``'s rows for the period, from ``yearly.csv``."""
    return period_summary(rs.tables["yearly"], rs.regimes, period, (rs.manifest["start"], rs.manifest["end"]), rs.baselines)


def restricted(rs: ResultSet, period: Period) -> ResultSet:
    """The result set as the period sees it: its years' yearly rows, meetings and crossings, and its summaries."""
    tables = dict(rs.tables)
    tables["yearly"] = within(rs.tables["yearly"], period)
    for table, column in (("ssc_meetings", "meeting_date"), ("crossings", "date")):
        years = pd.to_datetime(rs.tables[table][column]).dt.year
        tables[table] = rs.tables[table][(years >= period[0]) & (years <= period[1])]
    tables["summary"] = summary(rs, period)
    tables["payers"] = payers(rs, period)
    return dataclasses.replace(rs, tables=tables, period=period)


def frames(rs: ResultSet, period: Period) -> dict[str, pd.DataFrame]:
    """The period's ``summary-P.csv`` and ``payers-P.csv``, by file name."""
    return {f"summary-{name(period)}.csv": summary(rs, period), f"payers-{name(period)}.csv": payers(rs, period)}


def _refuse_a_result_set(out: Path) -> None:
    """``--out`` replaces what it names: a folder of a period's summary may be replaced, a run's tables may not
    (they are what a summary is read from, and a period's files belong beside them, without ``--out``)."""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # a new path, or not secsim's: ``staged`` says which
    if not (isinstance(manifest, dict) and "summary_of" in manifest):
        raise InputError(
            f"--out {out}: holds a result set's tables, which summarise does not replace; "
            "name a new folder, or leave out --out to write the period beside that run's tables"
        )


def write(rs: ResultSet, period: Period, frames: dict[str, pd.DataFrame], out: Path | None = None) -> list[Path]:
    """Write a period's ``frames`` into the result folder, or into ``out`` (with a manifest of its own); their paths."""
    if out is None:
        if not written_by_secsim(rs.folder):
            raise InputError(f"{rs.folder}: its manifest.json does not say secsim wrote it; name a folder with --out")
        with writing_into(rs.folder):  # a run replacing the folder meanwhile is refused, or refuses this
            for file, frame in frames.items():
                partial = rs.folder / f".{file}.partial"
                try:
                    csv(frame, partial)
                    os.replace(partial, rs.folder / file)
                    WRITTEN.append(rs.folder / file)
                except OSError as exc:
                    partial.unlink(missing_ok=True)
                    raise InputError(
                        f"{rs.folder}: cannot write {file} there ({exc.strerror or exc}); name a folder with --out"
                    ) from None
        return [rs.folder / file for file in frames]
    _refuse_a_result_set(out)
    with staged(out) as staging:
        for file, frame in frames.items():
            csv(frame, staging / file)
        about = {"summary_of": str(rs.folder), "scenario": rs.name, "from": period[0], "to": period[1]}
        write_json({**about, **provenance()}, staging / "manifest.json")
    return [out / file for file in frames]
