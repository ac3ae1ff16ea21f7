"""Tests by intent: interfaces and validation. ``secsim report`` as a user calls it on a real
(small, stochastic) result set: one self-contained HTML file with the headline table, present
values at 3.5 % recomputed here by hand, the charts, the assumptions and every STRESS-DES item;
a folder that is not a result set is one line and exit status 2."""

from __future__ import annotations

import contextlib
import html
import inspect
import io
import json
import math
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml
from scipy import stats

import sim as sim_module
from sim.analysis import appraisal, display, money
from sim.cli import main
from sim.reports import answer as answer_module, charts, page
from sim.reports.assumptions import parameters
from sim.reports.stress_des import checklist
from sim.results.result_set import load

from .conftest import FIVE_PARTIES, ROOT

STRESS_DES_ITEMS = [
    "1.1",
    "1.2",
    "1.3",
    "2.1",
    "2.2",
    "2.3",
    "2.4",
    "2.5.1",
    "2.5.2",
    "2.5.3",
    "2.5.4",
    "2.5.5",
    "3.1",
    "3.2",
    "3.3",
    "3.4",
    "4.1",
    "4.2",
    "4.3",
    "5.1",
    "5.2",
    "5.3",
    "5.4",
    "6.1",
]
"""Monks et al. (2019), STRESS-DES v1.0: every item."""


class Tables(HTMLParser):
    """The cell texts of every table with an id, row by row."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._id: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._id = dict(attrs).get("id")
            if self._id:
                self.tables[self._id] = []
        elif tag == "tr" and self._id:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._id].append(self._row)
            self._row = None
        elif tag == "table":
            self._id = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def run_scenario(folder: Path, *options: str, **changes) -> Path:
    data = {**FIVE_PARTIES, **changes}
    path = folder / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    out = folder / "results"
    assert main(["run", str(path), "--out", str(out), "--quiet", *options]) == 0
    return out


@pytest.fixture(scope="module")
def result_set(tmp_path_factory) -> Path:
    """A stochastic run: 3 replications, the CIO at 2 teams (not its default)."""
    return run_scenario(tmp_path_factory.mktemp("report"), deterministic=False, replications=3, cio={"teams": 2})


@pytest.fixture(scope="module")
def report(result_set) -> tuple[str, str]:
    """What ``secsim report`` printed, and the page it wrote."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["report", str(result_set)]) == 0
    return printed.getvalue(), (result_set / "report.html").read_text(encoding="utf-8")


def test_report_is_written_and_its_path_printed(result_set, report):
    assert report[0] == f"report: {result_set / 'report.html'}\n"
    for name in charts.CHARTS:
        assert (result_set / "charts" / f"{name}.png").stat().st_size > 0
        assert (result_set / "charts" / f"{name}.svg").stat().st_size > 0


def test_report_is_self_contained(report):
    _, page = report
    links = re.findall(r"""(?:src|href)\s*=\s*["']?([^"'\s>]*)""", page, flags=re.IGNORECASE)
    assert links, "the page has images and internal links"
    assert all(link.startswith(("data:", "#")) for link in links), [x for x in links if not x.startswith(("data:", "#"))][:3]
    assert not re.search(r"https?://", page)
    assert not re.search(r"<script|<link|@import|url\(", page, flags=re.IGNORECASE)
    assert page.count('src="data:image/png;base64,') == len(charts.CHARTS)


