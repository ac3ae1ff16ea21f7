"""The answer in words, computed from the numbers: what each regime saves or costs against its baseline, with its
interval, who gains and who pays, what it asks of the User CIO and the SSC and how many are late, what the
intervals hold, and the reading of the count the answer rests on.

Tables sign a change regime − baseline (a saving is negative); the words say "saves £6.14m" or "costs £34.0k
more". A payer gains or pays where its 95 % interval is clear of zero; the others are said to show no change
distinguishable from zero (with one replication there is no interval, and the sign alone is said).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

from ..law.readings import describe_reading
from .display import count
from .money import pounds, saving_words
from .payers import LABELS

SIGN_WORDS = (
    "Every change is regime − baseline, replication by replication: a negative change in cost is a saving "
    '(the words say "saves"); intervals are paired 95 % t intervals.'
)
"""The sign convention, as the report and the CLI state it."""
PLURAL = ("save", "pay")


SHIPPED = {
    "pre-secmp0044": "the rules before SECMP0044",
    "secmp0044": "SECMP0044",
    "sec-history-without-secmp0044": "the dated SEC history without SECMP0044",
    "sec-history": "the dated SEC history",
}
"""The shipped regimes in words (``sim/law/regimes``); a variant is called by its name."""
PLURAL_NAMES = frozenset({"pre-secmp0044"})
"""Shipped regimes whose words are plural ("the rules before SECMP0044 save"), when compared with a baseline."""


def _pair(regime: str, baseline: str, words: str) -> str:
    """``SECMP0044 (secmp0044) saves £4.38m [...] against the rules before SECMP0044 (pre-secmp0044)``."""
    if (regime, baseline) == ("sec-history", "sec-history-without-secmp0044"):
        return f"Within the dated SEC history, SECMP0044 ({regime} against {baseline}) {words}"
    than = "than" if words.endswith("more") or " more [" in words else "against"
    if (regime, baseline) == ("sec-history-without-secmp0044", "pre-secmp0044"):  # the other changes, for scale
        return f"The SEC's other changes, not SECMP0044: the dated SEC history without it ({regime}) {words} {than} {SHIPPED[baseline]} ({baseline})"
    name, base = (f"{SHIPPED[r]} ({r})" if r in SHIPPED else f"the regime {r}" for r in (regime, baseline))
    # SECMP0044 was raised in December 2017 and in force from 2018: this pair is of rules, not of dates (a review)
    both = ", both in force from the horizon's first day," if {regime, baseline} == {"secmp0044", "pre-secmp0044"} else ""
    return f"{name[:1].upper()}{name[1:]} {words} {than} {base}{both}"


def _replications(n: int) -> str:
    return f"{n:,} replication" + ("" if n == 1 else "s")


def _years(period: tuple[int, int], horizon: tuple[str, str] | None = None) -> str:
    """``2018–2020``; with the days where the horizon (start, end exclusive) holds the first or last year in part."""
    years = str(period[0]) if period[0] == period[1] else f"{period[0]}–{period[1]}"
    if horizon is None:
        return years
    first = max(dt.date(period[0], 1, 1), dt.date.fromisoformat(str(horizon[0])))
    last = min(dt.date(period[1], 12, 31), dt.date.fromisoformat(str(horizon[1])) - dt.timedelta(days=1))
    whole = (first, last) == (dt.date(period[0], 1, 1), dt.date(period[1], 12, 31))
    return years if whole else f"{years} ({first.isoformat()} to {last.isoformat()})"


def _who(payers: pd.DataFrame, regime: str) -> str:
    """Who gains and who pays under ``regime``: payer roles whose change is clear of zero, largest first."""
    rows = payers[(payers.grouping == "payer") & (payers.regime == regime) & (payers.group != "all")]
    gain, pay, level = [], [], []
    for row in rows.sort_values("diff_mean", key=lambda s: -s.abs()).itertuples():
        label = LABELS.get(row.group, row.group).split(" (")[0]
        interval = not math.isnan(row.diff_ci_low)
        if row.diff_mean < 0 and (not interval or row.diff_ci_high < 0):
            gain.append(f"{label} ({saving_words(row.diff_mean, row.diff_ci_low, row.diff_ci_high, PLURAL)})")
        elif row.diff_mean > 0 and (not interval or row.diff_ci_low > 0):
            pay.append(f"{label} ({saving_words(row.diff_mean, row.diff_ci_low, row.diff_ci_high, PLURAL)})")
        elif row.diff_mean != 0 or interval:
            level.append(label)
    parts = []
    if gain:
        parts.append("Who gains: " + "; ".join(gain) + ".")
    if pay:
        parts.append("Who pays more: " + "; ".join(pay) + ".")
    if level:
        parts.append(f"No change distinguishable from zero for {', '.join(level)}.")
    return " ".join(parts)


def _bands(payers: pd.DataFrame, regime: str) -> str:
    """Where the change falls by the band each assessment was determined in."""
    rows = payers[(payers.grouping == "size") & (payers.regime == regime) & payers.group.isin(list(_CLASSES))]
    if rows[rows.group.isin(["large", "small"])].empty:
        return ""
    parts = [
        f"{pounds(r.diff_mean, True)} {_CLASSES[r.group]}"
        for r in rows.itertuples()
        if r.group in ("large", "small") or r.diff_mean != 0  # Other Users' and one-offs where there is a change
    ]
    said = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]
    return f"By size class (the band on the count in force at each assessment), the change is {said}."


_CLASSES = {
    "large": "on assessments banded Large",
    "small": "on assessments banded Small",
    "none": "on Other Users' (not banded)",
    "one_off": "in one-off costs",
}
"""The size classes of ``payers.csv`` as the answer names them, in its order."""


SERVICE = (
    ("cio_days", "the User CIO's work", " team-days"),
    ("ssc_items", "the SSC's items reviewed (a count: an item with no SRP part in it takes SECAS and the SSC less time)", ""),
    ("late", "assessments late against their due date", ""),
    ("pushed_past_due", "pushed past their due date by the CIO's queue", ""),
    ("missed_mandate", "parties that missed their mandate", ""),
)
"""What a regime asks of the User CIO and the SSC, and how many miss a rule, in the words the answer says them."""
LATE_MEANS = (
    " (by which the rule in force asks the next to be booked, started or its fieldwork finished; parties plan to meet it)"
)
"""What "late" counts, said the first time the answer says it."""


def _service(summary: pd.DataFrame, regime: str, baseline: str, first: bool = True) -> str:
    """The change in the CIO's and the SSC's load and in lateness, each with its interval (both means after it);
    ``first``: the answer's first paragraph, which says what "late" counts."""
    parts = []
    for metric, words, unit in SERVICE:
        words += LATE_MEANS if metric == "late" and first else ""
        rows = summary[summary.metric == metric].set_index("regime")
        if regime not in rows.index or baseline not in rows.index:
            continue
        new, old = rows.loc[regime], rows.loc[baseline]
        if new["mean"] == old["mean"]:
            parts.append(f"{words} none in either" if new["mean"] == 0 else f"{words} unchanged ({count(new['mean'])})")
            continue
        around = "" if math.isnan(new.diff_ci_low) else f" [{count(new.diff_ci_low, True)}, {count(new.diff_ci_high, True)}]"
        parts.append(f"{words} {count(new.diff_mean, True)}{unit}{around} ({count(old['mean'])} → {count(new['mean'])})")
    return f"Its load and lateness, per replication: {'; '.join(parts)}." if parts else ""


