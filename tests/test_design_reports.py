"""Tests by intent: interfaces. ``secsim report`` on a sweep, a sensitivity analysis (Morris and Sobol') and a
break-even, as a user calls it: one self-contained page each, charts written beside it, money in £m/£k and no
scientific notation, the reading of a point where the User CIO is at full utilisation; and in headless Chromium
(the Debian ``chromium`` package; skipped where it is missing), every image decodes and nothing is fetched."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from sim.designs.folders import kind_of, load

from . import test_browser
from .conftest import FIVE_PARTIES, ROOT, one_line, secsim
from .test_browser import CHROMIUM, chromium

UNCERTAIN = [
    {"path": "costs.cio_day_rate_gbp", "low": 1500, "high": 3500},
    {"path": "durations.srp_scope_days.full", "low": 1, "high": 6},
]
VARIED = {
    **FIVE_PARTIES,
    "parties": [{**p, "copies": 1} if p["id"] == "SUP-S" else p for p in FIVE_PARTIES["parties"]],
    "uncertain": UNCERTAIN,
}


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[str, Path]:
    """A sweep of User CIO teams on shared-resource-example (at 1 team the old regime's CIO is saturated), a Morris
    and a Sobol' analysis and a break-even on the five parties, each with its report."""
    root = tmp_path_factory.mktemp("designs")
    five = root / "five.yaml"
    five.write_text(yaml.safe_dump(VARIED, sort_keys=False))
    shared = ROOT / "scenarios" / "shared-resource-example.yaml"
    runs = {
        "sweep": ["sweep", shared, "--param", "cio.teams=1,3", "--reps", "2"],
        "morris": ["sensitivity", five, "--method", "morris", "--n", "2", "--reps", "1"],
        "sobol": ["sensitivity", five, "--method", "sobol", "--n", "2", "--reps", "1"],
        "breakeven": ["breakeven", five, "--vary", "parties.SUP-S.copies=0:3"],
        "beyond": ["breakeven", five, "--vary", "parties.SUP-S.copies=1:3"],
        "none": ["breakeven", five, "--vary", "parties.SUP-S.copies=2:4", "--no-swing"],
    }
    out = {}
    for name, args in runs.items():
        out[name] = root / name
        assert secsim(*args, "--out", out[name], "--quiet")[0] == 0
        code, err = secsim("report", out[name])
        assert code == 0, err
    return out


def page(folder: Path) -> str:
    return (folder / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["sweep", "morris", "sobol", "breakeven", "beyond", "none"])
def test_each_report_is_one_self_contained_page_with_its_charts(folders, name):
    text = page(folders[name])
    links = re.findall(r"""(?:src|href)\s*=\s*["']?([^"'\s>]*)""", text, flags=re.IGNORECASE)
    assert all(link.startswith(("data:", "#")) for link in links)
    assert not re.search(r"https?://|<script|<link|@import|url\(", text, flags=re.IGNORECASE)
    drawn = sorted(p.stem for p in (folders[name] / "charts").glob("*.png"))
    assert drawn and sorted(p.stem for p in (folders[name] / "charts").glob("*.svg")) == drawn
    assert text.count('src="data:image/png;base64,') == len(drawn)
    visible = re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]+"', "", text))
    assert not re.search(r"\d\.\d+e[+-]\d", visible), "no scientific notation"
    assert "regime − baseline" in html.unescape(visible) and "saving" in visible


def test_the_sweep_report_says_why_the_old_regime_looks_cheaper_at_one_team(folders):
    text = html.unescape(page(folders["sweep"]))
    assert re.search(r"At cio.teams = 1, <b>pre-secmp0044</b> keeps the User CIO busy (9[5-9]|100)\.\d %", text)
    assert "pushed past their due date" in text and "Cost over the horizon" in text
    assert {p.stem for p in (folders["sweep"] / "charts").glob("*.png")} == {"explained-cio.teams", "differences-cio.teams"}
    summary = pd.read_csv(folders["sweep"] / "summary.csv")
    cost = summary.query("metric == 'cost_gbp' and regime == 'secmp0044' and `cio.teams` == 3").iloc[0]
    assert f"−£{abs(cost.diff_mean) / 1e6:.2f}m" in text, "the difference in £m, with a true minus sign"


def test_the_sensitivity_reports_rank_in_pounds_and_shares(folders):
    morris, sobol = html.unescape(page(folders["morris"])), html.unescape(page(folders["sobol"]))
    assert "μ* [95 % half-width]" in morris and re.search(r"£[\d.,]+[mk]? \[±£", morris)
    assert "ST [95 % half-width]" in sobol
    assert (folders["morris"] / "charts" / "morris-cost_gbp.png").is_file()
    assert (folders["sobol"] / "charts" / "sobol-cost_gbp.png").is_file()


