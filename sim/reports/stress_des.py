"""The STRESS-DES checklist, filled from a result set.

Monks T, Currie CSM, Onggo BS, Robinson S, Kunc M, Taylor SJE (2019). Strengthening the
reporting of empirical simulation studies: introducing the STRESS guidelines. Journal of
Simulation 13(1):55-67, doi:10.1080/17477778.2018.1442155. All items of STRESS-DES v1.0, in
its six sections. Each answer comes from the run's scenario, manifest, regimes and summary;
where this project has nothing to say yet it says "not yet", where an item does not apply it
says "not applicable", and what the manifest does not record is called unrecorded.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from ..results.result_set import ResultSet
from . import stress_des_run as run
from .assumptions import Parameter, parameters, render

SECTIONS = ("Objectives", "Logic", "Data", "Experimentation", "Implementation", "Code access")


@dataclass(frozen=True)
class Item:
    """One STRESS-DES checklist item and its answer from this run."""

    section: str
    number: str
    title: str
    answer: str


def _n(rs: ResultSet) -> int:
    return int(rs.manifest["replications"])


def _baseline(rs: ResultSet) -> str:
    """The baselines differences are taken from: the first regime, or as the scenario's ``baselines`` says."""
    pairs = [f"{r} against {rs.baselines[r]}" for r in rs.compared]
    first = rs.regimes[0]
    if all(rs.baselines[r] == first for r in rs.compared):
        return first
    return f"each regime's own ({'; '.join(pairs)})"


def _roles(rs: ResultSet) -> str:
    counts = Counter(p["role"] for p in rs.scenario.get("parties", []))
    return ", ".join(f"{counts[r]} {r}" for r in ("supplier", "network", "other", "srp") if counts[r]) or "none listed"


_REQUIREMENT = {"booked": "not booked", "started": "fieldwork not started", "completed": "fieldwork not ended"}
"""What makes an assessment late under each ``due_requirement`` (DOMAIN.md 5.6): what is missing by the due date."""


def _held(rs: ResultSet, parameter: str, words: dict[str, str] | None = None) -> str:
    """A regime parameter's values over the horizon, from the result's own regimes.csv: ``booked in every regime``
    or ``status_set (pre-secmp0044); status_set, fieldwork_end from 2019-08-01 (sec-history)``."""
    table = rs.tables["regimes"]
    start = rs.manifest["start"]
    held: dict[str, list[str]] = {}
    for regime in rs.regimes:
        rows = table[(table.regime == regime) & (table.parameter == parameter)].sort_values("from", kind="stable")
        entries = rows.to_dict("records")
        in_force = [e for e in entries if e["from"] <= start][-1:]  # the value at the start, then each later change
        parts = []
        for e in [*in_force, *(e for e in entries if e["from"] > start)]:
            value = str(e["value"]).strip('"')
            value = (words or {}).get(value, value)
            parts.append(value if e["from"] <= start else f"{value} from {e['from']}")
        held.setdefault(", ".join(parts), []).append(regime)
    if len(held) == 1:
        return f"{next(iter(held))} in every regime"
    return "; ".join(f"{values} ({', '.join(regimes)})" for values, regimes in held.items())


def _purpose(rs: ResultSet) -> str:
    question = rs.scenario.get("description") or "no description given in the scenario"
    return (
        "secsim simulates GB Smart Energy Code User Security Assessments (SEC G8): Users and Shared Resource "
        "Providers booked onto a finite User CIO, reviewed at Security Sub-Committee meetings, late or on time "
        "against the 12-month rule, and what it costs, to compare regimes on the same industry (before "
        f"SECMP0044, SECMP0044, the dated SEC history, analysts' variants). This scenario ({rs.name}): {question}"
    )


