"""STRESS-DES answers about how this run was made: its experimentation (4), implementation (5) and code access (6)."""

from __future__ import annotations

import math
import shlex

from ..results.result_set import ResultSet
from .formatting import as_written, number


def _n(rs: ResultSet) -> int:
    return int(rs.manifest["replications"])


def initialisation(rs: ResultSet) -> str:
    """STRESS-DES 4.1: how a run starts (its initial state)."""
    m = rs.manifest
    return (
        f"Terminating: the horizon runs from {m['start']} to {m['end']}; bookings stop at the horizon end and "
        "the run continues until every booked assessment has its final status. No warm-up: the system starts "
        "empty (no CIO or SSC queue) with each party's entry Full booked for its entry date, a deterministic "
        "initial condition; parties present at the start all want their entry Full at once, which shows as "
        "first-year booking waits."
    )


def run_length(rs: ResultSet) -> str:
    """STRESS-DES 4.2: the horizon and when a run ends."""
    return (
        f"{rs.scenario['years']} year(s), {rs.manifest['start']} to {rs.manifest['end']}; the model clock is "
        "in days from the scenario start; the yearly tables use calendar years."
    )


def estimation(rs: ResultSet) -> str:
    """STRESS-DES 4.3: replications and the intervals they give."""
    n = _n(rs)
    if n == 1:
        return "One replication per regime: " + (
            "the run is deterministic, so there is no sampling error to estimate."
            if rs.manifest["deterministic"]
            else "no interval can be estimated; more replications are needed for inference."
        )
    summary = rs.tables["summary"]
    cost = summary[(summary.metric == "cost_gbp") & (summary.regime != summary.baseline)]
    precision = "; ".join(
        f"{r.regime} − {r.baseline}: cost difference {number(r.diff_mean, '£')} ± {number((r.diff_ci_high - r.diff_ci_low) / 2, '£')}"
        for r in cost.itertuples()
        if not math.isnan(r.diff_ci_high)
    )
    return (
        f"Multiple independent replications: {n} per regime (root seed {rs.manifest['seed']}), replication r of "
        "every regime on the same random streams (common random numbers), differences summarised by paired 95 % "
        "t intervals. The number of replications was not chosen by a formal procedure (not yet); the precision "
        f"it gives is shown by the interval half-widths{': ' + precision if precision else ''}."
    )


def software(rs: ResultSet) -> str:
    """STRESS-DES 5.1: the software and versions."""
    versions = rs.manifest.get("versions", {})
    listed = ", ".join(f"{k} {v}" for k, v in versions.items())
    platform = rs.manifest.get("machine", {}).get("platform")
    system = f"Operating system: {platform}." if platform else "Operating system and build: not recorded in the manifest."
    return f"Python with SimPy (process-based discrete-event simulation) and: {listed or 'versions not recorded'}. {system}"


def sampling(rs: ResultSet) -> str:
    """STRESS-DES 5.2: the random streams."""
    if rs.manifest["deterministic"]:
        return "Not applicable: a deterministic run draws no random numbers."
    return (
        f"One stream per (root seed {rs.manifest['seed']}, replication, purpose, party), with CRC-32 of purpose "
        "and party: the population from numpy's PCG64 generator seeded by SeedSequence spawn keys; durations, SSC "
        "outcomes and Follow-up delays from Python's Mersenne Twister (random.Random) seeded by the same four "
        "numbers, drawn one uniform at a time for an inverse CDF. The regime is not in the key, so "
        "replication r of every regime sees the same draws (common random numbers); each party's durations are "
        "drawn in a fixed order whether or not the SRP part is in scope, to keep the streams aligned."
    )


def execution(rs: ResultSet) -> str:
    """STRESS-DES 5.3: how the replications were executed."""
    executor = rs.manifest.get("executor")
    where = f"Executor: {executor}." if executor else "The executor is not recorded in the manifest."
    return (
        "SimPy's process-interaction worldview on a next-event time-advance event list. Entities competing for "
        f"a resource are served first come, first served (CIO) or first in, first out (SSC). {where} A replication "
        "is a pure function of (scenario, regime, seed, replication), so the executor does not change the numbers."
    )


def system(rs: ResultSet) -> str:
    """STRESS-DES 5.4: the machine the run was made on."""
    m = rs.manifest
    return (
        f"Wall time {m.get('wall_seconds', 'not recorded')} s for {m['replications']} replication(s) × "
        f"{len(rs.regimes)} regime(s), created {m.get('created_utc', 'at an unrecorded time')}. {_hardware(m)}"
    )


def _hardware(m: dict) -> str:
    machine = m.get("machine")
    if not machine:
        return "Hardware: not recorded in the manifest."
    return (
        f"Hardware: {machine.get('cpu_count')} logical CPU(s), {machine.get('machine')} {machine.get('processor') or ''}".rstrip()
        + "."
    )


def code(rs: ResultSet) -> str:
    """STRESS-DES 6.1: where the code is and how to rerun."""
    m = rs.manifest
    commit = str(m.get("git_commit", "unknown"))
    state = " (with uncommitted changes: not reproducible from the commit alone)" if commit.endswith("+dirty") else ""
    return (
        f"secsim {m.get('versions', {}).get('secsim', '(version not recorded)')}, git commit {commit}{state}. "
        f"Scenario file {m.get('scenario_file') or '(not recorded)'}, content hash {m.get('scenario_hash', '(not recorded)')}; "
        f"the results folder holds scenario.json (every default filled in) and manifest.json. Rerun with `{rerun(rs)}`. "
        "Public repository link and DOI: not yet."
    )


def rerun(rs: ResultSet) -> str:
    """The command that computes these results again: the scenario file, seed and replications, the regimes if the run
    chose some, and every value changed on the command line (``--years``, ``--start``, ``--set``) as it was given."""
    m = rs.manifest
    words = ["secsim", "run", m.get("scenario_file") or "<scenario file>", "--seed", str(m["seed"])]
    words += ["--reps", str(m["replications"])]
    declared = [r if isinstance(r, str) else r.get("name", "") for r in rs.scenario.get("regimes", [])]
    if declared and declared != rs.regimes:
        words += ["--regimes", ",".join(rs.regimes)]
    for o in m.get("overrides", []):
        value = as_written(o["value"])
        words += [o["option"], value] if o["option"] != "--set" else ["--set", f"{o['path']}={value}"]
    return " ".join(shlex.quote(w) for w in words)
