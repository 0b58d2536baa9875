"""The 1:1 face check at the kiosk: is the person in front of the camera, alive, the one on the
ID card's chip photo? (ADR 0009, DOMAIN §5.2.)

    check_face(reference=chip_jpeg, frames=[jpeg, ...], challenge="blink") -> FaceOutcome

Order of the checks, each one stopping the check with its own outcome: the reference photo
holds one face → every frame holds at most one person and the frames show a face → the face is
bright and sharp enough → the challenge was done (liveness.py) → the descriptor of the best
frame is within the threshold of the reference's.

Privacy by construction: images, landmarks and descriptors are local variables of one call;
nothing is cached, logged or written. Only the outcome leaves this module.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from motcua.identity.face import liveness, quality, vision
from motcua.identity.face.liveness import CHALLENGES
from motcua.identity.models import FaceCheck

__all__ = ["CHALLENGES", "FaceOutcome", "check_face", "describe"]

Result = FaceCheck.Result
# dlib's documented operating point for its ResNet model (99.38 % on LFW); measured on the shared
# photos in bench/face_check.py. Lower = stricter.
MATCH_THRESHOLD = 0.6
# A second face counts ("several faces") when it is at least this fraction of the largest one:
# someone standing next to or right behind the citizen, not a passer-by across the hall.
SECOND_FACE_RATIO = 0.5
# Between two consecutive frames with a face, the face may move by at most this fraction of its
# width and change size by at most this factor; more is a cut, not a head (a photo swapped in).
MAX_JUMP = 0.6
MAX_RESIZE = 1.5


@dataclass(frozen=True)
class FaceOutcome:
    result: str  # a FaceCheck.Result value
    distance: float | None  # reference ↔ live descriptor distance; None when not computed
    threshold: float
    message: str  # Vietnamese, for the citizen
    duration_ms: int
    reason: str = ""  # finer cause for logs and tests: dark, blurred, jump, unreadable…


@dataclass(frozen=True)
class _Seen:
    """One frame in which exactly one face was found."""

    frame: bytes
    face: vision.Face
    shape: Any
    points: np.ndarray
    luminance: float
    sharpness: float

    @property
    def usable(self) -> bool:
        return not quality.is_dark(self.luminance) and not quality.is_blurred(self.sharpness)


class _Clock:
    """Adds up the time spent per stage, when the bench asks for it."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            if self.timings is not None:
                self.timings[name] = self.timings.get(name, 0.0) + (time.perf_counter() - started) * 1000


def default_threshold() -> float:
    return float(settings.MOTCUA.get("FACE_MATCH_THRESHOLD", MATCH_THRESHOLD))


def check_face(
    *, reference: bytes, frames: list[bytes], challenge: str, threshold: float | None = None,
    timings: dict[str, float] | None = None,
) -> FaceOutcome:  # fmt: skip
    """Check a burst of camera frames (the first ones neutral, the later ones the challenge)
    against the ID chip photo. `timings`, if given, receives milliseconds per stage (bench)."""
    if challenge not in CHALLENGES:
        raise ValueError(f"unknown challenge {challenge!r}")
    started = time.perf_counter()
    limit = default_threshold() if threshold is None else threshold
    result, dist, reason = _judge(reference, frames, challenge, limit, _Clock(timings))
    return FaceOutcome(
        result=str(result), distance=dist, threshold=limit, message=_message(result, reason, challenge),
        duration_ms=round((time.perf_counter() - started) * 1000), reason=reason,
    )  # fmt: skip


def _judge(
    reference: bytes, frames: list[bytes], challenge: str, limit: float, clock: _Clock
) -> tuple[str, float | None, str]:
    ref = _reference(reference, clock)
    if ref is None:
        return Result.NO_REFERENCE, None, "reference"
    seen, trouble = _look(frames, clock)
    if trouble:
        return trouble
    if not _continuous(seen):
        return Result.NOT_LIVE, None, "jump"
    if not liveness.passed(challenge, [s.points for s in seen]):
        return Result.NOT_LIVE, None, challenge
    with clock.stage("descriptor"):
        best = _best(seen)
        live = vision.decode(best.frame)
        if live is None:  # cannot happen: its luminance was decoded a moment ago
            return Result.NO_FACE, None, "no_face"
        dist = vision.distance(vision.descriptor(*ref), vision.descriptor(live.rgb, best.shape))
    return (Result.MATCH if dist <= limit else Result.NO_MATCH), round(dist, 4), ""


def _reference(data: bytes, clock: _Clock) -> tuple[np.ndarray, Any] | None:
    """The chip photo's image and landmarks, if it shows exactly one face."""
    with clock.stage("decode"):
        image = vision.decode(data)
    if image is None:
        return None
    with clock.stage("detect"):
        faces = _portrait_faces(image.gray)
    if len(faces) != 1:
        return None
    with clock.stage("landmarks"):
        return image.rgb, vision.landmarks(image.gray, faces[0])


def _portrait_faces(gray: np.ndarray) -> list[vision.Face]:
    # Chip photos are small and tightly framed: the full scale, upsampled if need be.
    return _counted(vision.detect(gray, full=True)) or _counted(vision.detect(gray, full=True, upsample=1))


def _counted(faces: list[vision.Face]) -> list[vision.Face]:
    """The faces that count: the largest and any other at least SECOND_FACE_RATIO of its width."""
    return [f for f in faces if f.width >= SECOND_FACE_RATIO * faces[0].width] if faces else []