def _outputs(rs: ResultSet) -> str:
    n = _n(rs)
    interval = (
        "With one replication no interval is computed."
        if n == 1
        else f"Uncertainty: for each regime against {_baseline(rs)}, the difference is taken replication by "
        "replication (common random numbers) and summarised as mean ± t(0.975, n−1)·sd/√n, "
        f"a paired 95 % t interval over n = {n}."
    )
    return (
        "Recorded per assessment, SSC item, SSC meeting, cost component and threshold crossing, and per calendar "
        "year: assessments and CIO days by role and type (fieldwork-start year); assessments of the SRP part; "
        "due and late assessments (due-date year; late = the due date passes with the next assessment "
        f"{_held(rs, 'due_requirement', _REQUIREMENT)}); cost by payer role (fieldwork-start year); CIO utilisation = team-days busy / team-days "
        "available; booking wait = fieldwork start − requested start; SSC items reviewed and backlog. Headline "
        "figures are sums over the horizon's calendar years, averaged over replications; present value "
        f"PV = Σ_y cost_y / 1.035^(y − {rs.start_year}). {interval}"
    )


def _aims(rs: ResultSet) -> str:
    regimes = "; ".join(
        f"{r['name']} ({r.get('title', r['name'])}, built from {' → '.join(r.get('lineage', []))})"
        for r in rs.manifest["regimes"]
    )
    return (
        f"(A) Scenario-based analysis: {len(rs.regimes)} regime(s) on the same industry: {regimes}. The baseline, "
        f"from which every difference is taken, is {_baseline(rs)}. (B) Design of experiments: none in this "
        "result set (parameter sweeps and SALib sensitivity analyses are run by secsim sweep and secsim "
        "sensitivity into result sets of their own). (C) Simulation optimisation: "
        "not applicable."
    )


def _diagram(rs: ResultSet) -> str:
    s = rs.scenario
    return (
        f"Process flow of one party (a text diagram; no drawn diagram yet): entry date → booking at least "
        f"{s['cio']['booking_lead_weeks']:g} weeks ahead, type ascertained (G8.49) → queue for one of "
        f"{s['cio']['teams']} User CIO teams → fieldwork and report writing → management response → queue for an "
        f"SSC meeting (days {', '.join(map(str, s['ssc']['meeting_days']))} of each month, at most "
        f"{s['ssc']['items_per_meeting']} items) → assurance status → a Follow-up if Deferred or Rejected (G8.34); "
        "whatever the status, the next annual assessment, due the rules' due_months (12 in the SEC; a variant's "
        "srp_interval_months for an SRP's own) from the date they count from (G8.40/G8.41, SCF). Module flow: DESIGN.md."
    )


def _logic(rs: ResultSet) -> str:
    return (
        "Each party is a SimPy process. Its initial Full is booked for its entry date; afterwards the 12-month "
        "window runs from the anchor its regime names (status set, G8.41; fieldwork end, SCF v1.16) and the "
        f"party aims to start (or finish, under 'completed' rules) {rs.scenario['scheduling']['margin_days']:g} "
        "days early; late is judged on what the regime's due_requirement names by the due date (booked, started "
        "or completed), and fieldwork the CIO's queue pushes past it is counted apart (pushed_past_due). The type follows the band's cycle (after a Full, the band's cycle from year 2; a band "
        "change reads the new band's cycle at the same position). A CIO team is held for fieldwork plus report "
        "writing (working days × 7/5 calendar days); the SRP-provided part, when in scope, adds fieldwork days. "
        "Before SECMP0044 an SRP's part is assessed inside every client's assessment; under SECMP0044 the SRP has "
        "its own assessment, copies its documents to its Users and its clients rely on its status (e). "
        "docs/explanation/model.md gives the whole logic."
    )


def _scenario_logic(rs: ResultSet) -> str:
    regimes = rs.tables["regimes"]

    def values(name: str) -> dict[str, list[tuple[str, str]]]:
        """Each parameter's changes of value in force (a restated, unchanged value is no change)."""
        out: dict[str, list[tuple[str, str]]] = {}
        for parameter, g in regimes[regimes.regime == name].sort_values("from").groupby("parameter"):
            steps: list[tuple[str, str]] = []
            for on, value in zip(g["from"].astype(str), g["value"].astype(str), strict=True):
                if not steps or steps[-1][1] != value:
                    steps.append((on, value))
            out[parameter] = steps
        return out

    parts = []
    for regime in rs.compared:
        baseline = rs.baselines[regime]
        base, other = values(baseline), values(regime)
        changed = sorted(p for p in base.keys() | other.keys() if base.get(p) != other.get(p))
        parts.append(
            f"{regime} differs from {baseline} in {', '.join(changed)}"
            if changed
            else f"{regime} has the same parameters as {baseline}"
        )
    if not parts:
        return "Not applicable: one regime only."
    return (
        "The model logic is the same for every regime; regimes differ only in dated parameters. "
        + "; ".join(parts)
        + ". Values, dates in force and SEC references: 'Regimes in force' above."
    )


