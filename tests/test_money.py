"""Tests by intent: interfaces. Money as the CLI, the report and the charts show it: £m or £k to three significant
figures, a change signed regime − baseline (a saving negative), and the same change in words ("saves", "costs more")."""

from __future__ import annotations

import math

import pytest

from sim.analysis.money import pounds, pounds_interval, saving_words, scale

NAN = math.nan


@pytest.mark.parametrize(
    "value,shown",
    [
        (38_243_273, "£38.2m"),
        (6_140_000, "£6.14m"),
        (124_400_000, "£124m"),
        (907_933, "£908k"),
        (34_047, "£34.0k"),
        (1_200, "£1.20k"),
        (999_600, "£1.00m"),  # rounds up into the next unit, not "£1,000k"
        (850, "£850"),
        (0.004, "£0"),
        (-6_140_000, "-£6.14m"),
    ],
)
def test_pounds_to_three_significant_figures(value, shown):
    assert pounds(value) == shown


def test_a_change_is_signed_and_a_page_uses_the_true_minus():
    assert pounds(34_047, signed=True) == "+£34.0k" and pounds(0, signed=True) == "£0"
    assert pounds(-6_140_000, minus="−") == "−£6.14m" and pounds(NAN) == "—"


def test_an_interval_is_in_the_unit_of_its_largest_figure():
    assert pounds_interval(-6.14e6, -6.48e6, -5.79e6) == "-£6.14m [-£6.48m, -£5.79m]"
    assert pounds_interval(-21_000, -1.23e6, 1.19e6) == "-£0.02m [-£1.23m, +£1.19m]"
    assert pounds_interval(34_047, NAN, NAN) == "+£34.0k"  # one replication: no interval


def test_the_words_turn_the_sign_and_the_interval_with_it():
    assert saving_words(-6.14e6, -6.48e6, -5.79e6) == "saves £6.14m [95 % CI £5.79m, £6.48m]"
    assert saving_words(34_047, 30_100, 38_000) == "costs £34.0k more [95 % CI £30.1k, £38.0k]"
    assert saving_words(-20e3, -50e3, 10e3) == "saves £20.0k [95 % CI -£10.0k, £50.0k]"  # may cost £10k more
    assert saving_words(34_047, NAN, NAN, ("save", "pay")) == "pay £34.0k more"
    assert saving_words(0.0, 0.0, 0.0) == "costs the same"


def test_a_charts_axis_is_in_millions_from_a_million():
    assert scale(2.5e6) == (1e6, "£ million") and scale(-400e3) == (1e3, "£ thousand")