def test_headline_table_per_regime_with_paired_intervals(report, result_set):
    _, page = report
    table = Tables(page).tables["headline"]
    header, rows = table[0], {row[0]: row for row in table[1:]}
    assert header[2:] == ["pre-secmp0044 mean", "secmp0044 mean", "secmp0044 − pre-secmp0044 mean [95 % CI]"]
    for label in (
        "Assessments, all types",
        "… Full",
        "… Verification",
        "… Self-Assessment",
        "… Follow-up",
        "User CIO effort",
        "SSC items reviewed",
        "Late against the 12-month rule",
        "Cost",
        "Present value of cost at 3.5 %",
    ):
        assert label in rows
    summary = pd.read_csv(result_set / "summary.csv").set_index(["metric", "regime"])
    assert rows["Cost"][2] == money.pounds(summary.loc[("cost_gbp", "pre-secmp0044"), "mean"])
    assert re.fullmatch(r"£\d\d\dk", rows["Cost"][2])  # about £0.9m: three significant figures in £k
    assert rows["Assessments, all types"][3] == f"{summary.loc[('assessments_total', 'secmp0044'), 'mean']:,.1f}"
    amount = r"[+−]?£\d+(\.\d+)?[mk]?"
    assert re.fullmatch(rf"{amount} \[{amount}, {amount}\]", rows["Cost"][4])


def test_present_value_at_three_and_a_half_percent_recomputed_by_hand(report, result_set):
    yearly = pd.read_csv(result_set / "yearly.csv")
    cost = yearly[yearly.metric == "cost_gbp"]
    pv = {
        (regime, rep): sum(row.value / 1.035 ** (row.year - 2018) for row in group.itertuples())
        for (regime, rep), group in cost.groupby(["regime", "replication"])
    }
    base = [pv[("pre-secmp0044", r)] for r in range(3)]
    new = [pv[("secmp0044", r)] for r in range(3)]
    diffs = [n - b for n, b in zip(new, base, strict=True)]
    mean = sum(diffs) / 3
    sd = math.sqrt(sum((d - mean) ** 2 for d in diffs) / 2)
    half = stats.t.ppf(0.975, 2) * sd / math.sqrt(3)
    row = {r[0]: r for r in Tables(report[1]).tables["headline"]}["Present value of cost at 3.5 %"]
    assert row[2] == money.pounds(sum(base) / 3, minus="−") and row[3] == money.pounds(sum(new) / 3, minus="−")
    assert row[4] == money.pounds_interval(mean, mean - half, mean + half, minus="−")
    assert "3.5%" in report[1] and "Green Book" in report[1]


def test_present_value_at_zero_rate_is_the_summarys_cost(result_set):
    rs = load(result_set)
    pv = appraisal.present_value_summary(rs.tables["yearly"], rs.regimes, rs.start_year, rate=0.0).set_index("regime")
    cost = rs.tables["summary"].query("metric == 'cost_gbp'").set_index("regime")
    for column in ("mean", "diff_mean", "diff_ci_low", "diff_ci_high"):
        assert pv[column].tolist() == pytest.approx(cost[column].tolist(), nan_ok=True)


def test_every_stress_des_section_and_item(report):
    _, page = report
    for number, section in enumerate(["Objectives", "Logic", "Data", "Experimentation", "Implementation", "Code access"], 1):
        assert f'<h3 id="stress-{number}">{number}. {section}</h3>' in page
    for item in STRESS_DES_ITEMS:
        assert f"<td>{item}</td>" in page, item


def test_assumptions_mark_defaults_and_sources(report):
    rows = {row[0]: row for row in Tables(report[1]).tables["parameters"][1:]}
    assert rows["cio.teams"][1:3] == ["2", "set (default 3)"]
    assert rows["cio.booking_lead_weeks"][2] == "default" and rows["cio.booking_lead_weeks"][3] == "cited"
    assert "[E" in rows["ssc.items_per_meeting"][4]
    assert len(Tables(report[1]).tables["parties"]) == 1 + len(FIVE_PARTIES["parties"])
    assert "SECMP0044 (d)" in report[1]  # regimes.csv references
    assert rows["replications"][2:4] == ["set (default 1)", "the scenario file's comments"]


def test_chart_captions_show_literals_as_code_not_markup(report):
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", report[1], re.S)
    assert len(captions) >= len(charts.CHARTS) - 2 and all("``" not in c for c in captions)
    assert page._prose("a ``literal`` <b>") == "a <code>literal</code> &lt;b&gt;"


