"""Is a live person in front of the camera? A challenge judged from 68 landmarks per frame.

Every measure is relative to the person's own baseline (the median over the first frames, where
they look straight at the camera), never against a global constant alone: eyes, noses and
cameras differ too much for one number to fit everyone.

- blink: the eye aspect ratio (EAR, Soukupová & Čech 2016: eyelid opening over eye width) drops
  well below the baseline in a later frame, and opens again after it;
- turn_left / turn_right: the nose tip moves sideways relative to the middle of the eyes, measured
  along the eye line and in inter-ocular distances (so it does not depend on how far the person
  stands or how the head is tilted), by a margin in the asked direction.

A printed photo moved, tilted or turned in front of the camera keeps the same EAR and the same
nose-to-eyes geometry, so it fails both. This is a basic presentation-attack check, not a
certified one (ADR 0009).

Directions are the person's own: "turn left" is the citizen's left. Frames from a browser canvas
are not mirrored, so the citizen's left is the image's right: the nose moves towards +x.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import numpy as np
from django.conf import settings

CHALLENGES = ("blink", "turn_left", "turn_right")

# Frames at the start of a burst taken as the person's neutral baseline.
BASELINE_FRAMES = 3
# Blink: eyes count as closed when the EAR falls under this fraction of the baseline (open eyes
# measure ~0.25–0.35, closed ~0.05–0.15), and as open again above the second fraction.
BLINK_CLOSED_RATIO = 0.65
BLINK_OPEN_RATIO = 0.85
# Turn: the nose must move at least this many inter-ocular distances from its baseline position.
# A head turned ~12° moves it by about 0.1; landmark jitter between still frames is ~0.02.
TURN_MARGIN = 0.10

_LEFT_EYE = slice(36, 42)  # the eye on the image's left (the person's right eye)
_RIGHT_EYE = slice(42, 48)
_NOSE_TIP = 30

T = TypeVar("T")


def baseline_frames() -> int:
    return int(settings.MOTCUA.get("FACE_BASELINE_FRAMES", BASELINE_FRAMES))


def turn_margin() -> float:
    return float(settings.MOTCUA.get("FACE_TURN_MARGIN", TURN_MARGIN))


def blink_closed_ratio() -> float:
    return float(settings.MOTCUA.get("FACE_BLINK_CLOSED_RATIO", BLINK_CLOSED_RATIO))


def eye_aspect_ratio(points: np.ndarray) -> float:
    """Mean EAR of both eyes of a (68, 2) landmark array."""
    return (_ear(points[_LEFT_EYE]) + _ear(points[_RIGHT_EYE])) / 2.0


def _ear(eye: np.ndarray) -> float:
    # Points p1..p6 go around the eye: p1/p4 the corners, p2/p6 and p3/p5 upper/lower lid pairs.
    vertical = np.linalg.norm(eye[1] - eye[5]) + np.linalg.norm(eye[2] - eye[4])
    horizontal = np.linalg.norm(eye[0] - eye[3])
    return float(vertical / (2.0 * horizontal)) if horizontal > 0 else 0.0


def nose_offset(points: np.ndarray) -> float:
    """Where the nose tip sits along the eye line from the eyes' midpoint, in inter-ocular
    distances; positive towards the image's right."""
    left, right = points[_LEFT_EYE].mean(axis=0), points[_RIGHT_EYE].mean(axis=0)
    axis = right - left
    iod = float(np.linalg.norm(axis))
    if iod == 0:
        return 0.0
    return float(np.dot(points[_NOSE_TIP] - (left + right) / 2.0, axis / iod) / iod)


def split(series: Sequence[T]) -> tuple[list[T], list[T]]:
    """Baseline and challenge frames; the baseline keeps at least one frame for the challenge."""
    count = max(1, min(baseline_frames(), len(series) - 1))
    return list(series[:count]), list(series[count:])


def passed(challenge: str, series: Sequence[np.ndarray]) -> bool:
    """Did the landmark series (one (68, 2) array per frame with a face, in order) do the challenge?"""
    if challenge not in CHALLENGES:
        raise ValueError(f"unknown challenge {challenge!r}")
    baseline, later = split(series)
    if not later:
        return False
    if challenge == "blink":
        return blinked([eye_aspect_ratio(p) for p in baseline], [eye_aspect_ratio(p) for p in later])
    sign = 1.0 if challenge == "turn_left" else -1.0
    return turned([nose_offset(p) for p in baseline], [nose_offset(p) for p in later], sign=sign)


def blinked(baseline: Sequence[float], later: Sequence[float]) -> bool:
    """Eyes well below their own open level in some later frame, then open again after it."""
    base = float(np.median(baseline))
    closed = [i for i, ear in enumerate(later) if ear <= base * blink_closed_ratio()]
    if base <= 0 or not closed:
        return False
    reopen = settings.MOTCUA.get("FACE_BLINK_OPEN_RATIO", BLINK_OPEN_RATIO) * base
    return any(ear >= reopen for ear in later[closed[0] + 1 :])


def turned(baseline: Sequence[float], later: Sequence[float], *, sign: float) -> bool:
    """The nose moved from its own baseline, in the asked direction (sign +1 = image right)."""
    base = float(np.median(baseline))
    return max(sign * (offset - base) for offset in later) >= turn_margin()
