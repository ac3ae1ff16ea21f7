"""Tests by intent: interfaces. Each chart drawn from a small stored table (tests/data/charts/,
two regimes "old" and "new", two replications, 2018-2019, values chosen so the means are easy
to check by hand) and checked for what it draws: titles, axis labels with units, the number
of series, bar heights and line values, and series told apart without colour."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from scipy import stats

from sim.analysis.payers import collect, summarise_payers
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


def test_assessments_by_type_puts_four_regimes_to_a_row(yearly):
    """A row of 100 regimes' panels made a PNG 37,510 pixels wide (adversarial try): six regimes take two rows."""
    many = pd.concat([yearly.assign(regime=f"{r}-{k}") for k in range(3) for r in REGIMES], ignore_index=True)
    names = [f"{r}-{k}" for k in range(3) for r in REGIMES]
    fig = charts.assessments_by_type(many, SCENARIO, names)
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in shown] == names
    width, height = fig.get_size_inches()
    assert width == pytest.approx(1.0 + 3.4 * 4) and height == pytest.approx(0.6 + 3.8 * 2)
    assert [ax.get_subplotspec().rowspan.start for ax in shown] == [0, 0, 0, 0, 1, 1]
    assert charts.assessments_by_type(yearly, SCENARIO, REGIMES).get_size_inches().tolist() == pytest.approx(
        [7.8, 4.4]
    )  # as before


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


def test_cio_load_panels_say_what_they_show_and_a_peak_year_is_written_off_the_scale():
    waits = {"old": [70.0, 2.0, 3.0, 2.5], "new": [40.0, 1.0, 2.0, 1.0]}
    rows = [
        (regime, 0, year, metric, "all", "all", value)
        for regime, wait in waits.items()
        for year, w in zip(range(2018, 2022), wait, strict=True)
        for metric, value in (("cio_wait_days", w), ("assessments", 1.0), ("cio_utilisation", 0.5))
    ]
    fig = charts.cio_load(pd.DataFrame(rows, columns=table("yearly").columns), SCENARIO, REGIMES)
    utilisation, wait = fig.axes
    assert "utilisation" in utilisation.get_title() and "wait" in wait.get_title()
    assert wait.get_ylim()[1] == pytest.approx(3.0 * 1.35)  # the other years' highest, with room
    assert "off the scale in 2018 ↑\nold: 70.0 days\nnew: 40.0 days" in texts(fig)
    steady = charts.cio_load(table("yearly"), SCENARIO, REGIMES)
    assert "off the scale" not in texts(steady)


def test_ssc_backlog_items_carried_over_per_year_mean_and_most():
    fig = charts.ssc_backlog(table("ssc_meetings"), SCENARIO, REGIMES)
    (ax,) = fig.axes
    assert SCENARIO in ax.get_title() and "year" in ax.get_xlabel() and "items carried over" in ax.get_ylabel()
    old, new = ax.containers
    assert heights(old) == [3.0] and heights(new) == [0.0]  # 2018: replications carried 2 and 4 over; new none
    assert list(ax.lines[0].get_ydata()) == [4.0]  # the most in one replication, a marker where there was any
    assert len(ax.lines[1].get_ydata()) == 0
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "old: after 2 of 6 meetings (33.3%)" in labels and "new: after 0 of 4 meetings (0.0%)" in labels


def test_ssc_backlog_counts_a_replication_without_meetings_when_told_the_replications():
    fig = charts.ssc_backlog(table("ssc_meetings"), SCENARIO, REGIMES, replications=pd.Series({"old": 4, "new": 4}))
    assert heights(fig.axes[0].containers[0]) == [1.5]  # (2 + 4) / 4


def test_ssc_backlog_without_a_meetings_table_draws_each_years_largest_backlog_from_the_yearly_table(yearly):
    """Under --detail-reps 0 the meetings table is empty but the yearly table holds each year's largest backlog
    after a meeting: the chart draws that (mean per replication, the most in one), saying where it came from, rather
    than a blank panel (a newcomer's try found the chart blank for the question it answers)."""
    peaks = pd.DataFrame(
        [("old", 0, 2018, 2.0), ("old", 1, 2018, 4.0), ("old", 0, 2019, 0.0), ("new", 0, 2018, 1.0)],
        columns=["regime", "replication", "year", "value"],
    ).assign(metric="ssc_backlog_max", role="all", type="all")
    none = charts.detail_label(0, 2)
    fig = charts.ssc_backlog(table("ssc_meetings").iloc[0:0], SCENARIO, REGIMES, none, yearly=pd.concat([yearly, peaks]))
    (ax,) = fig.axes
    old, new = ax.containers
    assert heights(old) == [3.0, 0.0] and heights(new) == [0.5, 0.0]  # new: 1 in one of its two replications
    assert list(ax.lines[0].get_ydata()) == [4.0] and list(ax.lines[1].get_ydata()) == [1.0]
    assert none in ax.get_title() and "yearly table" in ax.get_title() and "largest backlog" in ax.get_ylabel()