def test_chart_captions_are_for_the_reader_not_the_functions_arguments(report):
    """A chart's caption is its function's docstring, less the paragraphs on its arguments (a Working Group reader
    found "detail (detail_label) says which replications ..." under two charts)."""
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", report[1], re.S)
    for name in ("ssc_backlog", "threshold_crossings"):
        assert "detail_label" in (inspect.getdoc(getattr(charts, name)) or "")  # the docstring still says it
    assert captions and not [c for c in captions if "detail_label" in c or "default: those" in c]


def test_a_scenario_without_listed_parties_says_where_its_industry_comes_from():
    from types import SimpleNamespace

    from sim.reports.page import _industry_html

    assert "drawn from the population parameters" in _industry_html(SimpleNamespace(scenario={"parties": []}))


def test_checklist_is_honest_about_a_deterministic_single_replication(tmp_path):
    rs = load(run_scenario(tmp_path))
    items = checklist(rs)
    assert [i.number for i in items] == STRESS_DES_ITEMS
    answers = {i.number: i.answer for i in items}
    assert answers["5.2"].startswith("Not applicable") and "deterministic" in answers["4.3"]
    assert "none in this result set" in answers["1.3"] and "optimisation: not applicable" in answers["1.3"]
    assert "secmp0044 differs from pre-secmp0044 in count_basis" in answers["2.3"]
    assert "logical CPU(s)" in answers["5.4"] and "Operating system:" in answers["5.1"]
    assert not any(p.key == "cio.teams" and not p.is_default for p in parameters(rs.scenario))


@pytest.mark.parametrize(
    "readings,late,held",
    [
        ({}, "next assessment not booked in every regime", "what must be done by the due date: booked in every regime"),
        (
            {"due_requirement": "started", "count_measure": "smart_premises"},
            "next assessment fieldwork not started in every regime",
            "what is counted against the threshold: smart_premises in every regime",
        ),
    ],
)
def test_checklist_states_the_readings_the_run_rests_on(tmp_path, readings, late, held):
    """STRESS-DES 1.2 (what late means) and 3.4 (assumptions) are read from the run's regimes.csv, so they say the
    readings a scenario chose (DOMAIN.md 5.6) rather than one fixed reading."""
    answers = {i.number: i.answer for i in checklist(load(run_scenario(tmp_path, readings=readings, years=2)))}
    assert late in answers["1.2"] and held in answers["3.4"], (answers["1.2"], answers["3.4"])
    assert "the 12-month anchor: status_set in every regime" in answers["3.4"]


