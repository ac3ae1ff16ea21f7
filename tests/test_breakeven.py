"""Tests by intent: validation (a break-even equals a hand calculation from the cost parameters), rules of the
data (``copies``, paths by party id) and interfaces (``secsim breakeven`` as a user calls it: its result set, its
answer, its one-line mistakes)."""

from __future__ import annotations

import doctest
import json
import math

import pandas as pd
import pytest
import yaml

import sim.analysis.display
import sim.analysis.yearly
import sim.designs.crossing
from sim.designs.breakeven import parse_vary
from sim.designs.crossing import crossing
from sim.experiment.runner import run
from sim.inputs.overrides import PathError, lookup
from sim.inputs.scenario import Scenario, as_data

from .conftest import FIVE_PARTIES, ROOT, one_line, scenario_from, secsim, tree

VARIED = {**FIVE_PARTIES, "parties": [{**p, "copies": 1} if p["id"] == "SUP-S" else p for p in FIVE_PARTIES["parties"]]}


def hand_difference(s: Scenario) -> tuple[float, float]:
    """SECMP0044 − pre-SECMP0044 in cost over the horizon, as ``A + B·N`` for an SRP serving one Large Supplier
    (SUP-L, 300,000 premises) and N Small Suppliers (SUP-S, 100,000 each), all entering on the start, six years,
    deterministic (durations at their means, every status Approved). Returns (A, B).

    Unit costs of one assessment (``sim.model.costs``; c the CIO day rate, p the party day rate, days of fieldwork
    f and report r at the means of their triangles, the SRP part's extra days s, SECAS's admin a, SSC time h per
    hour): a Full that re-assesses the SRP part costs F+ = c(f + r + s) + p·prep + a + h(ssc + ssc_srp) +
    p(srp_prep + srp_response); a Full of the User's own scope F = c(f + r) + p·prep + a + h·ssc; likewise V and S.
    Each SRP assessment under SECMP0044 copies its 3 documents (report, response, SSC outcome; no remediation
    report, all Approved) to each of its N + 1 clients at ``report_copy_gbp`` each (c, G10.7).

    Before SECMP0044 the SRP's aggregate, 300,000 + 100,000·N, is above 250,000, so every client is Full every year
    "as though they were a Large Supplier", each re-assessing the SRP part (seed s.2): 6·(N + 1)·F+.
    Under SECMP0044 the SRP has its own annual assessment, banded on its aggregate, so Full every year (a, Q3):
    6·(F' + 3·(N + 1)·copy), F' its own Full (F unless ``durations.srp_own_fieldwork_days`` or
    ``costs.srp_own_preparation_days`` size it apart). Its clients' entry Fulls of 2018 still cover the SRP part, since it has no status yet to
    rely on (e; DOMAIN.md 4.3); from 2019 they are banded on their own premises (d) and leave the part out: the
    Large Supplier 5·F, each Small Supplier its cycle from year 2, V, S, F, V, S.
    So A = 6F' + 18·copy + 5(F − F+) and B = 18·copy + F + 2V + 2S − 5·F+, and the break-even is N* = −A/B.
    NET-1 and OTH-1 cost the same under both regimes. (The tables hold each cost component to £0.0001, so a
    measured difference agrees with this one to a penny, and a break-even to about 1e-8.)
    """
    c, p, k = s.costs, s.costs.party_day_rate_gbp, s.costs.cio_day_rate_gbp
    d = s.durations
    secas, hour = c.secas_days_per_item * c.secas_day_rate_gbp, c.ssc_hour_rate_gbp

    def own(kind: str, role: str = "supplier") -> float:
        days = d.fieldwork_of(role).of(kind).mean + d.report_days.of(kind).mean
        return k * days + p * c.preparation_of(role).of(kind) + secas + hour * c.ssc_hours_per_item

    full, verification, self_ = own("full"), own("verification"), own("self")
    srp_full = own("full", "srp")  # the SRP's own Full (``srp_own_*``, if the scenario sizes it apart)
    with_srp = (
        full
        + k * d.srp_scope_days.full.mean
        + hour * c.ssc_hours_srp_scope
        + c.secas_days_srp_scope * c.secas_day_rate_gbp
        + p * (c.srp_preparation_days.full + c.srp_response_days)
    )
    copies = 6 * 3 * c.report_copy_gbp
    return 6 * srp_full + copies + 5 * (full - with_srp), copies + full + 2 * verification + 2 * self_ - 5 * with_srp


@pytest.fixture(scope="module")
def found(tmp_path_factory):
    folder = tmp_path_factory.mktemp("breakeven")
    path = folder / "s.yaml"
    data = {**VARIED, "uncertain": [{"path": "costs.cio_day_rate_gbp", "low": 1500, "high": 3500}]}
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    code, err = secsim("breakeven", path, "--vary", "parties.SUP-S.copies=0:4", "--out", folder / "out", "--quiet")
    assert code == 0, err
    return folder / "out", scenario_from(data)