def caveats(n: int, bands: bool, same: bool = False) -> str:
    """What the intervals hold, and what they do not, and what a size class is not: said once, after the answers.
    ``same``: every replication gave the same cost (a deterministic scenario), so the intervals are points."""
    spread = (
        f"Every one of the {_replications(n)} gave the same numbers (a deterministic scenario), so the intervals are points"
        if same
        else f"The intervals are the spread of {_replications(n)} on common random numbers, the model's own chance"
    )
    intervals = (
        f"{spread}: they do not hold the uncertainty of the inputs. The inputs marked as estimates (the User CIO's "
        "capacity and day rate among them) and the readings move the answer too; secsim sweep and secsim sensitivity "
        "show how far. "
        if n > 1
        else ""
    )
    size = (
        "A size class is the band an assessment was determined in: a User that a rule bands otherwise moves its "
        "assessments' cost from one class to the other, so a class's change is not what Small or Large parties pay."
        if bands
        else ""
    )
    return (intervals + size).strip()


def readings_sentence(readings: dict[str, Any] | None, start: str) -> str:
    """What is counted against 250,000, and whose premises an SRP's aggregate sums, per regime: the readings the answer
    rests on most (manifest ``readings``; older result sets lack the second)."""
    if not readings:
        return ""
    said = []
    for parameter in ("count_measure", "aggregate_of"):
        groups: dict[str, list[str]] = {}
        for regime, values in readings.items():
            if parameter in values:
                groups.setdefault(describe_reading(values[parameter], start), []).append(regime)
        said.append("; ".join(f"{text} in {', '.join(names)}" for text, names in groups.items()))
    whose = f" Whose premises an SRP's aggregate sums: {said[1]}." if said[1] else ""
    return (
        f"What is counted against 250,000: {said[0]}.{whose} Where a value is marked a reading the SEC leaves it open, and "
        "the answer moves with it (a scenario's readings key chooses another; docs/explanation/readings.md)."
    )


def conclusion(
    summary: pd.DataFrame,
    payers: pd.DataFrame,
    period: tuple[int, int],
    readings: dict[str, Any] | None = None,
    start: str = "",
    end: str = "",
) -> list[str]:
    """Paragraphs: per compared regime its saving or extra cost with the interval and who gains and pays, then the
    reading of the count; from ``summary.csv``'s and ``payers.csv``'s rows (or a period's)."""
    cost = summary[summary.metric == "cost_gbp"]
    n = int(cost.replications.max()) if not cost.empty else 0
    out: list[str] = []
    for row in cost[cost.regime != cost.baseline].itertuples():
        base = cost[cost.regime == row.baseline]["mean"]
        before = f"{pounds(base.iloc[0])} → {pounds(row.mean)}" if len(base) else pounds(row.mean)
        verbs = ("save", "cost") if row.regime in PLURAL_NAMES else ("saves", "costs")
        words = saving_words(row.diff_mean, row.diff_ci_low, row.diff_ci_high, verbs)
        over = _years(period, (start, end) if start and end else None)
        text = f"{_pair(row.regime, row.baseline, words)} over {over} ({before}, mean of {_replications(n)})."
        service = _service(summary, row.regime, row.baseline, first=not out)
        said = (text, _who(payers, row.regime), _bands(payers, row.regime), service)
        out.append(" ".join(p for p in said if p))
    if not out:
        out.append(f"One regime only: nothing to compare (cost {pounds(cost['mean'].iloc[0]) if n else '—'}).")
    elif noted := caveats(n, not payers[payers.grouping == "size"].empty, "sd" in cost and bool((cost.sd.fillna(0) == 0).all())):
        out.append(noted)
    reading = readings_sentence(readings, start)
    return out + ([reading] if reading else [])
