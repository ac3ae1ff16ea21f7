"""Tests by intent: validation. A duration is drawn by inverse CDF (so every regime spends the same uniforms and
common random numbers hold): each shape's quantile and mean equal scipy.stats' for the same parameters, the
degenerate shapes are their constant, and a scenario's mistaken duration says what a duration is."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, strategies as st
from scipy import stats

from sim.core.distributions import parse_duration

U = [0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999]


def _scipy(spec: dict):
    """The same distribution as scipy.stats writes it."""
    if spec["dist"] == "triangular":
        low, mode, high = spec["low"], spec["mode"], spec["high"]
        return stats.triang((mode - low) / (high - low), loc=low, scale=high - low)
    if spec["dist"] == "uniform":
        return stats.uniform(loc=spec["low"], scale=spec["high"] - spec["low"])
    sigma = math.sqrt(math.log1p((spec["sd"] / spec["mean"]) ** 2))  # a lognormal given by its mean and sd
    return stats.lognorm(sigma, scale=spec["mean"] * math.exp(-(sigma**2) / 2))


SHAPES = [
    {"dist": "triangular", "low": 5, "mode": 10, "high": 20},
    {"dist": "triangular", "low": 5, "mode": 5, "high": 20},
    {"dist": "triangular", "low": 5, "mode": 20, "high": 20},
    {"dist": "uniform", "low": 3, "high": 9},
    {"dist": "lognormal", "mean": 12, "sd": 4},
    {"dist": "lognormal", "mean": 40, "sd": 30},
]


@pytest.mark.parametrize("spec", SHAPES, ids=lambda s: "-".join(str(v) for v in s.values()))
def test_quantile_and_mean_are_scipys(spec):
    duration, reference = parse_duration(spec), _scipy(spec)
    assert duration.mean == pytest.approx(reference.mean(), rel=1e-9)
    for u in U:
        assert duration.quantile(u) == pytest.approx(reference.ppf(u), rel=1e-9), u
    assert duration.to_json() == spec, "written back as the scenario wrote it"


@pytest.mark.parametrize(
    "spec,value",
    [
        (7, 7.0),
        ({"dist": "triangular", "low": 4, "mode": 4, "high": 4}, 4.0),
        ({"dist": "uniform", "low": 6, "high": 6}, 6.0),
        ({"dist": "lognormal", "mean": 9, "sd": 0}, 9.0),
    ],
)
def test_a_degenerate_shape_is_its_constant(spec, value):
    duration = parse_duration(spec)
    assert duration.mean == value and all(duration.quantile(u) == value for u in [None, *U])


def test_a_deterministic_draw_is_the_mean():
    duration = parse_duration({"dist": "triangular", "low": 1, "mode": 2, "high": 6})
    assert duration.quantile(None) == duration.mean == 3.0


@given(st.sampled_from(SHAPES), st.floats(0, 1), st.floats(0, 1))
def test_the_quantile_never_falls(spec, u, v):
    duration = parse_duration(spec)
    low, high = sorted((u, v))
    assert duration.quantile(low) <= duration.quantile(high)


DEGENERATE = [
    7,
    {"dist": "triangular", "low": 0.1, "mode": 0.1, "high": 0.1},  # its mean is not exactly 0.1: (0.1 * 3) / 3
    {"dist": "uniform", "low": 6, "high": 6},
    {"dist": "lognormal", "mean": 9, "sd": 0},
]


@given(st.sampled_from(SHAPES + DEGENERATE), st.one_of(st.none(), st.floats(0, 1)))
def test_the_sampler_is_the_quantile_to_the_last_bit(spec, u):
    """What the event loop draws with (``sampler``: constants worked out once) is ``quantile``'s float, the mean too."""
    duration = parse_duration(spec)
    assert duration.sampler()(u).hex() == duration.quantile(u).hex()


@pytest.mark.parametrize(
    "value,message",
    [
        (True, "expected a number from 0 to"),
        (-1, "expected a number from 0 to"),
        ("ten days", 'got "ten days"'),
        ({"low": 1}, "expected a number from 0 to"),
        ({"dist": "normal", "mean": 1, "sd": 1}, 'dist: expected triangular, uniform or lognormal, got "normal"'),
        ({"dist": "uniform", "low": 1}, "a uniform distribution takes exactly low, high"),
        ({"dist": "uniform", "low": 1, "high": 2, "mode": 1}, "a uniform distribution takes exactly low, high"),
        ({"dist": "uniform", "low": 1, "high": "2"}, "high: expected a number from 0 to"),
        ({"dist": "triangular", "low": 3, "mode": 1, "high": 5}, "a triangular distribution needs low <= mode <= high"),
        ({"dist": "uniform", "low": 5, "high": 1}, "a uniform distribution needs low <= high"),
        ({"dist": "lognormal", "mean": 0, "sd": 1}, "a lognormal distribution needs mean > 0"),
        ({"dist": "lognormal", "mean": 1, "sd": 3000}, "a lognormal's largest draw"),
    ],
)
def test_a_mistaken_duration_says_what_a_duration_is(value, message):
    with pytest.raises(ValueError) as raised:
        parse_duration(value)
    assert message in str(raised.value), str(raised.value)