def _look(frames: list[bytes], clock: _Clock) -> tuple[list[_Seen], tuple[str, None, str] | None]:
    """Every frame with one face, in order; or the outcome that stops the check."""
    seen: list[_Seen] = []
    dark_frames = 0
    for index, data in enumerate(frames):
        with clock.stage("decode"):
            gray = vision.decode_gray(data)
        if gray is None:
            continue
        # The first and last frames are searched at full scale, for a second, smaller face.
        with clock.stage("detect"):
            faces = _counted(vision.detect(gray, full=index in (0, len(frames) - 1)))
        if len(faces) > 1:
            return [], (Result.SEVERAL_FACES, None, "several")
        if not faces:
            dark_frames += quality.is_dark(quality.luminance(gray))
            continue
        seen.append(_see(data, gray, faces[0], clock))
    return seen, _trouble(seen, len(frames), dark_frames)


def _see(data: bytes, gray: np.ndarray, face: vision.Face, clock: _Clock) -> _Seen:
    with clock.stage("landmarks"):
        shape = vision.landmarks(gray, face)
    with clock.stage("quality"):
        crop = quality.face_crop(gray, face.box)
        return _Seen(data, face, shape, vision.points(shape), quality.luminance(crop), quality.sharpness(crop))


def _trouble(seen: list[_Seen], total: int, dark_frames: int) -> tuple[str, None, str] | None:
    """No face, or too few frames with one (half may be lost, e.g. a head turned far), or none
    bright and sharp enough."""
    if len(seen) * 2 < total or not seen:
        if dark_frames * 2 >= total - len(seen) and dark_frames:
            return Result.POOR_IMAGE, None, "dark"
        return Result.NO_FACE, None, "no_face"
    if any(s.usable for s in seen):
        return None
    dark = sum(quality.is_dark(s.luminance) for s in seen)
    return Result.POOR_IMAGE, None, "dark" if dark * 2 >= len(seen) else "blurred"


def _continuous(seen: list[_Seen]) -> bool:
    return all(_near(a.face, b.face) for a, b in zip(seen, seen[1:], strict=False))


def _near(a: vision.Face, b: vision.Face) -> bool:
    ax, ay = (a.box[0] + a.box[2]) / 2, (a.box[1] + a.box[3]) / 2
    bx, by = (b.box[0] + b.box[2]) / 2, (b.box[1] + b.box[3]) / 2
    ratio = max(a.width, b.width) / max(1, min(a.width, b.width))
    return float(np.hypot(ax - bx, ay - by)) <= MAX_JUMP * max(a.width, b.width) and ratio <= MAX_RESIZE


def _best(seen: list[_Seen]) -> _Seen:
    """The sharpest usable frame of the neutral baseline (frontal, eyes open), else of all."""
    baseline, _later = liveness.split(seen)
    pool = [s for s in baseline if s.usable] or [s for s in seen if s.usable]
    return max(pool, key=lambda s: s.sharpness)


def describe(image: bytes) -> np.ndarray | None:
    """The 128-d descriptor of the single face in an image, or None (no face, several, unreadable).
    For tests and the bench; the caller must not keep it."""
    decoded = vision.decode(image)
    if decoded is None:
        return None
    faces = _portrait_faces(decoded.gray)
    if len(faces) != 1:
        return None
    return vision.descriptor(decoded.rgb, vision.landmarks(decoded.gray, faces[0]))


def _message(result: str, reason: str, challenge: str) -> str:
    if result == Result.POOR_IMAGE:
        return _POOR[reason]() if reason in _POOR else _POOR["blurred"]()
    if result == Result.NOT_LIVE:
        return _NOT_LIVE.get(reason, _NOT_LIVE["jump"])()
    return _MESSAGES[result]()


# Lambdas so that gettext runs at call time, in the language of the request.
_MESSAGES: dict[str, Callable[[], str]] = {
    Result.MATCH: lambda: _("Khuôn mặt khớp với ảnh trên thẻ căn cước."),
    Result.NO_MATCH: lambda: _(
        "Khuôn mặt không khớp với ảnh trên thẻ căn cước. Vui lòng thử lại hoặc đến quầy để cán bộ hỗ trợ."
    ),
    Result.NO_FACE: lambda: _("Không thấy khuôn mặt. Vui lòng nhìn thẳng vào camera."),
    Result.SEVERAL_FACES: lambda: _("Có nhiều khuôn mặt trong khung hình. Vui lòng chỉ một người đứng trước camera."),
    Result.NO_REFERENCE: lambda: _("Không dùng được ảnh trên thẻ căn cước. Vui lòng đến quầy để cán bộ hỗ trợ."),
}
_POOR = {
    "dark": lambda: _("Ảnh quá tối. Vui lòng đứng nơi đủ ánh sáng và nhìn thẳng vào camera."),
    "blurred": lambda: _("Ảnh bị mờ. Vui lòng giữ yên đầu và nhìn thẳng vào camera."),
}
_NOT_LIVE = {
    "blink": lambda: _("Chưa nhận ra cử chỉ chớp mắt. Vui lòng nhắm mắt lại rồi mở ra khi được yêu cầu."),
    "turn_left": lambda: _("Chưa nhận ra cử chỉ quay đầu sang trái. Vui lòng quay đầu sang trái khi được yêu cầu."),
    "turn_right": lambda: _("Chưa nhận ra cử chỉ quay đầu sang phải. Vui lòng quay đầu sang phải khi được yêu cầu."),
    "jump": lambda: _("Không xác nhận được người thật. Vui lòng đứng yên trước camera và thử lại."),
}
