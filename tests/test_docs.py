"""Tests by intent: interfaces. The documentation cannot drift from the code: the reference names every
scenario key and every output column, and every page's commands and code run as a user would run them —
each ``console`` block's commands with their output compared with what is shown, each ``sh`` block's
``secsim`` commands (with few replications), each ``python`` block, each ``pycon`` session (as doctest, output compared), and each scenario file or fragment
(``yaml``) validated — in a scratch folder beside the shipped scenarios."""

from __future__ import annotations

import contextlib
import doctest
import io
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from sim.analysis.payers import GROUPS, PAYER_COLUMNS
from sim.analysis.summary import SUMMARY_COLUMNS
from sim.analysis.tables import ASSESSMENT_COLUMNS, COST_COLUMNS, CROSSING_COLUMNS, ITEM_COLUMNS, MEETING_COLUMNS, YEARLY_COLUMNS
from sim.cli import main
from sim.designs.breakeven import BREAKEVEN_COLUMNS, SWING_COLUMNS
from sim.inputs.scenario import Scenario, load, load_text

from .conftest import ROOT

SNAPSHOTS = {"DOMAIN.md", "DESIGN.md", "CALIBRATION.md"}
PAGES = sorted(
    [
        ROOT / "README.md",
        *(p for p in (ROOT / "docs").rglob("*.md") if p.name not in SNAPSHOTS and p != ROOT / "docs" / "README.md"),
    ]
)
SCENARIO_REFERENCE = (ROOT / "docs" / "reference" / "scenario.md").read_text()
OUTPUT_REFERENCE = (ROOT / "docs" / "reference" / "outputs.md").read_text()
FEW = {
    "run": ["--reps", "2", "--quiet"],
    "sweep": ["--reps", "1", "--quiet"],
    "sensitivity": ["--n", "2", "--reps", "1", "--quiet"],
}
"""What each subcommand's run in the docs is given, after the page's own options (the last of an option wins)."""


def _keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    out = []
    for name, field in model.model_fields.items():
        key = prefix + (field.alias or name)
        out.append(key)
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel) and prefix == "":
            out += _keys(annotation, key + ".")
    return out


@pytest.mark.parametrize("key", _keys(Scenario))
def test_every_scenario_key_is_documented(key):
    assert f"`{key}`" in SCENARIO_REFERENCE or re.search(rf"`[^`]*\b{re.escape(key)}\b[^`]*`", SCENARIO_REFERENCE), key


@pytest.mark.parametrize(
    "column",
    sorted(
        set(
            ASSESSMENT_COLUMNS
            + MEETING_COLUMNS
            + ITEM_COLUMNS
            + COST_COLUMNS
            + CROSSING_COLUMNS
            + YEARLY_COLUMNS
            + SUMMARY_COLUMNS
            + BREAKEVEN_COLUMNS
            + SWING_COLUMNS
            + PAYER_COLUMNS
        )
    ),
)
def test_every_output_column_is_documented(column):
    assert re.search(rf"\b{re.escape(column)}\b", OUTPUT_REFERENCE), column


@pytest.mark.parametrize("group", sorted({g for groups in GROUPS.values() for g in groups} | set(GROUPS)))
def test_every_payer_grouping_and_group_is_documented(group):
    assert f"`{group}`" in OUTPUT_REFERENCE, group


def blocks(page: Path) -> list[tuple[str, str, int]]:
    """The page's fenced code blocks: (info string, body, line of the opening fence)."""
    text = page.read_text()
    return [
        (m.group(1), m.group(2), text[: m.start()].count("\n") + 1)
        for m in re.finditer(r"^```(\w*)\n(.*?)^```", text, re.S | re.M)
    ]