def test_the_breakeven_report_answers_in_words(folders):
    text = html.unescape(page(folders["breakeven"]))
    assert "changes sign at parties.SUP-S.copies = 1.22" in text and "secmp0044 saves from 2" in text
    assert "moves it most" in text
    assert {p.stem for p in (folders["breakeven"] / "charts").glob("*.png")} == {
        "breakeven",
        "swing",
        "explained-parties.SUP-S.copies",
    }


def test_a_break_even_moved_out_of_the_range_or_never_reached_is_said_so(folders):
    beyond = html.unescape(page(folders["beyond"]))
    assert re.search(
        r"durations.srp_scope_days.full</code> = 6</td><td>secmp0044 − pre-secmp0044</td><td[^>]*>none in the range", beyond
    )
    assert "out of the range" in beyond and "at one end the curve no longer changes sign in the range" in beyond
    none = html.unescape(page(folders["none"]))
    assert "no sign change in the range: secmp0044 costs less throughout" in none
    assert "No uncertain parameters were swung" in none
    assert sorted(p.stem for p in (folders["none"] / "charts").glob("*.png")) == ["breakeven", "explained-parties.SUP-S.copies"]


def test_a_sweep_folder_from_before_kind_is_still_known(folders, tmp_path):
    folder = tmp_path / "older"
    shutil.copytree(folders["sweep"], folder, ignore=shutil.ignore_patterns("charts", "report.html"))
    manifest = json.loads((folder / "manifest.json").read_text())
    del manifest["kind"], manifest["price_base"]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    assert kind_of(folder) == "sweep"
    older = load(folder)
    assert (older.kind, older.paths, older.price_base) == ("sweep", ["cio.teams"], "GBP, 2018 prices")
    (folder / "manifest.json").write_text("[1, 2]")
    assert kind_of(folder) is None and kind_of(tmp_path / "nowhere") is None


@pytest.mark.parametrize("how", ["no-summary", "columns", "manifest", "unreadable", "empty"])
def test_a_broken_design_folder_is_one_line(folders, tmp_path, how):
    folder = tmp_path / "broken"
    shutil.copytree(folders["breakeven"], folder, ignore=shutil.ignore_patterns("charts", "report.html"))
    if how == "no-summary":
        (folder / "summary.csv").unlink()
        expected = "summary.csv: missing; expected a result folder written by secsim breakeven"
    elif how == "columns":
        pd.read_csv(folder / "swing.csv").drop(columns="rank").to_csv(folder / "swing.csv", index=False)
        expected = "swing.csv: expected columns"
    elif how == "unreadable":
        (folder / "design.csv").write_bytes(b"\xff\xfe\x00bad")
        expected = "design.csv: expected a CSV table written by secsim breakeven, got unreadable text"
    elif how == "empty":
        (folder / "summary.csv").write_text((folder / "summary.csv").read_text().splitlines()[0] + "\n")
        expected = "summary.csv: expected at least one row"
    else:
        manifest = json.loads((folder / "manifest.json").read_text())
        del manifest["replications"]
        (folder / "manifest.json").write_text(json.dumps(manifest))
        expected = "expected the keys secsim breakeven writes; missing replications"
    err = one_line(*secsim("report", folder))
    assert expected in err and not (folder / "report.html").exists()


PROBE = test_browser.PROBE.replace('getElementById("headline")', 'getElementById("answer")').replace(
    "headlineRows:", "answerRows:"
)
"""The run report's probe, counting the rows of the design report's answer table where the run's counts its headline's."""


@pytest.mark.skipif(CHROMIUM is None, reason="Debian package chromium not installed (.ci/run installs it)")
@pytest.mark.parametrize("name", ["sweep", "morris", "breakeven"])
def test_in_a_browser_every_image_decodes_and_nothing_is_fetched(folders, tmp_path, name):
    probe = folders[name] / "browser-check.html"
    probe.write_text(page(folders[name]).replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = chromium(tmp_path / "profile", "--virtual-time-budget=10000", "--dump-dom", probe.as_uri()).stdout
    probe.unlink()
    found = re.search(r'<pre id="browser-check">(.*?)</pre>', dom, flags=re.DOTALL)
    assert found, "the probe did not run"
    result = json.loads(html.unescape(found.group(1)))
    assert result["images"] and all(i["loaded"] for i in result["images"]), result["images"]
    assert result["answerRows"] > 0
    assert [url for url in result["fetched"] if not url.startswith("data:")] == []