ALGORITHMS = (
    "The SEC decisions are pure functions (sim/law/rules.py, one named test per clause): the nature of the next "
    "assessment from role, band and cycle position when it is ascertained (booking, G8.49); the premises "
    "counted (own, or the SRP aggregate before SECMP0044 (d)); whether the SRP part is in scope "
    "(SECMP0044 (e)); the due date (anchor plus due_months calendar months); lateness. An SSC item is "
    "eligible at the first meeting at least the papers lead time after submission. Threshold crossings are "
    "found exactly at the steps of each party's premises step function and at regime change dates "
    "(sim/analysis/crossings.py)."
)


def _entities(rs: ResultSet) -> str:
    generated = "; and a generated population" if rs.scenario.get("population") else ""
    return (
        f"Parties ({len(rs.scenario.get('parties', []))} listed: {_roles(rs)}{generated}), with role, own and non-domestic "
        "premises as step functions of time, SRP, entry and exit dates (an SRP's premises are its active clients' "
        "sum). Assessments, with type, band, premises counted, SRP scope, dates of determination, fieldwork, "
        "report, submission and status, due date, lateness, CIO days and cost: the columns of assessments.csv "
        "(docs/reference/outputs.md)."
    )


def _activities(rs: ResultSet) -> str:
    delay = rs.scenario["durations"]["follow_up_delay_days"]
    return (
        "Booking (a delay until the requested start); CIO fieldwork and report writing (holding a team); the "
        "party's management response (a delay); SSC review (waiting for a meeting with room); a Follow-up booked "
        f"after a Deferred or Rejected status (delay {render(delay)} days), routed back to the CIO. Durations: "
        "'Scenario parameters' above."
    )


def _resources(rs: ResultSet) -> str:
    s = rs.scenario
    return (
        f"The User CIO: {s['cio']['teams']} teams, used by every assessment's fieldwork and "
        f"report writing. The SSC: meetings on days {', '.join(map(str, s['ssc']['meeting_days']))} of each "
        f"month, reviewing at most {s['ssc']['items_per_meeting']} items each."
    )


def _queues(rs: ResultSet) -> str:
    s = rs.scenario
    return (
        "User CIO: first come, first served from the requested start (each start computed as the later of the "
        "arrival and the first day a team is free, as a FIFO SimPy Resource would give); no priorities, "
        "reneging, balking or jockeying. SSC: first in, first out by submission; an item is eligible "
        f"{s['ssc']['papers_lead_days']:g} days after it is submitted; at most {s['ssc']['items_per_meeting']} "
        "are reviewed per meeting and eligible items left over carry to the next (ssc_meetings.csv, backlog_after)."
    )


def _entry_exit(rs: ResultSet) -> str:
    parties = rs.scenario.get("parties", [])
    late_entry = sum(1 for p in parties if p.get("entry"))
    exits = sum(1 for p in parties if p.get("exit"))
    generated = (
        (" A generated population is configured as well: its entry and exit rates are under 'Scenario parameters' (population).")
        if rs.scenario.get("population")
        else ""
    )
    return (
        f"Parties enter on their entry dates ({late_entry} listed with their own date, the rest at the scenario "
        f"start) and leave on their exit dates ({exits} listed); there is no random arrival process for listed parties. An SRP "
        "enters with its first client, or when its regime first requires its own assessment. An assessment "
        f"enters when booked and leaves when its final status is set.{generated}"
    )


def _sources(_: ResultSet) -> str:
    return (
        "Public documents only: the SECMP0044 Draft Modification Report v0.5, 11 May 2018 (the rules; SECAS day "
        "rate), and the SECAS pages, newsletters and news reports in CALIBRATION.md's source key (durations, "
        "booking lead, SSC cadence, invoice range). No samples of routinely collected data, so sample sizes and "
        "date ranges are not applicable. Each parameter's tag in 'Scenario parameters' says which source it has."
    )