def test_breakeven_equals_the_hand_calculation(found):
    out, s = found
    a, b = hand_difference(s)
    table = pd.read_csv(out / "breakeven.csv")
    shipped = table[table.case == "shipped"].iloc[0]
    assert shipped.breakeven == pytest.approx(-a / b, rel=1e-7)
    assert (shipped.direction, shipped.crossings, shipped.last_before, shipped.first_after) == ("falls", 1, 1, 2)
    assert round(a + b) == 32547, "the worked example's two clients: +£32,547 (tutorial)"
    summary = pd.read_csv(out / "summary.csv").query("case == 'shipped' and metric == 'cost_gbp' and regime == 'secmp0044'")
    assert summary.diff_mean.tolist() == pytest.approx([a + b * n for n in range(5)], abs=0.01)


def test_the_hand_calculation_holds_with_the_srps_own_assessment_sized_apart():
    """The SRP's own Full sized as its part was (``srp_own_*``, a reading the worked example's sign turns on): the
    measured difference for one and for three Small Suppliers is the hand calculation's, to a penny."""
    part = {"full": 3, "verification": 2, "self": 1, "follow_up": 1}
    s = scenario_from(
        VARIED,
        durations={"srp_own_fieldwork_days": part},
        costs={"srp_own_preparation_days": {"full": 5, "verification": 3, "self": 2, "follow_up": 1}},
    )
    a, b = hand_difference(s)
    assert a != pytest.approx(hand_difference(scenario_from(VARIED))[0]), "sized apart, A moves"
    for n in (1, 3):
        costs = run(s.with_({"parties.SUP-S.copies": n}), progress=False).tables["costs"]
        by_regime = costs.groupby("regime").cost_gbp.sum()
        assert by_regime["secmp0044"] - by_regime["pre-secmp0044"] == pytest.approx(a + b * n, abs=0.01)


def test_the_swing_moves_the_breakeven_as_the_hand_calculation_does(found):
    out, s = found
    swing = pd.read_csv(out / "swing.csv").iloc[0]
    ends = [hand_difference(s.with_({"costs.cio_day_rate_gbp": rate})) for rate in (1500.0, 3500.0)]
    assert (swing.parameter, swing["rank"]) == ("costs.cio_day_rate_gbp", 1)
    assert [swing.breakeven_low, swing.breakeven_high] == pytest.approx([-a / b for a, b in ends], rel=1e-7)
    assert swing.swing == pytest.approx(abs(swing.breakeven_high - swing.breakeven_low))


def test_the_result_set_is_tidy_and_secsims_own(found):
    out, _ = found
    assert sorted(p.name for p in out.iterdir()) == [
        "breakeven.csv",
        "design.csv",
        "manifest.json",
        "runs.csv",
        "summary.csv",
        "swing.csv",
    ]
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["kind"], manifest["vary"], manifest["values"], manifest["written_by"]) == (
        "breakeven",
        "parties.SUP-S.copies",
        [0, 1, 2, 3, 4],
        "secsim",
    )
    design = pd.read_csv(out / "design.csv", keep_default_na=False)
    assert list(design.columns) == ["point", "case", "parameter", "parties.SUP-S.copies", "costs.cio_day_rate_gbp"]
    assert design.case.tolist() == ["shipped"] * 5 + ["low"] * 5 + ["high"] * 5


def test_a_deterministic_band_of_zero_width_gives_a_zero_width_interval(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({**VARIED, "replications": 2}, sort_keys=False))
    assert secsim("breakeven", path, "--vary", "parties.SUP-S.copies=1,2", "--out", tmp_path / "o", "--quiet")[0] == 0
    row = pd.read_csv(tmp_path / "o" / "breakeven.csv").iloc[0]
    assert row.ci_low == row.breakeven == row.ci_high


def test_the_answer_is_printed_in_pounds_and_counts(found, tmp_path, capsys):
    out, _ = found
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(VARIED, sort_keys=False))
    assert secsim("breakeven", path, "--vary", "parties.SUP-S.copies=0:3", "--out", tmp_path / "o")[0] == 0
    printed = capsys.readouterr().out
    assert "changes sign at parties.SUP-S.copies = 1.22 (one replication: no interval); secmp0044 saves from 2" in printed
    assert "+£183k at the first value" in printed and "e+0" not in printed


