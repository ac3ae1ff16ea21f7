"""Tests by intent: interfaces. The report as a Working Group member sees it: opened in headless
Chromium, every chart image decodes (naturalWidth > 0), the headline table is there, and the
page fetched nothing beyond itself. A screenshot is saved in the result folder. Skipped where
the Debian ``chromium`` package is missing (CI installs it: .ci/run)."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from sim.cli import main
from sim.reports import charts

from .conftest import FIVE_PARTIES

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian package chromium not installed (.ci/run installs it)")

PROBE = """<script>
window.addEventListener("load", () => {
  const images = [...document.images].map(i => ({alt: i.alt, loaded: i.complete && i.naturalWidth > 0}));
  const headline = document.getElementById("headline");
  const fetched = performance.getEntriesByType("resource").map(e => e.name);
  const answer = document.getElementById("conclusion");
  const first = answer ? answer.firstElementChild.getBoundingClientRect().bottom : 1e9;
  const out = document.createElement("pre");
  out.id = "browser-check";
  out.textContent = JSON.stringify({
    images, headlineRows: headline ? headline.tBodies[0].rows.length : 0, fetched,
    answerOnFirstScreen: first <= window.innerHeight, answer: answer ? answer.innerText : "",
    pageWidth: document.documentElement.scrollWidth, windowWidth: window.innerWidth,
  });
  document.body.appendChild(out);
});
</script>
"""
"""Written into a copy of the report: what the browser found, put into the DOM for --dump-dom."""


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--hide-scrollbars",
    ]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=90, check=True)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    scenario = folder / "scenario.yaml"
    scenario.write_text(yaml.safe_dump({**FIVE_PARTIES, "deterministic": False, "replications": 2}, sort_keys=False))
    out = folder / "results"
    assert main(["run", str(scenario), "--out", str(out), "--quiet"]) == 0
    assert main(["report", str(out)]) == 0
    return out / "report.html"


def probed(page: Path, profile: Path, size: str = "1280,800") -> dict:
    """What the browser found in ``page`` (a copy with the probe written in), at a laptop's 1280 × 800."""
    probe = page.with_name("browser-check.html")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = chromium(profile, f"--window-size={size}", "--virtual-time-budget=10000", "--dump-dom", probe.as_uri()).stdout
    found = re.search(r'<pre id="browser-check">(.*?)</pre>', dom, flags=re.DOTALL)
    assert found, "the probe did not run"
    return json.loads(html.unescape(found.group(1)))


def test_every_image_loads_and_the_headline_table_is_there(report, tmp_path):
    result = probed(report, tmp_path / "profile")
    assert len(result["images"]) == len(charts.CHARTS)
    assert all(image["loaded"] for image in result["images"]), [i["alt"] for i in result["images"] if not i["loaded"]]
    assert result["headlineRows"] == 11
    assert [url for url in result["fetched"] if not url.startswith("data:")] == []


def test_the_answer_is_on_the_first_screen(report, tmp_path):
    result = probed(report, tmp_path / "profile")
    assert result["answerOnFirstScreen"], "the first paragraph of the answer ends below a 1280 × 800 window"
    assert result["answer"].startswith("SECMP0044 (secmp0044) costs") and "Who pays more: SRPs" in result["answer"]


def test_a_narrow_window_never_scrolls_the_page_sideways(report, tmp_path):
    """A table wider than the window (the headline of many regimes) scrolls inside itself; the text stays in view."""
    result = probed(report, tmp_path / "profile", size="640,800")
    assert result["pageWidth"] <= result["windowWidth"], result


def test_a_period_report_loads_the_same_way(report, tmp_path):
    assert main(["report", str(report.parent), "--from", "2019", "--to", "2021"]) == 0
    result = probed(report.with_name("report-2019-2021.html"), tmp_path / "profile")
    assert len(result["images"]) == len(charts.CHARTS) and all(image["loaded"] for image in result["images"])
    assert [url for url in result["fetched"] if not url.startswith("data:")] == [] and result["answerOnFirstScreen"]


def test_screenshot_saved_in_the_result_folder(report, tmp_path):
    shot = report.with_name("report-screenshot.png")
    chromium(tmp_path / "profile", "--window-size=1280,2000", f"--screenshot={shot}", report.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 50_000  # a rendered page with charts, not a blank one