def test_ssc_backlog_says_when_there_is_none():
    meetings = table("ssc_meetings").assign(backlog_after=0)
    assert "no backlog" in texts(charts.ssc_backlog(meetings, SCENARIO, REGIMES))


def test_late_assessments_over_the_horizon_and_per_year_labelled(yearly):
    fig = charts.late_assessments(yearly, SCENARIO, REGIMES)
    horizon, per_year = fig.axes
    assert SCENARIO in fig.get_suptitle() and "late" in per_year.get_ylabel() and "due" in per_year.get_xlabel()
    late, pushed = horizon.containers
    assert [round(b.get_width(), 9) for b in late] == [1.0, 0.5]  # old (2 + 0) / 2, new (0 + 1) / 2
    assert [t.get_text() for t in horizon.get_yticklabels()] == ["old\n(of 3 due)", "new\n(of 2 due)"]
    old, new = per_year.containers
    assert heights(old) == [0.0, 1.0] and heights(new) == [0.0, 0.5]
    assert old[0].get_hatch() != new[0].get_hatch()
    assert {"1.0", "0.5"} <= {t.get_text() for t in per_year.texts}  # every bar with a value says it
    assert "no late" not in texts(fig)


def test_late_assessments_per_year_labels_a_small_mean_in_two_figures_upright_and_a_regime_with_none(yearly):
    """A mean of 0.03 late a year is labelled "0.03", not "0.0", and the labels stand upright so neighbours do not
    run together ("0.0.0" in a Working Group reader's chart); a regime with none late says so in the legend."""
    rare = yearly.assign(value=yearly.value.where(yearly.metric != "late", yearly.value * 0.06))
    rare.loc[(rare.metric == "late") & (rare.regime == "new"), "value"] = 0
    per_year = charts.late_assessments(rare, SCENARIO, REGIMES).axes[1]
    labels = [t for t in per_year.texts if t.get_text()]
    assert [t.get_text() for t in labels] == ["0.06"] and labels[0].get_rotation() == 90
    assert [t.get_text() for t in per_year.get_legend().get_texts()] == ["old", "new (none late)"]


def test_late_assessments_says_when_there_are_none(yearly):
    quiet = yearly.assign(value=yearly.value.where(yearly.metric != "late", 0))
    assert "no late assessments" in texts(charts.late_assessments(quiet, SCENARIO, REGIMES))


