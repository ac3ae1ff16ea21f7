"""Checks of a scenario as a whole: a value that fits its own key but not the others (an exit before its entry, a
baseline that is not one of the regimes, an SRP a client names that is not there), each one line naming where the
file writes the value (``sim.core.validation.located``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.validation import Source, also_at, beside, located, shown, writes
from ..law import regime as regime_mod
from ..law.regime import BUILTINS, Regime
from . import population_bounds
from .party_spec import ID_LENGTH
from .process_spec import check_can_pass

if TYPE_CHECKING:
    from .scenario import Scenario


def check(s: Scenario, source: Source) -> None:
    """Raise InputError, naming where the file writes it, for the first value that fits its key but not the rest."""
    listed = sum(p.copies for p in s.parties)  # every copy a party of its own, counted before any is made
    if not listed and (s.population is None or not s.population.groups):  # named where the file left the industry empty
        empty: list[str] = ["population", "groups"] if s.population is not None else ["population"]
        parties = f"a party in parties{beside(source, empty, ['parties'])}"
        if s.population is not None:
            raise located(source, empty, f"expected at least one group, or {parties}, got none")
        if not isinstance(source, str) and writes(source, empty):  # a file's population: null, not a sweep's or --set's
            raise located(source, empty, f"expected a population with groups, or {parties}, got null")
        raise located(source, ["parties"], "expected at least one party, or a population with groups")
    if listed > population_bounds.MAX_PARTIES:
        raise located(
            source,
            ["parties"],
            f"expected at most {population_bounds.MAX_PARTIES:,} parties in all, each copy one; got {listed:,}",
        )
    generated_srps = {f"SRP-{k + 1}" for k in range(s.population.srps.count)} if s.population else set()
    ids: dict[str, int] = {}
    for i, p in enumerate(s.parties):
        for k, copy in enumerate(p.expanded() or [p], start=1):  # copies: 0 still holds its id
            key = "id" if k == 1 else "copies"
            if len(copy.id) > ID_LENGTH:
                raise located(source, ["parties", i, key], f"copy {k}'s id {shown(copy.id)} is over {ID_LENGTH} characters")
            if (j := ids.get(copy.id)) is not None:
                what = f"duplicate party id {shown(copy.id)}" if k == 1 else f"copy {k} would have the id {shown(copy.id)}"
                also = also_at(source, ("parties", i, key), ("parties", j))
                also += "" if s.parties[j].id == copy.id else f", one of its {s.parties[j].copies} copies"
                raise located(source, ("parties", i, key), f"{what} (also {also})")
            ids[copy.id] = i
    for i, p in enumerate(s.parties):
        if p.role == "srp":
            if p.copies != 1:
                raise located(
                    source, ["parties", i, "copies"], "expected 1: an SRP's clients name it by its id; copy its clients"
                )
            if p.srp is not None:
                raise located(source, ["parties", i, "srp"], "an SRP cannot itself use an SRP")
            if "premises" in p.model_fields_set:
                raise located(
                    source, ["parties", i, "premises"], "an SRP's premises are derived from its clients; remove this key"
                )
        if p.role != "supplier" and any(n for _, n in p.non_domestic_premises):
            raise located(
                source, ["parties", i, "non_domestic_premises"], "only a supplier's are counted (SECMP0059, G8.47); expected 0"
            )
        if p.role != "srp" and p.srp is not None and p.srp not in generated_srps:
            j = ids.get(p.srp)
            if j is None or s.parties[j].role != "srp":
                raise located(source, ["parties", i, "srp"], f"no party with id {shown(p.srp)} and role srp")
        entry = p.entry or s.start
        if entry >= s.end:
            raise located(source, ["parties", i, "entry"], f"expected a date before the horizon end {s.end}, got {entry}")
        if p.exit is not None and p.exit <= entry:
            at = ("parties", i, "exit")
            after = (
                f"entry {entry}{beside(source, at, ('parties', i, 'entry'))}"
                if p.entry
                else f"its entry, the start {entry} (it gives none)"
            )
            raise located(source, at, f"expected a date after {after}, got {p.exit}")
        if p.exit is not None and p.exit <= s.start:  # an entry before the start is read as the start (sim.inputs.notices)
            raise located(
                source,
                ("parties", i, "exit"),
                f"expected a date after the start {s.start} (a party gone by then is never a User within it), got {p.exit}",
            )
    if s.population is not None:
        _population(s, source, ids, generated_srps)
    check_can_pass(s.ssc, s.deterministic, source)
    _regimes(s, source)


def _regimes(s: Scenario, source: Source) -> None:
    from .scenario import build_order

    names = s.regime_names()
    variants = [r.name for r in s.regimes if not isinstance(r, str)]  # listed in order: the message is the same each run
    for i, r in enumerate(s.regimes):
        at: tuple[str | int, ...] = ("regimes", i)
        if isinstance(r, str) and r not in BUILTINS and r not in variants:
            raise located(source, at, f"unknown regime {shown(r)}; expected one of {', '.join([*BUILTINS, *variants])}")
        if not isinstance(r, str) and r.name in BUILTINS:
            raise located(source, (*at, "name"), f"{shown(r.name)} is a shipped regime; give the variant its own name")
        if (earlier := names.index(names[i])) < i:
            raise located(
                source, at, f"regime {shown(names[i])} is listed twice (also {also_at(source, at, ('regimes', earlier))})"
            )
    known: dict[str, Regime] = {}
    for i in build_order(s):  # each after the variant it is based on
        variant = s.regimes[i]
        assert not isinstance(variant, str)
        known[variant.name] = regime_mod.build(variant.definition(), source, ("regimes", i), known)  # named where written
    for regime, baseline in s.baselines.items():
        for name in (regime, baseline):
            if name not in s.regime_names():
                raise located(
                    source,
                    ["baselines", regime],
                    f"{shown(name)} is not one of this scenario's regimes ({', '.join(s.regime_names())})",
                )
        if regime == baseline:
            raise located(source, ["baselines", regime], "a regime is not compared with itself")


def _population(s: Scenario, source: Source, ids: dict[str, int], generated_srps: set[str]) -> None:
    pop = s.population
    assert pop is not None
    population_bounds.check(s.start, s.end, sum(p.copies for p in s.parties), pop, source)
    clash = generated_srps & set(ids)
    if clash:
        raise located(source, ["parties", ids[min(clash)], "id"], f"{shown(min(clash))} is the id of a generated SRP; rename it")
    names: dict[str, int] = {}
    for i, group in enumerate(pop.groups):
        if (j := names.get(group.name)) is not None:
            at = ("population", "groups", i, "name")
            raise located(source, at, f"duplicate group name {shown(group.name)} (also {also_at(source, at, at[:2] + (j,))})")
        names[group.name] = i
        prefix = f"{group.name}-"
        taken = sorted(p for p in ids if p.startswith(prefix))
        if taken:
            raise located(
                source,
                ["parties", ids[taken[0]], "id"],
                f"{shown(taken[0])} clashes with group {shown(group.name)}'s generated ids",
            )
        if group.srp_share > 0 and not generated_srps:
            at = ("population", "groups", i, "srp_share")
            count = beside(source, at, ("population", "srps", "count"))
            expected = f"expected 0 with no SRPs to use{count}" if count else "expected 0 when population.srps.count is 0"
            raise located(source, at, f"{expected}, got {group.srp_share:g}")
    anchor = pop.srps.anchor_group
    if anchor is not None:
        founders = next((g for g in pop.groups if g.name == anchor), None)
        if founders is None or founders.role != "supplier":
            raise located(source, ["population", "srps", "anchor_group"], f"no supplier group named {shown(anchor)}")
        if founders.count < pop.srps.count:
            anchor_at = ("population", "srps", "anchor_group")
            srps_at = beside(source, anchor_at, ("population", "srps", "count"))
            count_at = beside(source, anchor_at, ("population", "groups", pop.groups.index(founders), "count"))
            raise located(
                source,
                anchor_at,
                f"expected a group of at least {pop.srps.count} parties, one per SRP{srps_at}, got {founders.count}{count_at}",
            )
    srps = generated_srps | {p.id for p in s.parties if p.role == "srp"}
    for i, default in enumerate(pop.srp_defaults):
        if default.srp not in srps:
            raise located(source, ["population", "srp_defaults", i, "srp"], f"no SRP with id {shown(default.srp)}")
        if not s.start <= default.date < s.end:
            raise located(
                source,
                ["population", "srp_defaults", i, "date"],
                f"expected a date within {s.start} to {s.end}, got {default.date}",
            )
