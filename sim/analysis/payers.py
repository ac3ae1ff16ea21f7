"""Who pays: cost by payer role and by size class, per regime and as the paired change from its baseline.

Two groupings of the same pounds, each summing to a run's whole cost:

- ``payer``: the role of the party that pays each cost component (``costs.csv``'s ``payer_role``: Suppliers,
  Network Parties, Other Users, SRPs for their own effort and report copies, SECCo for SECAS and SSC time and a
  regime's one-offs), read from ``yearly.csv``'s ``cost_gbp`` rows, which every replication has;
- ``size``: the band the assessment a cost belongs to was determined in (``assessments.csv``'s ``band``: Large or
  Small on the count in force at its determination, own premises or the SRP's aggregate as the rules then said;
  ``none`` for Other Users, which are not banded), plus ``one_off`` for a regime's one-off costs. It needs the
  per-event tables, so it covers the replications that kept them (all unless ``--detail-reps``), and sums the
  ``costs`` rows (each to 4 decimals), so it agrees with ``summary.csv``'s cost to within that rounding.

Replication r of every regime shares its random streams, so each group's change is paired, as ``summary`` does.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping

import pandas as pd

from .money import pounds, pounds_interval
from .summary import SUMMARY_COLUMNS, Cells, statistics
from .tables import ASSESSMENT_COLUMNS, COST_COLUMNS, YEARLY_COLUMNS

GROUPS = {
    "payer": ("supplier", "network", "other", "srp", "secco"),
    "size": ("large", "small", "none", "one_off"),
}
"""Each grouping's groups in the order they are shown; ``all`` (their sum) follows."""
LABELS = {
    "supplier": "Suppliers",
    "network": "Network Parties",
    "other": "Other Users",
    "srp": "SRPs",
    "secco": "SECCo (SECAS, SSC, one-offs)",
    "large": "Large",
    "small": "Small",
    "none": "not banded (Other Users)",
    "one_off": "one-off costs of a regime",
    "all": "all",
}
TITLES = {"payer": "by payer role", "size": "by size class (the band of each assessment)"}
PAYER_COLUMNS = ["grouping", "group", *SUMMARY_COLUMNS]
"""``payers.csv``: a grouping, a group, then the columns of ``summary.csv``."""
RUN_COLUMNS = ["regime", "replication", "year", "grouping", "group", "value"]
"""Per run, year and group: the cost that ``payers.csv`` summarises (``Collector.runs``)."""

_Y = {c: YEARLY_COLUMNS.index(c) for c in ("regime", "replication", "year", "metric", "role", "value")}
_A = {c: ASSESSMENT_COLUMNS.index(c) for c in ("regime", "replication", "assessment_id", "band", "fieldwork_start")}
_C = {c: COST_COLUMNS.index(c) for c in ("regime", "replication", "assessment_id", "year", "cost_gbp")}


class Collector:
    """Costs per run, year and group, taken from table rows as a run passes them on (``secsim run``'s sink), or
    from the tables of a finished run; memory holds one replication's assessments at a time, and the totals.

    ``start`` and ``end`` bound the horizon (ISO dates): an assessment whose fieldwork the User CIO's queue pushed
    past the end costs nothing in ``yearly.csv``, nor here. Replications from ``detail`` on kept no per-event rows,
    so they have payer rows only.
    """

    def __init__(self, start: str, end: str, detail: int | None = None) -> None:
        self.start, self.end, self.detail = start, end, detail
        self._parts: dict[tuple, list[float]] = defaultdict(list)
        self._runs: dict[str, set[tuple[str, int]]] = {"payer": set(), "size": set()}
        self._years: set[int] = set()

    def __call__(self, rows: Mapping[str, Iterable[tuple]]) -> None:
        """Take rows of any number of runs (each run's assessments with, or before, its costs)."""
        for row in rows.get("yearly", ()):
            run = (row[_Y["regime"]], row[_Y["replication"]])
            self._runs["payer"].add(run)
            self._years.add(row[_Y["year"]])
            if self.detail is None or run[1] < self.detail:
                self._runs["size"].add(run)
            if row[_Y["metric"]] == "cost_gbp":
                self._parts[(*run, row[_Y["year"]], "payer", row[_Y["role"]])].append(row[_Y["value"]])
        band = {
            (a[_A["regime"]], a[_A["replication"]], a[_A["assessment_id"]]): a[_A["band"]]
            for a in rows.get("assessments", ())
            if self.start <= a[_A["fieldwork_start"]] < self.end
        }
        for c in rows.get("costs", ()):
            aid = c[_C["assessment_id"]]
            group = band.get((c[_C["regime"]], c[_C["replication"]], aid)) if aid else "one_off"
            if group is not None:
                self._parts[(c[_C["regime"]], c[_C["replication"]], c[_C["year"]], "size", group)].append(c[_C["cost_gbp"]])

    def runs(self) -> pd.DataFrame:
        """``RUN_COLUMNS``: every run's cost per year and group, zero where a run paid nothing in a group."""
        years = sorted(self._years)
        seen: dict[str, set[str]] = {"payer": set(), "size": set()}
        for *_, grouping, group in self._parts:
            seen[grouping].add(group)
        rows = []
        for grouping, runs in self._runs.items():
            groups = [g for g in GROUPS[grouping] if g in seen[grouping]] + sorted(seen[grouping] - set(GROUPS[grouping]))
            for regime, replication in sorted(runs):
                for year in years:
                    for group in groups:
                        value = math.fsum(self._parts.get((regime, replication, year, grouping, group), ()))
                        rows.append((regime, replication, year, grouping, group, value))
        return pd.DataFrame(rows, columns=RUN_COLUMNS)


