"""Tests by intent: validation and interfaces. SALib, run over a scenario whose dominant parameter is
known, ranks that parameter first by Morris and by Sobol'; a scenario's ``uncertain:`` section is
checked like every other key (one line naming the file, the key and what was expected)."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from sim.cli import main

from .conftest import FIVE_PARTIES, rejected

# Deterministic, so cost is exactly linear in the rates: the CIO day rate (about 300 CIO days)
# outweighs SSC member time (about 130 hours) and the copy charge (about 40 copies) many times over.
KNOWN = {
    **FIVE_PARTIES,
    "uncertain": [
        {"path": "costs.ssc_hour_rate_gbp", "low": 80, "high": 120},
        {"path": "costs.cio_day_rate_gbp", "low": 1500, "high": 3500},
        {"path": "costs.report_copy_gbp", "low": 20, "high": 40},
    ],
}


def _analyse(tmp_path, method: str, n: int) -> pd.DataFrame:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(yaml.safe_dump(KNOWN, sort_keys=False))
    out = tmp_path / method
    assert main(["sensitivity", str(scenario), "--method", method, "--n", str(n), "--out", str(out), "--quiet"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["indices.csv", "manifest.json", "samples.csv"]
    return pd.read_csv(out / "indices.csv")


@pytest.mark.parametrize(("method", "n", "index"), [("morris", 6, "mu_star"), ("sobol", 16, "ST")])
def test_the_dominant_parameter_ranks_first(tmp_path, method, n, index):
    table = _analyse(tmp_path, method, n)
    cost = table[(table.metric == "cost_gbp") & (table["index"] == index)]
    for (regime, output), ranked in cost.groupby(["regime", "output"]):
        first = ranked.sort_values("rank").iloc[0]
        assert first.parameter == "costs.cio_day_rate_gbp", (regime, output, ranked)
        assert first.value > 0 and first.ci_half_width >= 0
    levels = cost[cost.output == "mean"]
    assert set(levels.regime) == {"pre-secmp0044", "secmp0044"}
    assert set(cost[cost.output == "paired_diff"].regime) == {"secmp0044"}
    # the copy charge only exists under SECMP0044 (c): it cannot move the pre-SECMP0044 cost at all
    copies = levels[(levels.parameter == "costs.report_copy_gbp") & (levels.regime == "pre-secmp0044")]
    assert copies.value.abs().max() == pytest.approx(0, abs=1e-9)


BAD = {
    "unknown path": (
        [{"path": "costs.cio_rate", "low": 1, "high": 2}],
        'uncertain[0].path: no key "cio_rate" in costs; did you mean',
    ),
    "not a number": ([{"path": "name", "low": 1, "high": 2}], "uncertain[0].path: expected a path to a number"),
    "empty range": ([{"path": "cio.teams", "low": 3, "high": 3}], "uncertain[0].high: expected a value above low (3), got 3"),
    "invalid end": ([{"path": "cio.teams", "low": 0, "high": 3}], "uncertain[0].low: cio.teams: expected a value >= 1"),
    "unknown key": ([{"path": "cio.teams", "low": 1, "hi": 3}], 'uncertain[0].hi: unknown key; did you mean "high"?'),
    "twice": ([{"path": "cio.teams", "low": 1, "high": 3}] * 2, 'uncertain[1].path: "cio.teams" is listed twice'),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_uncertain_section_is_one_line_exit_2(tmp_path, capsys, case):
    uncertain, expected = BAD[case]
    assert f"s.yaml: {expected}" in rejected(tmp_path, capsys, "sensitivity", [], {**FIVE_PARTIES, "uncertain": uncertain})


@pytest.mark.parametrize(
    ("scenario", "option", "expected"),
    [
        (FIVE_PARTIES, [], "uncertain: expected at least one parameter"),
        (KNOWN, ["--method", "sobol", "--n", "30"], "--n: Sobol' sampling needs a power of 2, got 30"),
        (  # drawn and checked one by one, silently, for minutes
            KNOWN,
            ["--method", "sobol", "--n", "65536"],
            "--n: expected at most 100,000 samples in all, got 327,680 (65,536 x 5, for 3 uncertain parameters)",
        ),
        (KNOWN, ["--n", "25001"], "--n: expected at most 100,000 samples in all, got 100,004 (25,001 x 4, for 3 uncertain"),
    ],
)
def test_nothing_to_analyse_is_one_line_exit_2(tmp_path, capsys, scenario, option, expected):
    assert expected in rejected(tmp_path, capsys, "sensitivity", option, scenario)
