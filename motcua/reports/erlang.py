"""Erlang C: how many counters a queue needs for a service target (ADR 0010 §5).

A queue in one hour of a typical day is an M/M/N system: citizens arrive at rate λ (per hour),
a counter serves one in a mean time 1/μ, N counters share the line. Erlang C gives the chance a
citizen waits at all, the share served within a target wait, and the mean wait; the advice is the
smallest N meeting the target. Pure arithmetic, no Django: the staffing page and tests call it.

Erlang B by its recursion (B₀ = 1, Bₖ = A·Bₖ₋₁ / (k + A·Bₖ₋₁)) stays exact for large N where
Aᴺ/N! would overflow; C = N·B / (N − A·(1 − B)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_COUNTERS = 5000  # a bound no center meets: the search stops here


@dataclass(frozen=True)
class Staffing:
    counters: int  # the smallest number meeting the target (0 when nobody comes)
    load: float  # offered load A = λ / μ, in Erlangs
    wait_probability: float  # P(wait > 0) with that many counters
    service_level: float  # P(wait ≤ target) with that many counters
    mean_wait_seconds: float  # mean wait over all citizens
    occupancy: float  # A / N


def erlang_b(counters: int, load: float) -> float:
    blocking = 1.0
    for k in range(1, counters + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def erlang_c(counters: int, load: float) -> float:
    """P(a citizen waits) with `counters` counters and `load` Erlangs; 1 when the line only grows."""
    if load <= 0:
        return 0.0
    if counters <= load:
        return 1.0
    blocking = erlang_b(counters, load)
    return counters * blocking / (counters - load * (1 - blocking))


def service_level(counters: int, load: float, service_seconds: float, target_seconds: float) -> float:
    """P(wait ≤ target): 1 − C·e^(−(N − A)·t/s)."""
    if load <= 0:
        return 1.0
    if counters <= load:
        return 0.0
    decay = math.exp(-(counters - load) * target_seconds / service_seconds)
    return 1.0 - erlang_c(counters, load) * decay


def mean_wait(counters: int, load: float, service_seconds: float) -> float:
    """Average speed of answer: C·s / (N − A) seconds (infinite when the line only grows)."""
    if load <= 0:
        return 0.0
    if counters <= load:
        return math.inf
    return erlang_c(counters, load) * service_seconds / (counters - load)


def counters_needed(
    *, arrivals_per_hour: float, service_seconds: float, target_share: float, target_seconds: float
) -> Staffing:
    """The smallest N with N > A and P(wait ≤ target_seconds) ≥ target_share."""
    if arrivals_per_hour < 0 or service_seconds <= 0 or not 0 < target_share < 1 or target_seconds < 0:
        raise ValueError("arrivals ≥ 0, service time > 0, 0 < share < 1, target ≥ 0")
    load = arrivals_per_hour * service_seconds / 3600
    if load == 0:
        return Staffing(0, 0.0, 0.0, 1.0, 0.0, 0.0)
    counters = max(1, math.floor(load) + 1)
    while service_level(counters, load, service_seconds, target_seconds) < target_share:
        counters += 1
        if counters > MAX_COUNTERS:
            raise ValueError("no staffing within bounds")
    return Staffing(
        counters=counters, load=load, wait_probability=erlang_c(counters, load),
        service_level=service_level(counters, load, service_seconds, target_seconds),
        mean_wait_seconds=mean_wait(counters, load, service_seconds), occupancy=load / counters,
    )  # fmt: skip