@pytest.mark.parametrize(
    "kept,says",
    [
        (0, "kept for none of the 3 replications (--detail-reps 0), so the SSC backlog and threshold-crossing charts are empty"),
        (
            2,
            "kept for the first 2 of the 3 replications (--detail-reps 2), so the SSC backlog "
            "and threshold-crossing charts show those 2",
        ),
    ],
)
def test_report_says_what_the_per_event_charts_cover_under_detail_reps(tmp_path, kept, says):
    out = run_scenario(tmp_path, "--detail-reps", str(kept), deterministic=False, replications=3)
    assert main(["report", str(out)]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert says in " ".join(re.sub(r"<[^>]+>", "", page).split())


def test_report_question_says_when_regimes_chose_a_subset(tmp_path):
    three = {"regimes": ["pre-secmp0044", "secmp0044", "sec-history"], "description": "All three."}
    out = run_scenario(tmp_path, "--regimes", "secmp0044,pre-secmp0044", **three)
    assert main(["report", str(out)]) == 0
    text = " ".join(re.sub(r"<[^>]+>", "", (out / "report.html").read_text(encoding="utf-8")).split())
    assert (
        "All three. (This run compares secmp0044, pre-secmp0044 only, chosen with --regimes; the scenario declares "
        "pre-secmp0044, secmp0044, sec-history.)"
    ) in text


def test_report_has_no_detail_note_when_every_replication_kept_its_rows(report):
    assert "Per-event tables were kept" not in report[1]


def damage(result_set: Path, tmp_path: Path, how: str) -> tuple[Path, str]:
    """A copy of a result set broken one way, and the text the error line must contain."""
    folder = tmp_path / "broken"
    shutil.copytree(result_set, folder, ignore=shutil.ignore_patterns("charts", "report.html", "assessments.csv", "costs.csv"))
    if how == "no-yearly":
        (folder / "yearly.csv").unlink()
        return folder, f"{folder / 'yearly.csv'}: missing"
    if how == "bad-manifest":
        (folder / "manifest.json").write_text("{not json")
        return folder, f"{folder / 'manifest.json'}: expected JSON"
    if how == "manifest-keys":
        (folder / "manifest.json").write_text(json.dumps({"scenario": "x"}))
        return folder, f"{folder / 'manifest.json'}: expected the keys secsim run writes; missing start"
    if how == "yearly-columns":
        pd.read_csv(folder / "yearly.csv").drop(columns="metric").to_csv(folder / "yearly.csv", index=False)
        return folder, f"{folder / 'yearly.csv'}: expected columns"
    if how == "not-a-result-set":
        return ROOT / "scenarios", "scenarios: not a secsim result set (no manifest.json)"
    if how == "a-file":
        return folder / "summary.csv", "summary.csv: not a folder"
    return tmp_path / "nowhere", "nowhere: no such folder"


@pytest.mark.parametrize(
    "how", ["no-yearly", "bad-manifest", "manifest-keys", "yearly-columns", "not-a-result-set", "a-file", "missing"]
)
def test_not_a_result_set_is_one_line_and_exit_2(result_set, tmp_path, capsys, how):
    folder, expected = damage(result_set, tmp_path, how)
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert expected in err and "expected" in err
    assert not (folder / "report.html").exists()


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_parameter_the_report_lists_says_what_it_means(path):
    """The assumptions table's "meaning" comes from the schema's field docstrings: none of a shipped scenario's
    parameters may be left without one (a Working Group member cannot ask the code)."""
    from sim.inputs.scenario import as_data, load as load_scenario

    blank = sorted({re.sub(r"\[\d+\]", "[]", p.key) for p in parameters(as_data(load_scenario(path))) if not p.doc})
    assert not blank, blank


def test_the_answer_comes_first_and_is_computed_from_the_numbers(report, result_set):
    _, page = report
    assert page.index('id="answer"') < page.index('id="question"') < page.index('id="headline"')
    answer = " ".join(
        html.unescape(re.sub(r"<[^>]+>", "", page[page.index('<div id="conclusion">') : page.index("</div>")])).split()
    )
    cost = pd.read_csv(result_set / "summary.csv").query("metric == 'cost_gbp' and regime == 'secmp0044'").iloc[0]
    words = money.saving_words(cost.diff_mean, cost.diff_ci_low, cost.diff_ci_high)
    assert (
        answer.startswith(f"SECMP0044 (secmp0044) {words} ") and "over 2018–2023" in answer and "mean of 3 replications" in answer
    )
    assert "What is counted against 250,000: customers (a reading)" in answer
    assert "Whose premises an SRP's aggregate sums: users (a reading) in pre-secmp0044, secmp0044." in answer
    assert "a negative change in cost is a saving" in page
    assert "Money is in GBP, 2018 prices, undiscounted" in page  # a reader found the price basis only further down


def test_the_answer_says_the_load_on_the_cio_and_the_ssc_and_lateness_and_what_its_intervals_hold(report, result_set):
    """A Working Group reader found the answer said cost alone: the CIO's team-days, the SSC's items, lateness and
    missed mandates sat in a table below, and nothing said the intervals are the replications' spread only."""
    _, page = report
    answer = html.unescape(re.sub(r"<[^>]+>", "", page[page.index('<div id="conclusion">') : page.index("</div>")]))
    summary = pd.read_csv(result_set / "summary.csv").set_index(["metric", "regime"])
    cio, old = summary.loc[("cio_days", "secmp0044")], summary.loc[("cio_days", "pre-secmp0044")]
    said = (
        f"the User CIO's work {display.count(cio.diff_mean, True, '−')} team-days "
        f"[{display.count(cio.diff_ci_low, True, '−')}, {display.count(cio.diff_ci_high, True, '−')}] "
        f"({display.count(old['mean'])} → {display.count(cio['mean'])})"
    )
    assert said in " ".join(answer.split())
    assert "the SSC's items reviewed" in answer and "late against their due date" in answer
    assert "missed their mandate" in answer
    assert "the spread of 3 replications on common random numbers" in answer and "uncertainty of the inputs" in answer


def test_the_answer_names_the_readings_in_the_scenarios_values_an_srps_costs_rest_on(report):
    """The SRPs' line rests on how big an SRP's own assessment and its part in a client's lighter assessments are, and
    on whether the part adds report writing (readings.md's second table): the answer says so, not only the count reading."""
    answer = " ".join(
        html.unescape(re.sub(r"<[^>]+>", "", report[1].split('<div id="conclusion">')[1].split("</div>")[0])).split()
    )
    assert (
        "It rests too on three readings in the scenario's values: an SRP's own assessment sized as any User's, and its part "
        "in a client's assessment (before SECMP0044, or where a client cannot rely on its SRP) sized by the client's "
        "assessment type and with no report writing of its own" in answer
    )
    written = {"durations": {"srp_scope_report_days": {"full": {"dist": "triangular", "low": 0, "mode": 1, "high": 2}}}}
    assert "and with report writing of its own (durations.srp_scope_report_days)" in answer_module.value_readings(
        {"parties": [{"id": "SRP-1", "role": "srp"}], **written}
    )
    assert answer_module.value_readings({"parties": [{"id": "SUP-1", "role": "supplier"}]}) == ""
    assert "SRPs gain" not in answer  # explicit parties: no estimate of how many SRPs
    generated = answer_module.value_readings({"population": {"srps": {"count": 4}}})
    assert generated.endswith(
        "The generated industry's 4 SRPs (population.srps, an estimate) decide too whether SRPs gain: the fewer Users an "
        "SRP has, the more its own assessment costs it against its part in theirs."
    )


def test_who_pays_per_regime_and_as_the_paired_change(report, result_set):
    tables = Tables(report[1]).tables
    payers = pd.read_csv(result_set / "payers.csv", keep_default_na=False, na_values=[""]).set_index(
        ["grouping", "group", "regime"]
    )
    by_role = {row[0]: row for row in tables["payers-payer"][1:]}
    assert list(by_role) == ["Suppliers", "Network Parties", "Other Users", "SRPs", "SECCo (SECAS, SSC, one-offs)", "all"]
    srp = payers.loc[("payer", "srp", "secmp0044")]
    assert by_role["SRPs"][2] == money.pounds(srp["mean"], minus="−")
    assert by_role["SRPs"][3] == money.pounds_interval(srp.diff_mean, srp.diff_ci_low, srp.diff_ci_high, minus="−")
    assert [row[0] for row in tables["payers-size"][1:]][:2] == ["Large", "Small"]


@pytest.mark.parametrize(("diff", "says"), [(1.91e6, "costs £1.91m more [95 % CI £1.79m, £2.02m] than"), (-1e6, "saves £1.00m")])
def test_the_answer_says_the_history_without_secmp0044_is_the_secs_other_changes_not_secmp0044(diff, says):
    """gb-baseline's middle pair (the history without SECMP0044 against the rules before it) is not about SECMP0044,
    which a Working Group reader could not tell: its sentence says so first."""
    from sim.analysis.conclusion import conclusion

    low, high = (1.79e6, 2.02e6) if diff > 0 else (-1.1e6, -0.9e6)
    summary = pd.DataFrame(
        [
            ("cost_gbp", "pre-secmp0044", 42.1e6, 30, "pre-secmp0044", math.nan, math.nan, math.nan),
            ("cost_gbp", "sec-history-without-secmp0044", 42.1e6 + diff, 30, "pre-secmp0044", diff, low, high),
        ],
        columns=["metric", "regime", "mean", "replications", "baseline", "diff_mean", "diff_ci_low", "diff_ci_high"],
    )
    payers = pd.DataFrame(columns=["grouping", "group", "regime", "diff_mean", "diff_ci_low", "diff_ci_high"])
    first = conclusion(summary, payers, (2017, 2027))[0]
    assert first.startswith(
        "The SEC's other changes, not SECMP0044: the dated SEC history without it (sec-history-without-secmp0044) " + says
    )


def test_the_answer_agrees_its_verb_with_a_plural_regime():
    """Compared with a baseline, "the rules before SECMP0044" take a plural verb (an adversarial try read "the rules
    before SECMP0044 (pre-secmp0044) saves £125k")."""
    from sim.analysis.conclusion import conclusion

    summary = pd.DataFrame(
        [
            ("cost_gbp", "sec-history", 1.0e6, 2, "sec-history", math.nan, math.nan, math.nan),
            ("cost_gbp", "pre-secmp0044", 0.875e6, 2, "sec-history", -125e3, -150e3, -100e3),
        ],
        columns=["metric", "regime", "mean", "replications", "baseline", "diff_mean", "diff_ci_low", "diff_ci_high"],
    )
    payers = pd.DataFrame(columns=["grouping", "group", "regime", "diff_mean", "diff_ci_low", "diff_ci_high"])
    first = conclusion(summary, payers, (2017, 2027))[0]
    assert first.startswith("The rules before SECMP0044 (pre-secmp0044) save £125k [95 % CI £100k, £150k] against")


def test_the_answer_says_what_late_counts_once_not_in_every_paragraph():
    """gb-baseline's answer has three paragraphs of regimes; the definition of "late" (what the rule asks by the due
    date, and that parties plan to meet it) is said in the first, where a reader meets it, and not again."""
    from sim.analysis.conclusion import LATE_MEANS, conclusion

    rows = []
    for regime, cost in (("pre-secmp0044", 1.0e6), ("secmp0044", 0.9e6), ("sec-history", 0.95e6)):
        baseline, diff = "pre-secmp0044", (math.nan if regime == "pre-secmp0044" else cost - 1.0e6)
        rows += [("cost_gbp", regime, cost, 2, baseline, diff, diff - 1, diff + 1), ("late", regime, 1.0, 2, baseline, 0.0, 0, 0)]
    summary = pd.DataFrame(
        rows, columns=["metric", "regime", "mean", "replications", "baseline", "diff_mean", "diff_ci_low", "diff_ci_high"]
    )
    payers = pd.DataFrame(columns=["grouping", "group", "regime", "diff_mean", "diff_ci_low", "diff_ci_high"])
    first, second, *_ = conclusion(summary, payers, (2017, 2027))
    assert f"assessments late against their due date{LATE_MEANS} unchanged (1)" in first
    assert "assessments late against their due date unchanged (1)" in second and LATE_MEANS not in second


def test_the_answer_writes_a_true_minus_for_numbers_only_never_inside_a_regime_name():
    said = "v.-12 (sec-history-without) saves -£1.2m [-1,939, -1,722] (-3.47 → 2019-09-26); x-1"
    assert (
        answer_module._NEGATIVE.sub("−", said)
        == "v.-12 (sec-history-without) saves −£1.2m [−1,939, −1,722] (−3.47 → 2019-09-26); x-1"
    )


def test_the_answer_says_a_deterministic_scenarios_intervals_are_points():
    """Every replication of a deterministic scenario is the same: its intervals are points, not 'the model's own
    chance' (the review of the ninth session's change)."""
    from sim.analysis.conclusion import conclusion

    from .conftest import scenario_from

    result = sim_module.run(scenario_from(FIVE_PARTIES), reps=2, progress=False)
    said = " ".join(conclusion(result.summary, result.payers, (2018, 2023)))
    assert "Every one of the 2 replications gave the same numbers (a deterministic scenario), so the intervals are points" in said
    assert "the model's own chance" not in said