def collect(tables: Mapping[str, pd.DataFrame], start: str, end: str, detail: int | None = None) -> pd.DataFrame:
    """``Collector.runs`` of tables held as frames (a finished run's, in memory or read back from its folder)."""
    collector = Collector(start, end, detail)
    columns = {"yearly": YEARLY_COLUMNS, "assessments": ASSESSMENT_COLUMNS, "costs": COST_COLUMNS}
    rows = {}
    for name, wanted in columns.items():
        frame = tables.get(name)
        if frame is None:
            continue
        frame = frame.reindex(columns=wanted)
        if name == "assessments":
            frame = frame.assign(fieldwork_start=frame.fieldwork_start.fillna("").astype(str))
        if name != "yearly":
            frame = frame.assign(assessment_id=frame.assessment_id.fillna("").astype(str))
        rows[name] = list(frame.itertuples(index=False, name=None))
    collector(rows)
    return collector.runs()


def summarise_payers(
    runs: pd.DataFrame, regimes: list[str], baselines: dict[str, str] | None = None, years: tuple[int, int] | None = None
) -> pd.DataFrame:
    """``payers.csv``: per grouping, group (and ``all``) and regime, the cost over the horizon (or the ``years``,
    first and last included) with its paired change from the regime's baseline."""
    if years is not None:
        runs = runs[(runs.year >= years[0]) & (runs.year <= years[1])]
    total = runs.groupby(["grouping", "group", "regime", "replication"], sort=False)["value"].apply(math.fsum)
    out = []
    for grouping in GROUPS:
        if grouping not in total.index.get_level_values("grouping"):
            continue
        part = total.xs(grouping, level="grouping")
        groups = list(dict.fromkeys(part.index.get_level_values("group")))
        every = part.groupby(level=["regime", "replication"], sort=False).apply(math.fsum)
        for group, values in [*((g, part.xs(g, level="group")) for g in groups), ("all", every)]:
            cells: Cells = defaultdict(dict)
            for (regime, replication), value in values.items():
                cells[regime][replication] = value
            out += [
                {"grouping": grouping, "group": group, "metric": "cost_gbp", **row}
                for row in statistics(cells, regimes, baselines)
            ]
    return pd.DataFrame(out, columns=PAYER_COLUMNS)


def render_payers(payers: pd.DataFrame, detail_note: str = "") -> str:
    """The printed who-pays, a table per compared regime: each group's mean cost under the baseline and the regime,
    and the change with its 95 % interval, by payer role and then by size class."""
    if payers.empty:
        return "Cost by payer: no cost rows in this result set"
    n = int(payers.replications.max())
    regimes = list(dict.fromkeys(payers.regime))
    against = payers.drop_duplicates("regime").set_index("regime")["baseline"].to_dict()
    cell = payers.set_index(["grouping", "group", "regime"])
    blocks = []
    for regime in (r for r in regimes if against[r] != r):
        base = against[regime]
        rows, index = [], []
        for grouping, part in payers.groupby("grouping", sort=False):
            covers = f" ({detail_note})" if grouping == "size" and detail_note else ""
            rows.append(["", "", ""])
            index.append(f"{TITLES[grouping]}{covers}:")
            for group in dict.fromkeys(part.group):
                mine, theirs = cell.loc[(grouping, group, regime)], cell.loc[(grouping, group, base)]
                change = pounds_interval(mine.diff_mean, mine.diff_ci_low, mine.diff_ci_high)
                rows.append([pounds(theirs["mean"]), pounds(mine["mean"]), change])
                index.append(f"  {LABELS.get(group, group)}")
        interval = " [95% CI]" if n > 1 else ""
        frame = pd.DataFrame(rows, index=index, columns=[base, regime, f"change{interval}"])
        table = "\n".join(line.rstrip() for line in frame.to_string().splitlines())
        if "size" not in set(payers.grouping) and detail_note:  # said, not left out in silence
            table += f"\n{TITLES['size']}: {detail_note}"
        blocks.append(f"Who pays: {regime} - {base}, mean of {n} replication(s)\n{table}")
    return "\n\n".join(blocks) if blocks else "Who pays: one regime only, nothing to compare"