def _secsim(argv: list[str]) -> tuple[int, str]:
    """The command run in this process, as a user runs it; its status and what it printed (stdout, then stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as stop:  # argparse's --help and usage errors
            code = int(stop.code or 0)
    return code, out.getvalue() + err.getvalue()


def _normal(text: str) -> str:
    """What a run may print differently on another machine: its wall time."""
    return re.sub(r", \d+\.\d s$", ", N s", text.rstrip(), flags=re.M)


def _console(body: str, where: str) -> None:
    commands = re.split(r"(?m)^\$ ", body)[1:]
    for chunk in commands:
        command, _, expected = chunk.partition("\n")
        if command.startswith("secsim "):
            _, printed = _secsim(shlex.split(command)[1:])
        else:
            printed = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=60).stdout
        assert _normal(printed) == _normal(expected), f"{where}: `{command}` printed\n{printed}"


def _sh(body: str, where: str) -> None:
    for line in body.splitlines():
        command = line.split(" #")[0].strip()
        if not command or command.startswith("#"):
            continue
        argv = shlex.split(command)
        assert argv[0] == "secsim", f"{where}: a sh block holds secsim commands (use a text block for others): {command}"
        extra = FEW.get(argv[1], [])
        if argv[1] in ("sweep", "sensitivity") and "--cache" not in argv:
            extra = [*extra, "--no-cache"]
        if "--precision" in argv:
            extra = [*extra, "--max-reps", "4"]
        code, printed = _secsim([*argv[1:], *extra])
        assert code == 0, f"{where}: `{command}` ended with status {code}:\n{printed}"


def _pycon(body: str, where: str) -> None:
    """An interactive session (``>>>``), run by doctest: each output as shown."""
    test = doctest.DocTestParser().get_doctest(body, {"__name__": "__docs__"}, where, where, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report = io.StringIO()
    runner.run(test, out=report.write)
    assert not runner.failures, f"{where}:\n{report.getvalue()}"


def _yaml(body: str, where: str) -> None:
    first = body.splitlines()[0]
    if first.startswith("# file: "):
        path = Path(first.removeprefix("# file: ").strip())
        path.write_text(body)
        load(path)
        return
    data = yaml.safe_load(body)
    if not {"name", "start"} <= set(data):  # a fragment: it must fit the five-party scenario
        data = {**yaml.safe_load((ROOT / "scenarios" / "small-supplier-on-large-srp.yaml").read_text()), **data}
    load_text(yaml.safe_dump(data), where, Path.cwd())


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_block_of_the_page_runs(page, tmp_path, monkeypatch):
    """The page's blocks in order, in a scratch folder holding the scenarios, as a reader following it would."""
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "100")  # argparse's --help wraps to the terminal
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for kind, body, line in blocks(page):
        where = f"{page.relative_to(ROOT)}:{line}"
        if kind == "console":
            _console(body, where)
        elif kind == "sh":
            _sh(body, where)
        elif kind == "python":
            exec(compile(body, where, "exec"), {"__name__": "__docs__"})  # noqa: S102 - the docs' own examples
        elif kind == "yaml":
            _yaml(body, where)
        elif kind == "pycon":
            _pycon(body, where)
        else:
            assert kind == "text", f"{where}: a block is console, sh, python, pycon, yaml or text (not run), got {kind or 'none'}"


def test_the_docs_link_to_pages_that_exist():
    for page in PAGES:
        for target in re.findall(r"\]\(([^)#]+\.(?:md|txt))(?:#[^)]*)?\)", page.read_text()):
            if not target.startswith("http"):
                assert (page.parent / target).resolve().exists(), f"{page.relative_to(ROOT)} links to {target}"


def test_the_readme_stays_short():
    assert len((ROOT / "README.md").read_text().splitlines()) <= 160, "the README: two commands, one example, where to go"


def test_the_version_is_the_same_everywhere():
    """The changelog's latest entry and CITATION.cff name the version the package reports (and every manifest records)."""
    from sim import __version__

    latest = re.search(r"^## \[(\d+\.\d+\.\d+)\]", (ROOT / "CHANGELOG.md").read_text(), re.M)
    assert latest and latest.group(1) == __version__, "CHANGELOG.md: a section for the version sim/core/version.py names"
    assert yaml.safe_load((ROOT / "CITATION.cff").read_text())["version"] == __version__, "CITATION.cff: version"


os.environ.setdefault("COLUMNS", "100")
