"""Two result sets side by side: B − A per regime and metric, with a 95 % interval, paired where that means something.

Replication r of two runs shares its random numbers when both have the same seed and draw the same industry,
so their difference is taken replication by replication (a paired t interval), as between the regimes of one
run; over the replications both ran, where one ran more (its means then over those too, so that B − A is the
difference of the means shown). The industry is what ``sim.industry`` builds from: ``INDUSTRY_KEYS`` of
``scenario.json`` (the ``industry_hash``). Where the seed or the industry differ the runs are independent samples
and the interval is Welch's. Two sets compare only over the same horizon, regimes, baselines and metrics.
"""

from __future__ import annotations

import hashlib
import json
import math
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..core.errors import InputError
from .money import pounds, pounds_interval
from .summary import CONFIDENCE, comparisons, paired

INDUSTRY_KEYS = ("start", "years", "deterministic", "parties", "population", "cio.booking_lead_weeks")
"""What the industry (parties, premises over time, market events) is drawn from, besides the seed."""
COMPARE_COLUMNS = [
    "metric",
    "regime",
    "quantity",
    "baseline",
    "a",
    "b",
    "difference",
    "ci_low",
    "ci_high",
    "half_width",
    "method",
    "replications_a",
    "replications_b",
]
"""One row per metric, regime and quantity (``mean``: the regime's own; ``change``: its paired change from its
baseline): A's and B's mean, B − A with its interval, and ``paired`` or ``welch``."""


