"""Numbers as a reader takes them in: money in £m or £k, counts with separators, shares in per cent; never
scientific notation (``5.28e+06`` is £5.28m).

The unit follows the metric (``unit``): ``cost_gbp`` is money, ``cio_utilisation_mean`` a share, the rest counts
(or days). Signs follow the tables: a difference is regime − baseline, so a saving is negative; ``signed``
writes + on a positive difference. ``minus`` is ``-`` for a terminal and ``−`` (U+2212) for a page.
"""

from __future__ import annotations

import math

import pandas as pd

from .money import pounds, pounds_interval

MONEY = ("cost_gbp", "pv_cost_gbp")
SHARES = ("cio_utilisation_mean",)
UNITS = {"£": "money (GBP)", "share": "share of team-days", "count": "count"}


def unit(metric: str) -> str:
    """``£``, ``share`` or ``count``: how a metric's values are written."""
    return "£" if metric in MONEY or metric.endswith("_gbp") else "share" if metric in SHARES else "count"


def _sign(value: float, signed: bool, minus: str) -> str:
    return minus if value < 0 else "+" if signed and value > 0 else ""


def money(value: float, signed: bool = False, minus: str = "-") -> str:
    """Pounds to three figures, as every page and printout writes them (``sim.analysis.money``).

    >>> money(1_569_833), money(-34_046.7, minus="-"), money(34_046.7, signed=True), money(600), money(1_234_567_890)
    ('£1.57m', '-£34.0k', '+£34.0k', '£600', '£1,235m')
    >>> money(999_999), money(9_999.9), money(float("nan"))
    ('£1.00m', '£10.0k', '—')
    """
    return pounds(value, signed, minus)


def count(value: float, signed: bool = False, minus: str = "-") -> str:
    """A count or a mean of counts to three figures (whole ones whole): ``1,234``, ``106``, ``12.3``, ``1.23``.

    >>> count(1234.0), count(106.0), count(12.34), count(1.2267), count(-0.5, signed=True), count(3.0, signed=True)
    ('1,234', '106', '12.3', '1.23', '-0.5', '+3')
    >>> count(0.004, signed=True), count(-0.0004), count(0.0)
    ('+0.004', '-0.0004', '0')
    """
    if value is None or math.isnan(value):
        return "—"
    size = abs(float(value))
    if size.is_integer() or size >= 99.95:
        text = f"{size:,.0f}"
    else:
        text = (f"{size:.1f}" if size >= 9.995 else f"{size:.2f}").rstrip("0").rstrip(".")
        if text == "0":  # not nothing: one significant figure, never a signed zero
            text = f"{size:.1g}" if size >= 1e-4 else f"{size:.0e}"
    return f"{_sign(value, signed, minus)}{text}"


def share(value: float, signed: bool = False, minus: str = "-") -> str:
    """A share in per cent to one decimal; a difference of shares in percentage points.

    >>> share(0.9991), share(-0.0897, signed=True)
    ('99.9 %', '-9.0 pp')
    """
    if value is None or math.isnan(value):
        return "—"
    return f"{_sign(value, signed, minus)}{abs(value) * 100:.1f} {'pp' if signed else '%'}"


def amount(metric: str, value: float, signed: bool = False, minus: str = "-") -> str:
    """A value of ``metric`` in its unit (``unit``)."""
    writer = {"£": money, "share": share, "count": count}[unit(metric)]
    return writer(value, signed, minus)


def interval(metric: str, mean: float, low: float, high: float, minus: str = "-") -> str:
    """A difference with its 95 % interval, ``-£1.57m [-£1.60m, -£1.54m]``; the difference alone without one.

    >>> interval("cost_gbp", -1_569_000, -1_600_000, -1_538_000)
    '-£1.57m [-£1.60m, -£1.54m]'
    >>> interval("late", 2.0, float("nan"), float("nan"))
    '+2'
    """
    if unit(metric) == "£":
        return pounds_interval(mean, math.nan if low is None else low, math.nan if high is None else high, minus)
    text = amount(metric, mean, True, minus)
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return text
    return f"{text} [{amount(metric, low, True, minus)}, {amount(metric, high, True, minus)}]"


_DIFFERENCES = ("diff_mean", "diff_ci_low", "diff_ci_high", "diff_half_width", "unpaired_half_width")
_LEVELS = ("mean", "sd")


def readable(frame: pd.DataFrame, minus: str = "-") -> pd.DataFrame:
    """A copy of a tidy table with one ``metric`` per row (``summary.csv``, a sweep's, ``indices.csv``), each number
    written in its metric's unit: money in £m/£k, shares in per cent, counts with separators.

    >>> table = pd.DataFrame({"metric": ["cost_gbp", "late"], "mean": [38_243_273.0, 3.4], "diff_mean": [-6.14e6, -1.7]})
    >>> readable(table).to_dict("records")
    [{'metric': 'cost_gbp', 'mean': '£38.2m', 'diff_mean': '-£6.14m'}, {'metric': 'late', 'mean': '3.4', 'diff_mean': '-1.7'}]
    """
    out = frame.copy()
    for column in out.columns:
        if column in _LEVELS or column in _DIFFERENCES:
            signed = column in _DIFFERENCES[:3]
            out[column] = [amount(m, v, signed, minus) for m, v in zip(frame.metric, frame[column], strict=True)]
        elif column in ("value", "ci_half_width") and "index" in frame.columns:
            out[column] = [
                _index_value(m, i, v, minus) for m, i, v in zip(frame.metric, frame["index"], frame[column], strict=True)
            ]
        elif column == "variance_reduction":
            out[column] = [share(v) for v in frame[column]]
    return out


def _index_value(metric: str, index: str, value: float, minus: str) -> str:
    """A sensitivity index: Morris's in the metric's unit, Sobol's a share of the variance to two decimals."""
    if index in ("S1", "ST"):
        return "—" if math.isnan(value) else f"{_sign(value, False, minus)}{abs(value):.2f}"
    return amount(metric, value, index == "mu", minus)