@pytest.mark.parametrize(
    ("x", "mean", "expected"),
    [
        ([0, 1, 2], [-1.0, 1.0, 3.0], ("rises", 0.5, 0.0, 1.0)),
        ([0, 1, 2], [2.0, 0.0, -2.0], ("falls", 1.0, 0.0, 2.0)),
        ([0, 1, 2, 3], [1.0, -1.0, 1.0, -1.0], ("falls", 0.5, 0.0, 1.0)),
        ([0, 1, 2, 3], [0.0, 5.0, 0.0, -1.0], ("falls", 2.0, 1.0, 3.0)),  # the zero where the sign changes, not at 0
    ],
)
def test_crossing_of_a_curve(x, mean, expected):
    found = crossing(x, mean, [math.nan] * len(x), [math.nan] * len(x))
    assert (found.direction, found.breakeven, found.last_before, found.first_after) == expected
    assert math.isnan(found.ci_low) and math.isnan(found.ci_high)


@pytest.mark.parametrize("mean", [[0.0, 0.0, 0.0], [1.0, 0.0, 1.0], [0.0, -1.0, -2.0]], ids=["zero", "touch", "from zero"])
def test_a_curve_that_does_not_change_sign_has_no_break_even(mean):
    """``--metric late`` with no late assessment anywhere was reported as changing sign at the range's first value
    (adversarial review): a zero is a break-even only where the sign changes across it."""
    found = crossing([0, 1, 2], mean, [math.nan] * 3, [math.nan] * 3)
    assert found.crossings == 0 and math.isnan(found.breakeven) and found.direction == ""


def test_no_difference_anywhere_is_said_so():
    from sim.designs.printed import describe

    row = pd.Series({"metric": "late", "regime": "secmp0044", "diff_at_first": 0.0, "diff_at_last": 0.0, "breakeven": math.nan})
    assert describe(row) == "no sign change in the range (0 at the first value, 0 at the last)"


def test_no_crossing_and_an_interval_beyond_the_range():
    assert crossing([0, 1], [1.0, 2.0], [0.5, 1.5], [1.5, 2.5]).crossings == 0
    beyond = crossing([0, 1, 2], [1.0, -1.0, -3.0], [-1.0, -3.0, -5.0], [3.0, 1.0, 0.5])
    assert beyond.ci_low != beyond.ci_low and beyond.ci_high != beyond.ci_high  # the band holds zero at both ends
    assert crossing([0, 1, 2, 3], [1.0, -1.0, 1.0, -1.0], [0.0] * 4, [2.0] * 4).crossings == 3


@pytest.mark.parametrize("module", [sim.designs.crossing, sim.analysis.display, sim.analysis.yearly], ids=lambda m: m.__name__)
def test_the_examples_in_the_docstrings_run(module):
    found = doctest.testmod(module)
    assert found.attempted > 0 and found.failed == 0


def test_vary_reads_ranges_steps_and_lists():
    data = as_data(scenario_from(VARIED))
    assert parse_vary("parties.SUP-S.copies=0:3", data).values == (0, 1, 2, 3)
    assert parse_vary("costs.cio_day_rate_gbp=1000:2000:500", data).values == (1000.0, 1500.0, 2000.0)
    assert parse_vary("parties.SUP-S.premises=200000,50000", data).values == (50000, 200000)


@pytest.mark.parametrize(
    ("vary", "expected"),
    [
        ("parties.SUP-S.copies", "--vary parties.SUP-S.copies: expected PATH=LOW:HIGH"),
        ("costs.cio_day_rate_gbp=1000:2000", "is not a whole number; give a step, LOW:HIGH:STEP"),
        ("parties.SUP-S.copies=3:1", "expected LOW:HIGH or LOW:HIGH:STEP with LOW < HIGH"),
        ("parties.SUP-S.copies=1.5:3", "expected whole numbers, got '1.5'"),
        ("parties.SUP-S.copies=2", "expected at least two values"),
        ("parties.SUP-S.copies=0:5000", "expected at most 1000 values"),
        ("parties.SUP-S.copies=" + ",".join(map(str, range(5001))), "expected at most 1000 values, got 5001"),
        ("parties.SUP-X.copies=0:3", 'expected an index from 0 to 4 or an id of one of its items, got "SUP-X"; did you mean'),
        ("parties.SUP-S.copies=-1:2", "copies: expected a value >= 0"),
        ("regimes.0=1:2", "expected a path to a number"),
    ],
)
def test_a_bad_vary_is_one_line_and_nothing_is_written(tmp_path, vary, expected):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(VARIED, sort_keys=False))
    err = one_line(*secsim("breakeven", path, "--vary", vary, "--out", tmp_path / "o"))
    assert expected in err, err
    assert not (tmp_path / "o").exists()


