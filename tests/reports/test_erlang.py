"""Erlang C against values worked out by hand and published tables."""

from __future__ import annotations

import math

import pytest

from motcua.reports.erlang import counters_needed, erlang_b, erlang_c, mean_wait, service_level


def test_a_single_counter_waits_with_the_utilisation():
    # M/M/1: P(wait) = ρ.
    assert erlang_c(1, 0.75) == pytest.approx(0.75)


def test_two_erlangs_on_three_counters_is_four_ninths():
    # Σ_{k<3} 2^k/k! = 5 and 2³/3!·3/(3−2) = 4, so C = 4/9.
    assert erlang_c(3, 2.0) == pytest.approx(4 / 9)


def test_erlang_b_table_values():
    # Erlang B tables: A = 2, N = 2 → 0.4; A = 10, N = 10 → 0.2146.
    assert erlang_b(2, 2.0) == pytest.approx(0.4)
    assert erlang_b(10, 10.0) == pytest.approx(0.2146, abs=5e-5)


@pytest.mark.parametrize(
    ("counters", "wait_probability", "level", "asa"),
    [(11, 0.6821, 0.3897, 122.8), (12, 0.4494, 0.6402, 40.4), (13, 0.2853, 0.7956, 17.1), (14, 0.1741, 0.8884, 7.8)],
)
def test_the_classic_call_centre_example(counters, wait_probability, level, asa):
    # 100 calls in 30 minutes, 180 s each (A = 10 Erlangs), target 20 s: the worked example of
    # the Erlang C formula in call-centre planning guides.
    assert erlang_c(counters, 10.0) == pytest.approx(wait_probability, abs=5e-5)
    assert service_level(counters, 10.0, 180, 20) == pytest.approx(level, abs=5e-4)
    assert mean_wait(counters, 10.0, 180) == pytest.approx(asa, abs=0.05)


def test_the_advice_is_the_smallest_number_meeting_the_target():
    advice = counters_needed(arrivals_per_hour=200, service_seconds=180, target_share=0.8, target_seconds=20)
    assert advice.counters == 14 and advice.load == pytest.approx(10.0)
    assert advice.service_level >= 0.8 > service_level(13, 10.0, 180, 20)
    assert advice.occupancy == pytest.approx(10 / 14)


def test_a_center_counter_example():
    # 30 citizens an hour, 8 minutes each (A = 4): 80 % within 15 minutes needs 5 counters.
    advice = counters_needed(arrivals_per_hour=30, service_seconds=480, target_share=0.8, target_seconds=900)
    assert advice.counters == 5
    assert service_level(4, 4.0, 480, 900) == 0.0  # four counters: the line only grows


def test_nobody_coming_needs_no_counter():
    advice = counters_needed(arrivals_per_hour=0, service_seconds=300, target_share=0.9, target_seconds=600)
    assert (advice.counters, advice.service_level, advice.mean_wait_seconds) == (0, 1.0, 0.0)


def test_an_overloaded_line_waits_forever():
    assert erlang_c(3, 3.5) == 1.0 and math.isinf(mean_wait(3, 3.5, 300))


@pytest.mark.parametrize("bad", [{"arrivals_per_hour": -1}, {"service_seconds": 0}, {"target_share": 1.0}])
def test_nonsense_is_refused(bad):
    args = {"arrivals_per_hour": 10, "service_seconds": 300, "target_share": 0.8, "target_seconds": 600, **bad}
    with pytest.raises(ValueError):
        counters_needed(**args)


def test_large_centres_do_not_overflow():
    advice = counters_needed(arrivals_per_hour=3000, service_seconds=300, target_share=0.9, target_seconds=60)
    assert 250 < advice.counters < 280 and 0 < advice.wait_probability < 1