def industry_hash(scenario: Mapping[str, Any]) -> str:
    """A hash of ``INDUSTRY_KEYS`` of a validated scenario's data (``scenario.json``)."""
    part = {}
    for key in INDUSTRY_KEYS:
        node: Any = scenario
        for step in key.split("."):
            node = node.get(step) if isinstance(node, Mapping) else None
        part[key] = node
    text = json.dumps(part, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def pairing(a: Mapping[str, Any], b: Mapping[str, Any]) -> tuple[bool, str]:
    """Whether two runs (each ``{"manifest": ..., "scenario": ...}``) pair replication by replication, and why."""
    differ = [
        what
        for what, left, right in (
            ("seed", a["manifest"]["seed"], b["manifest"]["seed"]),
            ("industry", industry_hash(a["scenario"]), industry_hash(b["scenario"])),
        )
        if left != right
    ]
    if differ:
        return False, f"unpaired (Welch): the {' and the '.join(differ)} {'differs' if len(differ) == 1 else 'differ'}"
    ran = a["manifest"]["replications"], b["manifest"]["replications"]
    hashed = f"industry hash {industry_hash(a['scenario'])}"
    if ran[0] == ran[1]:
        return True, f"paired: the same seed, replications and industry ({hashed})"
    return True, (
        f"paired over the {min(ran):,} replications both ran (A ran {ran[0]:,}, B {ran[1]:,}; every mean here is over "
        f"those): the same seed and industry ({hashed})"
    )


def check_comparable(a: Mapping[str, Any], b: Mapping[str, Any], where: str) -> None:
    """Refuse, in one line, two result sets whose horizons, regimes, baselines or metrics differ."""
    ma, mb = a["manifest"], b["manifest"]
    if (ma["start"], ma["end"]) != (mb["start"], mb["end"]):
        raise InputError(
            f"{where}: different horizons ({ma['start']} to {ma['end']}, {mb['start']} to {mb['end']}); nothing to compare"
        )
    names = [[r["name"] for r in m["regimes"]] for m in (ma, mb)]
    if sorted(names[0]) != sorted(names[1]):
        raise InputError(f"{where}: different regimes ({', '.join(names[0])}; {', '.join(names[1])}); nothing to compare")
    against = [comparisons(n, m.get("baselines")) for n, m in zip(names, (ma, mb), strict=True)]
    if against[0] != against[1]:
        raise InputError(f"{where}: the regimes' baselines differ ({against[0]}; {against[1]}); their changes are not alike")
    metrics = [sorted(set(x["summary"].metric)) for x in (a, b)]
    if metrics[0] != metrics[1]:
        only = sorted(set(metrics[0]) ^ set(metrics[1]))
        raise InputError(f"{where}: different metrics ({', '.join(only[:3])} in one only); nothing to compare")


def _welch(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    """B − A with Welch's interval (runs on independent streams)."""
    out = {
        "diff_mean": float(b.mean() - a.mean()),
        "diff_ci_low": math.nan,
        "diff_ci_high": math.nan,
        "diff_half_width": math.nan,
    }
    if len(a) < 2 or len(b) < 2:
        return out
    if a.var(ddof=1) == 0 and b.var(ddof=1) == 0:
        half = 0.0
    else:
        from scipy import stats  # here, not at import: scipy.stats costs most of a second in every command

        with warnings.catch_warnings():  # near-identical samples (a count that hardly varies): a tiny, honest width
            warnings.simplefilter("ignore", RuntimeWarning)
            low, high = stats.ttest_ind(b, a, equal_var=False).confidence_interval(CONFIDENCE)
        half = (high - low) / 2
    return {**out, "diff_ci_low": out["diff_mean"] - half, "diff_ci_high": out["diff_mean"] + half, "diff_half_width": half}


def compare(
    a_totals: pd.DataFrame, b_totals: pd.DataFrame, regimes: list[str], baselines: dict[str, str], is_paired: bool
) -> pd.DataFrame:
    """``COMPARE_COLUMNS`` from each set's per-run totals (long ``regime, replication, metric, value``)."""
    wide = [
        t.pivot_table(index=["metric", "replication"], columns="regime", values="value", aggfunc="sum")
        for t in (a_totals, b_totals)
    ]
    metrics = list(dict.fromkeys(a_totals.metric))
    rows = []
    for metric in metrics:
        values = [w.xs(metric, level="metric") for w in wide]
        for regime in regimes:
            baseline = baselines[regime]
            quantities = [("mean", "", [v[regime] for v in values])]
            if baseline != regime:
                quantities.append(("change", baseline, [v[regime] - v[baseline] for v in values]))
            for quantity, base, (a, b) in quantities:
                if is_paired:  # replication r of each drew the same numbers: over those both ran
                    common = a.index.intersection(b.index)
                    a, b = a[common], b[common]
                    result = paired(a.to_numpy(float), b.to_numpy(float))
                else:
                    result = _welch(a.to_numpy(float), b.to_numpy(float))
                rows.append(
                    {
                        "metric": metric,
                        "regime": regime,
                        "quantity": quantity,
                        "baseline": base,
                        "a": a.mean(),
                        "b": b.mean(),
                        "difference": result["diff_mean"],
                        "ci_low": result["diff_ci_low"],
                        "ci_high": result["diff_ci_high"],
                        "half_width": result["diff_half_width"],
                        "method": "paired" if is_paired else "welch",
                        "replications_a": len(a),
                        "replications_b": len(b),
                    }
                )
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS)


def render_comparison(table: pd.DataFrame, how: str) -> str:
    """The printed comparison: per quantity a table of metric and regime rows, A's and B's mean and B − A [95 % CI]."""
    blocks = [f"B - A, {how}"]
    for quantity, title in (("mean", "Horizon totals, mean per replication"), ("change", "Paired change from the baseline")):
        part = table[table.quantity == quantity]
        if part.empty:
            continue
        rows = {}
        for row in part.itertuples():
            money = row.metric.endswith("_gbp")
            label = row.regime if quantity == "mean" else f"{row.regime} - {row.baseline}"
            rows[(row.metric, label)] = [_value(row.a, money), _value(row.b, money), _difference(row, money)]
        intervals = part[["ci_low", "ci_high"]].notna().to_numpy().any()  # none with one replication a side
        frame = pd.DataFrame.from_dict(rows, orient="index", columns=["A", "B", "B - A [95% CI]" if intervals else "B - A"])
        frame.index = pd.MultiIndex.from_tuples(frame.index)
        blocks += ["", title, frame.to_string()]
    return "\n".join(blocks)


def _value(value: float, money: bool) -> str:
    return pounds(value) if money else f"{value:,.2f}"


def _difference(row: Any, money: bool) -> str:
    if money:
        return pounds_interval(row.difference, row.ci_low, row.ci_high)
    shown = [f"{v:+,.2f}" if v else "0.00" for v in (row.difference, row.ci_low, row.ci_high)]
    return shown[0] + ("" if math.isnan(row.ci_low) else f" [{shown[1]}, {shown[2]}]")