def test_unknown_metric_and_a_varied_uncertain_parameter_are_one_line(tmp_path):
    path = tmp_path / "s.yaml"
    data = {**VARIED, "uncertain": [{"path": "parties.SUP-S.copies", "low": 0, "high": 3}]}
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    vary = ("--vary", "parties.SUP-S.copies=0:2", "--out", tmp_path / "o")
    assert "--metric: expected one of" in one_line(*secsim("breakeven", path, *vary, "--metric", "costs"))
    assert "is also one of the scenario's uncertain parameters" in one_line(*secsim("breakeven", path, *vary))
    assert secsim("breakeven", path, *vary, "--no-swing", "--quiet")[0] == 0


def test_one_regime_has_nothing_to_break_even_against(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({**VARIED, "regimes": ["secmp0044"]}, sort_keys=False))
    err = one_line(*secsim("breakeven", path, "--vary", "parties.SUP-S.copies=0:1", "--out", tmp_path / "o"))
    assert "regimes: a break-even compares regimes; expected at least two, got 1" in err and not (tmp_path / "o").exists()


def test_breakeven_refuses_an_out_it_did_not_write(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(VARIED, sort_keys=False))
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep")
    before = tree(tmp_path / "mine")
    err = one_line(*secsim("breakeven", path, "--vary", "parties.SUP-S.copies=0:1", "--out", tmp_path / "mine"))
    assert "is not a result folder written by secsim" in err and tree(tmp_path / "mine") == before


def test_copies_make_parties_with_their_own_ids():
    s = scenario_from(VARIED, parties=[*FIVE_PARTIES["parties"][:2], {**FIVE_PARTIES["parties"][2], "copies": 3}])
    assert [p.id for p in s.listed_parties()] == ["SRP-1", "SUP-L", "SUP-S", "SUP-S-2", "SUP-S-3"]
    table = run(s, progress=False).tables["assessments"]
    per_copy = table[table.party_id.str.startswith("SUP-S")].groupby("party_id").cost_gbp.sum()
    assert per_copy.nunique() == 1 and len(per_copy) == 3, "each copy is assessed as the party it copies"
    none = scenario_from(VARIED, parties=[*FIVE_PARTIES["parties"][:2], {**FIVE_PARTIES["parties"][2], "copies": 0}])
    assert [p.id for p in none.listed_parties()] == ["SRP-1", "SUP-L"]


def test_a_scenario_without_copies_keeps_its_hash_and_scenario_json():
    written = scenario_from(VARIED)
    unwritten = scenario_from(FIVE_PARTIES)
    assert written.digest() == unwritten.digest()
    assert all("copies" not in p for p in unwritten.model_dump(mode="json")["parties"])
    two = [{**p, "copies": 2} if p["id"] == "SUP-S" else p for p in FIVE_PARTIES["parties"]]
    assert scenario_from(VARIED, parties=two).digest() != unwritten.digest()


@pytest.mark.parametrize(
    ("parties", "expected"),
    [
        ([{"id": "SRP-1", "role": "srp", "copies": 2}], "parties[0].copies: expected 1: an SRP's clients name it by its id"),
        (
            [{"id": "A", "role": "other", "copies": 2}, {"id": "A-2", "role": "other"}],
            'parties[1].id: duplicate party id "A-2" (also parties[0], one of its 2 copies)',
        ),
        (
            [{"id": "A-2", "role": "other"}, {"id": "A", "role": "other", "copies": 2}],
            'parties[1].copies: copy 2 would have the id "A-2" (also parties[0])',
        ),
        ([{"id": "A" * 63, "role": "other", "copies": 2}], "parties[0].copies: copy 2's id"),
        ([{"id": "A", "role": "other", "copies": 1.5}], "parties[0].copies"),
    ],
)
def test_bad_copies_are_one_line(tmp_path, parties, expected):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({**FIVE_PARTIES, "parties": parties}, sort_keys=False))
    err = one_line(*secsim("validate", path))
    assert expected in err, err


def test_a_path_names_a_party_by_its_id():
    data = as_data(scenario_from(FIVE_PARTIES))
    assert lookup(data, "parties.SUP-S.premises") == lookup(data, "parties.2.premises")
    assert lookup(data, "parties.SUP-S.copies") == 1, "copies is there whether the file writes it or not"
    with pytest.raises(PathError, match='did you mean "SUP-S"'):
        lookup(data, "parties.SUP-Z.premises")
    assert "copies" not in lookup(data, "parties.SRP-1")


def test_the_shipped_break_even_scenario_is_the_worked_example_with_copies():
    s = sim_load("srp-break-even.yaml")
    worked = sim_load("small-supplier-on-large-srp.yaml")
    assert [p.model_dump() for p in s.parties] == [p.model_dump() for p in worked.parties]
    assert {u.path for u in s.uncertain} == {u.path for u in sim_load("shared-resource-example.yaml").uncertain}


def sim_load(name: str) -> Scenario:
    from sim.inputs.scenario import load

    return load(ROOT / "scenarios" / name)