def _inputs(params: list[Parameter], rs: ResultSet) -> str:
    changed = [p.key for p in params if not p.is_default and p.default is not None]
    shown = ", ".join(changed[:8]) + (f" and {len(changed) - 8} more" if len(changed) > 8 else "")
    kinds = sorted({m.group(1) for p in params if (m := re.match(r"(triangular|uniform|lognormal)\(", p.value))})
    mode = (
        "This run is deterministic: every duration at its mean, every SSC outcome Approved."
        if rs.manifest["deterministic"]
        else "Stochastic inputs are sampled from the distributions listed."
    )
    return (
        f"All {len(params)} inputs are listed in 'Scenario parameters' with their values, distributions (working "
        f"days unless stated) and whether each is the default; set away from the default: {len(changed)}"
        + (f" ({shown})" if changed else "")
        + f". {mode} Time-dependent inputs: premises and rates as dated steps, "
        "and the regimes' dated parameters. Distributions used: "
        + (", ".join(kinds) or "none")
        + ", over published or estimated ranges; none was fitted to data (there is none)."
    )


def _assumptions(params: list[Parameter], rs: ResultSet) -> str:
    estimated = sum(1 for p in params if "E" in p.sources)
    return (
        f"{estimated} of {len(params)} parameters are our estimates ([E]). Readings of the SEC text, as this "
        f"run's regimes hold them (regimes.csv): what is counted against the threshold: {_held(rs, 'count_measure')}; "
        f"what must be done by the due date: {_held(rs, 'due_requirement')}; the 12-month anchor: "
        f"{_held(rs, 'due_anchor')}; the event that puts an assessment under a change's rules: "
        f"{_held(rs, 'transition_moment')}. The type is ascertained at booking; sec-history applies "
        "SECMP0044 on an option date (default 2018-07-01; the approval date is not known); SECMP0059's weighted "
        "equation is unpublished, so either the domestic or the non-domestic test makes a Supplier Large."
    )


_Fill = Callable[[ResultSet], str]
_ITEMS: list[tuple[str, str, str, _Fill]] = [
    ("Objectives", "1.1", "Purpose of the model", _purpose),
    ("Objectives", "1.2", "Model outputs", _outputs),
    ("Objectives", "1.3", "Experimentation aims", _aims),
    ("Logic", "2.1", "Base model overview diagram", _diagram),
    ("Logic", "2.2", "Base model logic", _logic),
    ("Logic", "2.3", "Scenario logic", _scenario_logic),
    ("Logic", "2.4", "Algorithms", lambda _: ALGORITHMS),
    ("Logic", "2.5.1", "Components: entities", _entities),
    ("Logic", "2.5.2", "Components: activities", _activities),
    ("Logic", "2.5.3", "Components: resources", _resources),
    ("Logic", "2.5.4", "Components: queues", _queues),
    ("Logic", "2.5.5", "Components: entry and exit points", _entry_exit),
    ("Data", "3.1", "Data sources", _sources),
    (
        "Data",
        "3.2",
        "Pre-processing",
        lambda _: (
            "None: parameters enter as stated in the scenario file; an SRP's "
            "premises are computed as the sum of its active clients' own premises."
        ),
    ),
    ("Data", "3.3", "Input parameters", lambda rs: _inputs(parameters(rs.scenario), rs)),
    ("Data", "3.4", "Assumptions", lambda rs: _assumptions(parameters(rs.scenario), rs)),
    ("Experimentation", "4.1", "Initialisation", run.initialisation),
    ("Experimentation", "4.2", "Run length", run.run_length),
    ("Experimentation", "4.3", "Estimation approach", run.estimation),
    ("Implementation", "5.1", "Software or programming language", run.software),
    ("Implementation", "5.2", "Random sampling", run.sampling),
    ("Implementation", "5.3", "Model execution", run.execution),
    ("Implementation", "5.4", "System specification", run.system),
    ("Code access", "6.1", "Computer model sharing statement", run.code),
]


def checklist(rs: ResultSet) -> list[Item]:
    """Every STRESS-DES item, answered for this result set."""
    return [Item(section, number, title, fill(rs)) for section, number, title, fill in _ITEMS]
