"""Tests by intent: interfaces. Each chart drawn from a small stored table (tests/data/charts/,
two regimes "old" and "new", two replications, 2018-2019, values chosen so the means are easy
to check by hand) and checked for what it draws: titles, axis labels with units, the number
of series, bar heights and line values, and series told apart without colour."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from scipy import stats

from sim.reports import charts, crossings_chart

from .conftest import ROOT

DATA = ROOT / "tests" / "data" / "charts"
SCENARIO = "tiny-fixture"
REGIMES = ["old", "new"]


def table(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"{name}.csv", keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def yearly() -> pd.DataFrame:
    return table("yearly")


def texts(fig) -> str:
    """Every title and text on a figure, for checking what it says."""
    parts = [fig.get_suptitle()] + [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        parts += [ax.get_title(), ax.get_title(loc="left"), ax.get_xlabel(), ax.get_ylabel()]
        parts += [t.get_text() for t in ax.texts]
    return "\n".join(parts)


def values(ax) -> list[list[float]]:
    """The y values of each line on an axes."""
    return [list(line.get_ydata()) for line in ax.lines]


def heights(container) -> list[float]:
    return [round(bar.get_height(), 9) for bar in container]


def distinct_without_colour(lines) -> bool:
    return len({(str(line.get_linestyle()), line.get_marker()) for line in lines}) == len(lines)


def test_assessments_by_type_stacks_types_per_regime_panel(yearly):
    fig = charts.assessments_by_type(yearly, SCENARIO, REGIMES)
    assert SCENARIO in fig.get_suptitle()
    assert [ax.get_title() for ax in fig.axes] == REGIMES
    old, new = fig.axes
    assert "assessments per year" in old.get_ylabel() and "year" in old.get_xlabel()
    assert len(old.containers) == len(new.containers) == 4  # full, verification, self, follow-up
    full, verification, selfs, follow_up = old.containers
    assert heights(full) == [6.0, 3.0]  # (4+1+6+1)/2 and (3+3)/2
    assert heights(follow_up) == [0.0, 0.5]  # a replication without a row counts as zero
    assert [bar.get_y() for bar in follow_up] == [6.0, 3.0]  # stacked on the others
    assert heights(new.containers[1]) == [0.0, 2.0] and heights(new.containers[2]) == [0.0, 1.0]
    assert len({bar.get_hatch() for c in old.containers for bar in c[:1]}) == 4  # hatches, not colour alone


def test_srp_part_assessed_one_line_per_regime(yearly):
    fig = charts.srp_part_assessed(yearly, SCENARIO, REGIMES)
    (ax,) = fig.axes
    assert SCENARIO in ax.get_title()
    assert "SRP part" in ax.get_ylabel()
    assert [line.get_label() for line in ax.lines] == REGIMES
    assert list(ax.lines[0].get_ydata()) == [6.0, 3.0] and list(ax.lines[1].get_ydata()) == [1.0, 1.0]
    assert distinct_without_colour(ax.lines)


def test_cio_load_utilisation_in_percent_and_mean_wait_per_assessment(yearly):
    fig = charts.cio_load(yearly, SCENARIO, REGIMES)
    utilisation, wait = fig.axes
    assert SCENARIO in fig.get_suptitle()
    assert "%" in utilisation.get_ylabel() and "days" in wait.get_ylabel()
    assert values(utilisation) == [pytest.approx([60.0, 30.0]), pytest.approx([40.0, 20.0])]
    # pooled over replications: total wait / assessments started, e.g. old 2018 (50+70)/(5+7)
    assert values(wait) == [pytest.approx([10.0, 11 / 7]), pytest.approx([5.0, 1.0])]
    assert distinct_without_colour(wait.lines)


def test_ssc_backlog_mean_and_max_per_meeting():
    fig = charts.ssc_backlog(table("ssc_meetings"), SCENARIO, REGIMES)
    (ax,) = fig.axes
    assert SCENARIO in ax.get_title() and "meeting" in ax.get_xlabel() and "items" in ax.get_ylabel()
    assert len(ax.lines) == 4  # mean and max for each regime
    old_mean, old_max, new_mean, _ = ax.lines
    assert list(old_mean.get_ydata()) == [3.0, 0.0, 0.0] and list(old_max.get_ydata()) == [4.0, 0.0, 0.0]
    assert list(new_mean.get_ydata()) == [0.0, 0.0]


def test_ssc_backlog_says_when_there_is_none():
    meetings = table("ssc_meetings").assign(backlog_after=0)
    assert "no backlog" in texts(charts.ssc_backlog(meetings, SCENARIO, REGIMES))


def test_late_assessments_grouped_bars(yearly):
    fig = charts.late_assessments(yearly, SCENARIO, REGIMES)
    (ax,) = fig.axes
    assert SCENARIO in ax.get_title() and "late" in ax.get_ylabel() and "due" in ax.get_xlabel()
    old, new = ax.containers
    assert heights(old) == [0.0, 1.0] and heights(new) == [0.0, 0.5]
    assert old[0].get_hatch() != new[0].get_hatch()
    assert "no late" not in texts(fig)


def test_late_assessments_says_when_there_are_none(yearly):
    quiet = yearly.assign(value=yearly.value.where(yearly.metric != "late", 0))
    assert "no late assessments" in texts(charts.late_assessments(quiet, SCENARIO, REGIMES))


def test_cost_and_saving_lines_and_paired_band(yearly):
    fig = charts.cost_and_saving(yearly, SCENARIO, REGIMES, "GBP, 2018 prices")
    cost, saving = fig.axes
    assert SCENARIO in fig.get_suptitle()
    assert "£ thousand" in cost.get_ylabel() and "2018 prices" in cost.get_ylabel()
    assert values(cost) == [pytest.approx([0.12, 0.10]), pytest.approx([0.07, 0.05])]
    mean = saving.lines[0]
    assert list(mean.get_ydata()) == pytest.approx([0.05, 0.10])  # cumulative (old - new): reps 50,110 and 50,90
    bands = [c for c in saving.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 1
    half = stats.t.ppf(0.975, 1) * 10.0 / 1e3  # sd of (110, 90) over sqrt(2) is 10
    band = {(round(x), round(y, 9)) for x, y in bands[0].get_paths()[0].vertices}
    assert {y for x, y in band if x == 2018} == {0.05}  # both replications saved 50: no width
    assert sorted(y for x, y in band if x == 2019) == pytest.approx([0.10 - half, 0.10 + half])
    assert "cumulative saving" in saving.get_ylabel() and "old" in saving.get_title()


def test_cost_and_saving_without_interval_for_one_replication(yearly):
    fig = charts.cost_and_saving(yearly[yearly.replication == 0], SCENARIO, REGIMES, "GBP")
    assert not [c for c in fig.axes[1].collections if isinstance(c, PolyCollection)]
    assert len(fig.axes[1].lines) >= 1


def test_who_pays_stacks_payer_roles(yearly):
    fig = charts.who_pays(yearly, SCENARIO, REGIMES, "GBP, 2018 prices")
    (ax,) = fig.axes
    assert SCENARIO in ax.get_title() and "£ million" in ax.get_ylabel()
    assert [c.get_label() for c in ax.containers] == ["Suppliers", "SRPs", "SECCo (SECAS and SSC time)"]
    suppliers, srps, secco = ([h * 1e6 for h in heights(c)] for c in ax.containers)
    assert (
        suppliers == pytest.approx([200.0, 80.0]) and srps == pytest.approx([0.0, 20.0]) and secco == pytest.approx([20.0, 20.0])
    )
    assert len({c[0].get_hatch() for c in ax.containers}) == 3


def test_threshold_crossings_timeline():
    fig = charts.threshold_crossings(table("crossings"), SCENARIO, REGIMES)
    old, new = fig.axes
    assert SCENARIO in fig.get_suptitle() and "date" in new.get_xlabel()
    assert "no threshold crossings under old" in texts(fig)
    assert [t.get_text() for t in new.get_yticklabels()] == ["SS-01", "SS-09"]
    markers = sorted(line.get_marker() for line in new.lines)
    assert markers == ["^", "v"]
    labels = " ".join(t.get_text() for t in new.texts)
    assert "large→small; next: verification, within 12 m 2/2" in labels
    assert "small→large; next: full, within 12 m 1/2" in labels


def test_threshold_crossings_counted_by_quarter_when_many_parties():
    one = table("crossings")
    many = pd.concat([one.assign(party_id=one.party_id + f"-{k}") for k in range(crossings_chart.PARTY_ROWS)], ignore_index=True)
    fig = charts.threshold_crossings(many, SCENARIO, REGIMES)
    new = fig.axes[1]
    assert "crossings per quarter" in new.get_ylabel()
    up, down = new.containers
    assert heights(up) == [crossings_chart.PARTY_ROWS]  # 20 parties crossing up in 2020 Q3, in both replications
    assert heights(down) == [-crossings_chart.PARTY_ROWS]
    assert "75% of 80 crossings" in new.get_title(loc="right")  # 3 of each party's 4 rows were within 12 months


def test_threshold_crossings_empty_table_is_a_visible_note():
    empty = table("crossings").iloc[0:0]
    fig = charts.threshold_crossings(empty, SCENARIO, REGIMES)
    assert "no threshold crossings in this result set" in texts(fig)
    assert SCENARIO in texts(fig)


@pytest.mark.parametrize(
    "kept,says",
    [
        (0, "not kept for any of the 20 replications (--detail-reps 0)"),
        (2, "the first 2 of 20 replications (--detail-reps 2)"),
        (20, ""),
    ],
)
def test_detail_label_names_the_replications_kept(kept, says):
    label = charts.detail_label(kept, 20)
    assert (says in label) if says else label == ""


def test_per_event_charts_say_which_replications_they_show_under_detail_reps():
    """A chart file may travel without the report: under --detail-reps the backlog and crossing charts
    say themselves that they show a subset, or that the rows were not kept (not that nothing happened)."""
    none, some = charts.detail_label(0, 20), charts.detail_label(2, 20)
    empty_meetings, empty_crossings = table("ssc_meetings").iloc[0:0], table("crossings").iloc[0:0]
    assert none in texts(charts.ssc_backlog(empty_meetings, SCENARIO, REGIMES, none))
    assert "no SSC meetings" not in texts(charts.ssc_backlog(empty_meetings, SCENARIO, REGIMES, none))
    assert none in texts(charts.threshold_crossings(empty_crossings, SCENARIO, REGIMES, none))
    assert some in texts(charts.ssc_backlog(table("ssc_meetings"), SCENARIO, REGIMES, some))
    assert some in texts(charts.threshold_crossings(table("crossings"), SCENARIO, REGIMES, some))