def test_cost_and_saving_lines_and_paired_band_of_the_change(yearly):
    fig = charts.cost_and_saving(yearly, SCENARIO, REGIMES, "GBP, 2018 prices")
    cost, change = fig.axes
    assert SCENARIO in fig.get_suptitle()
    assert "£ thousand" in cost.get_ylabel() and "2018 prices" in cost.get_ylabel()
    assert values(cost) == [pytest.approx([0.12, 0.10]), pytest.approx([0.07, 0.05])]
    mean = change.lines[0]
    # cumulative (new − old), a saving below zero: reps −50,−110 and −50,−90
    assert list(mean.get_ydata()) == pytest.approx([-0.05, -0.10])
    bands = [c for c in change.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 1
    half = stats.t.ppf(0.975, 1) * 10.0 / 1e3  # sd of (110, 90) over sqrt(2) is 10
    band = {(round(x), round(y, 9)) for x, y in bands[0].get_paths()[0].vertices}
    assert {y for x, y in band if x == 2018} == {-0.05}  # both replications saved 50: no width
    assert sorted(y for x, y in band if x == 2019) == pytest.approx([-0.10 - half, -0.10 + half])
    assert "cumulative change" in change.get_ylabel() and "saving" in change.get_ylabel() and "old" in change.get_title()
    assert "−£100" in {t.get_text() for t in change.texts}  # the last year's change, written at its end


def test_cost_and_saving_names_each_pair_once_in_a_legend_outside_both_panels(yearly):
    fig = charts.cost_and_saving(yearly, SCENARIO, REGIMES, "GBP, 2018 prices")
    fig.canvas.draw()  # a constrained layout places the legend when drawn
    legend = fig.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == ["new − old (mean, 95 % band)"]
    box = legend.get_window_extent()
    assert not any(box.overlaps(ax.get_window_extent()) for ax in fig.axes)  # it hid the curves it named


def test_cost_and_saving_without_interval_for_one_replication(yearly):
    fig = charts.cost_and_saving(yearly[yearly.replication == 0], SCENARIO, REGIMES, "GBP")
    assert not [c for c in fig.axes[1].collections if isinstance(c, PolyCollection)]
    assert len(fig.axes[1].lines) >= 1


def test_who_pays_draws_each_payers_change_with_its_interval_on_its_own_scale(yearly):
    payers = summarise_payers(collect({"yearly": yearly}, "", "", 0), REGIMES)
    fig = charts.who_pays(payers, SCENARIO, REGIMES, "GBP, 2018 prices")
    assert SCENARIO in fig.get_suptitle() and "regime − baseline" in fig.get_suptitle()
    panels = [ax for ax in fig.axes if ax.get_title(loc="left")]
    assert [ax.get_title(loc="left") for ax in panels] == ["Suppliers", "SRPs", "SECCo (SECAS, SSC, one-offs)", "all"]
    suppliers, srps = panels[0], panels[1]
    (bar,) = suppliers.containers  # one compared regime: one marker and whisker
    assert bar.lines[0].get_xdata()[0] == pytest.approx(-120.0)  # reps 200 → 70 and 200 → 90: −130 and −110
    assert srps.get_xlim() == pytest.approx((-26.0, 26.0))  # its own scale: ±1.3 × its largest (+20 in both)
    assert suppliers.get_xlim()[1] > 100  # not squeezed onto the SRPs' axis, nor they onto this one
    words = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert any(w.startswith("−£120 [") for w in words) and "+£20 [+£20, +£20]" in words


def test_who_pays_without_a_second_regime_says_so(yearly):
    payers = summarise_payers(collect({"yearly": yearly}, "", "", 0), ["old"])
    assert "one regime only" in texts(charts.who_pays(payers, SCENARIO, ["old"], "GBP"))


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
    assert "crossings per quarter" in fig.get_supylabel() and not any(ax.get_ylabel() for ax in fig.axes)
    up, down = new.containers
    assert heights(up) == [crossings_chart.PARTY_ROWS]  # 20 parties crossing up in 2020 Q3, in both replications
    assert heights(down) == [-crossings_chart.PARTY_ROWS]
    # 80 crossings over the 2 replications; 3 of each party's 4 rows were within 12 months
    assert "40.0 crossings per replication (80 in 2); the next assessment started within 12 months of 75%" in new.get_title(
        loc="right"
    )


def test_threshold_crossings_share_within_12_months_is_of_the_crossings_followed_by_an_assessment():
    """A crossing with no later assessment in the run (the party left, or the horizon ended) says nothing of the
    seed's 12-month question: the share is of those that had one (a Working Group reader counted 62 %, not 81.5 %)."""
    one = table("crossings")
    many = pd.concat([one.assign(party_id=one.party_id + f"-{k}") for k in range(crossings_chart.PARTY_ROWS)], ignore_index=True)
    unfollowed = many.party_id.str.endswith(tuple(f"-{k}" for k in range(5)))
    many.loc[unfollowed, ["next_assessment_type", "next_fieldwork_start", "next_within_12_months"]] = [None, None, False]
    title = charts.threshold_crossings(many, SCENARIO, REGIMES).axes[1].get_title(loc="right")
    assert title.endswith("the next assessment started within 12 months of 75% of the 60 followed by one")


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


def test_threshold_crossings_per_quarter_count_every_replication_when_told_how_many():
    """A replication without a crossing has no row, yet it counts: 80 crossings over 4 replications is 20 each."""
    one = table("crossings")
    many = pd.concat([one.assign(party_id=one.party_id + f"-{k}") for k in range(crossings_chart.PARTY_ROWS)], ignore_index=True)
    fig = charts.threshold_crossings(many, SCENARIO, REGIMES, replications=pd.Series({"old": 4, "new": 4}))
    new = fig.axes[1]
    assert heights(new.containers[0]) == [crossings_chart.PARTY_ROWS / 2]
    assert "20.0 crossings per replication (80 in 4)" in new.get_title(loc="right")
