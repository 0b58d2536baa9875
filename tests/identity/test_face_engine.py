"""The face engine on the shared test photos (tests/data/faces, fixtures only) and on crafted landmarks.

Camera bursts are made in memory from one photo: the face scaled to ~200 px in a 640×480 frame
(a citizen at the kiosk), three neutral frames, then the challenge. A head turn is imitated by a
horizontal shear about the eye line, which moves the nose tip sideways relative to the eyes as a
turn does; a blink cannot be drawn convincingly, so blinks are tested on landmark arrays.
"""

from __future__ import annotations

import io
from functools import cache
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageEnhance, ImageFilter

from motcua.identity.face import CHALLENGES, check_face, describe, liveness, vision
from motcua.identity.models import FaceCheck

FACES = Path(__file__).resolve().parent.parent / "data" / "faces"
PEOPLE = {
    "obama_2009": "obama_2009_congress.jpg",
    "obama_2010": "obama_2010_blueroom.jpg",
    "biden": "biden_2010_blueroom.jpg",
    "collins": "collins_astronaut.png",
}
THRESHOLD = 0.6
SHEARS = (0.0, 0.0, 0.0, 0.1, 0.2, 0.3, 0.3, 0.2, 0.1, 0.0)  # neutral ×3, then a turn and back


@cache
def photo(name: str) -> bytes:
    return (FACES / name).read_bytes()


def jpeg(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90)
    return out.getvalue()


@cache
def kiosk_frame(name: str) -> Image.Image:
    """The photo's face scaled to 200 px wide, centred in a grey 640×480 frame."""
    img = Image.open(FACES / name).convert("RGB")
    small = vision.decode(photo(name))
    assert small is not None
    box = [v * img.width / small.rgb.shape[1] for v in vision.detect(small.gray, full=True, upsample=1)[0].box]
    scale = 200 / (box[2] - box[0])
    img = img.resize((round(img.width * scale), round(img.height * scale)), Image.Resampling.LANCZOS)
    frame = Image.new("RGB", (640, 480), (128, 128, 128))
    frame.paste(img, (round(320 - (box[0] + box[2]) / 2 * scale), round(240 - (box[1] + box[3]) / 2 * scale)))
    return frame


def shear(img: Image.Image, k: float) -> Image.Image:
    """x' = x + k·(y − 240): below the eyes (the nose) moves right for k > 0, like a turn to the
    citizen's left seen by an unmirrored camera."""
    return img.transform(img.size, Image.Transform.AFFINE, (1, -k, k * 240, 0, 1, 0), Image.Resampling.BILINEAR)


def burst(name: str, *, direction: float = 1.0) -> list[bytes]:
    frame = kiosk_frame(name)
    return [jpeg(shear(frame, direction * k)) for k in SHEARS]


def check(frames: list[bytes], *, reference: str = "obama_2010", challenge: str = "turn_left", **kw: float):
    return check_face(reference=photo(PEOPLE[reference]), frames=frames, challenge=challenge, **kw)


# --- matching ---------------------------------------------------------------------------------


def test_the_same_person_in_two_different_photos_matches():
    outcome = check(burst(PEOPLE["obama_2009"]))
    print(f"genuine obama_2009 ↔ obama_2010: {outcome.distance}")
    assert outcome.result == FaceCheck.Result.MATCH
    assert outcome.distance is not None and outcome.distance <= THRESHOLD
    assert outcome.threshold == THRESHOLD
    assert outcome.message == "Khuôn mặt khớp với ảnh trên thẻ căn cước."


def test_another_person_in_front_of_the_camera_does_not_match():
    outcome = check(burst(PEOPLE["biden"]))
    print(f"impostor biden ↔ obama_2010: {outcome.distance}")
    assert outcome.result == FaceCheck.Result.NO_MATCH
    assert outcome.distance is not None and outcome.distance > THRESHOLD
    assert "không khớp" in outcome.message


@pytest.mark.parametrize(
    ("a", "b"), [pair for pair in combinations(PEOPLE, 2) if {pair[0][:5], pair[1][:5]} != {"obama"}]
)
def test_photos_of_different_people_are_further_apart_than_the_threshold(a, b):
    distance = float(np.linalg.norm(describe(photo(PEOPLE[a])) - describe(photo(PEOPLE[b]))))
    print(f"impostor {a} ↔ {b}: {distance:.3f}")
    assert distance > THRESHOLD + 0.1  # a margin, not just the line


def test_two_photos_of_the_same_person_are_within_the_threshold():
    distance = float(np.linalg.norm(describe(photo(PEOPLE["obama_2009"])) - describe(photo(PEOPLE["obama_2010"]))))
    print(f"genuine obama_2009 ↔ obama_2010 (whole photos): {distance:.3f}")
    assert distance < THRESHOLD - 0.1


def test_a_stricter_threshold_turns_the_genuine_pair_into_no_match():
    outcome = check(burst(PEOPLE["obama_2009"]), threshold=0.3)
    assert outcome.result == FaceCheck.Result.NO_MATCH
    assert outcome.threshold == 0.3


def test_the_threshold_comes_from_settings(settings):
    settings.MOTCUA = {**settings.MOTCUA, "FACE_MATCH_THRESHOLD": 0.25}
    outcome = check(burst(PEOPLE["obama_2009"]))
    assert (outcome.result, outcome.threshold) == (FaceCheck.Result.NO_MATCH, 0.25)


# --- reference and frames that cannot be judged ------------------------------------------------


def test_a_reference_that_is_not_an_image_or_has_no_face_is_refused():
    grey = jpeg(Image.new("RGB", (300, 400), (128, 128, 128)))
    for reference in (b"not a jpeg", grey):
        outcome = check_face(reference=reference, frames=burst(PEOPLE["obama_2009"]), challenge="blink")
        assert outcome.result == FaceCheck.Result.NO_REFERENCE
        assert outcome.distance is None


def test_a_reference_with_two_faces_is_refused():
    two = photo("obama_biden_2010_blueroom_two_faces.jpg")
    assert check_face(reference=two, frames=burst(PEOPLE["obama_2009"]), challenge="turn_left").result == "no_reference"


def test_two_people_in_the_frame_are_several_faces():
    two = Image.open(FACES / "obama_biden_2010_blueroom_two_faces.jpg").convert("RGB")
    two.thumbnail((640, 480))
    frame = Image.new("RGB", (640, 480), (128, 128, 128))
    frame.paste(two, (0, (480 - two.height) // 2))
    outcome = check([jpeg(frame)] * 6)
    assert outcome.result == FaceCheck.Result.SEVERAL_FACES
    assert outcome.message.startswith("Có nhiều khuôn mặt")


def test_a_second_face_appearing_in_a_later_frame_is_several_faces():
    frames = burst(PEOPLE["obama_2009"])
    two = kiosk_frame(PEOPLE["obama_2009"]).copy()
    two.paste(kiosk_frame(PEOPLE["collins"]).crop((200, 100, 440, 380)).resize((180, 210)), (440, 250))
    frames[-1] = jpeg(two)
    assert check(frames).result == FaceCheck.Result.SEVERAL_FACES


def test_an_empty_view_or_unreadable_frames_are_no_face():
    grey = jpeg(Image.new("RGB", (640, 480), (128, 128, 128)))
    for frames in ([grey] * 8, [b"garbage"] * 8, []):
        outcome = check(frames)
        assert outcome.result == FaceCheck.Result.NO_FACE
        assert outcome.message == "Không thấy khuôn mặt. Vui lòng nhìn thẳng vào camera."


def test_a_face_seen_in_too_few_frames_is_no_face():
    frames = burst(PEOPLE["obama_2009"])
    grey = jpeg(Image.new("RGB", (640, 480), (128, 128, 128)))
    assert check(frames[:4] + [grey] * 6).result == FaceCheck.Result.NO_FACE


def test_a_dark_face_is_a_poor_image():
    dark = [jpeg(ImageEnhance.Brightness(shear(kiosk_frame(PEOPLE["obama_2009"]), k)).enhance(0.15)) for k in SHEARS]
    outcome = check(dark)
    assert (outcome.result, outcome.reason) == (FaceCheck.Result.POOR_IMAGE, "dark")
    assert "quá tối" in outcome.message


def test_a_blurred_face_is_a_poor_image():
    blurred = [jpeg(shear(kiosk_frame(PEOPLE["obama_2009"]), k).filter(ImageFilter.GaussianBlur(4))) for k in SHEARS]
    outcome = check(blurred)
    assert (outcome.result, outcome.reason) == (FaceCheck.Result.POOR_IMAGE, "blurred")
    assert "mờ" in outcome.message


# --- liveness on camera bursts -----------------------------------------------------------------


def test_a_turn_is_judged_in_the_asked_direction():
    left, right = burst(PEOPLE["obama_2009"]), burst(PEOPLE["obama_2009"], direction=-1)
    assert check(left, challenge="turn_left").result == FaceCheck.Result.MATCH
    assert check(right, challenge="turn_right").result == FaceCheck.Result.MATCH
    wrong = check(left, challenge="turn_right")
    assert (wrong.result, wrong.distance) == (FaceCheck.Result.NOT_LIVE, None)
    assert "quay đầu sang phải" in wrong.message


@pytest.mark.parametrize("challenge", CHALLENGES)
def test_a_still_picture_is_not_live(challenge):
    still = [jpeg(kiosk_frame(PEOPLE["obama_2009"]))] * 10
    outcome = check(still, challenge=challenge)
    assert outcome.result == FaceCheck.Result.NOT_LIVE
    assert outcome.distance is None


def test_a_face_jumping_across_the_frame_is_not_live():
    frames = burst(PEOPLE["obama_2009"])
    moved = Image.new("RGB", (640, 480), (128, 128, 128))
    moved.paste(kiosk_frame(PEOPLE["obama_2009"]), (-230, 0))  # a face width to the left, in 1/6 s
    frames[5] = jpeg(moved)
    outcome = check(frames)
    assert (outcome.result, outcome.reason) == (FaceCheck.Result.NOT_LIVE, "jump")


def test_an_unknown_challenge_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown challenge"):
        check_face(reference=b"", frames=[], challenge="smile")


# --- liveness on crafted landmarks -------------------------------------------------------------


def face(*, ear: float = 0.3, nose: float = 0.0) -> np.ndarray:
    """68 landmarks with the eyes 60 px apart, eyes 30 px wide opened to `ear`, and the nose tip
    `nose` inter-ocular distances to the image's right of the eyes' midpoint."""
    points = np.zeros((68, 2))
    for start, centre_x in ((36, 100.0), (42, 160.0)):
        lid = ear * 15  # EAR = (2·lid + 2·lid) / (2·30)
        points[start : start + 6] = [
            (centre_x - 15, 100), (centre_x - 5, 100 - lid), (centre_x + 5, 100 - lid),
            (centre_x + 15, 100), (centre_x + 5, 100 + lid), (centre_x - 5, 100 + lid),
        ]  # fmt: skip
    points[30] = (130 + nose * 60, 140)
    return points


def test_the_measures_read_the_landmarks():
    assert liveness.eye_aspect_ratio(face(ear=0.28)) == pytest.approx(0.28)
    assert liveness.nose_offset(face(nose=0.15)) == pytest.approx(0.15)
    tilted = face(nose=0.15) @ np.array([[0.8, 0.6], [-0.6, 0.8]])  # a head tilted sideways
    assert liveness.nose_offset(tilted) == pytest.approx(0.15)


def test_a_blink_is_a_drop_below_the_own_baseline_and_back():
    open_, shut = [face(ear=0.3)] * 3, face(ear=0.1)
    assert liveness.passed("blink", [*open_, face(ear=0.3), shut, face(ear=0.29)])
    assert not liveness.passed("blink", [*open_, face(ear=0.3), face(ear=0.29), shut])  # never reopened
    assert not liveness.passed("blink", [*open_, face(ear=0.24), face(ear=0.3)])  # a squint, not a blink
    assert not liveness.passed("turn_left", [*open_, shut, face(ear=0.3)])


def test_a_blink_is_judged_against_the_person_not_a_global_constant():
    # Narrow eyes: open at 0.18 (under the 0.2 often used as "closed"), shut at 0.08.
    narrow = [face(ear=0.18)] * 3
    assert not liveness.passed("blink", [*narrow, face(ear=0.18), face(ear=0.17)])
    assert liveness.passed("blink", [*narrow, face(ear=0.08), face(ear=0.17)])


def test_a_turn_moves_the_nose_from_its_own_baseline():
    # This person's nose sits off-centre to begin with (a slight pose or an asymmetric face).
    base = [face(nose=-0.12)] * 3
    assert liveness.passed("turn_left", [*base, face(nose=-0.05), face(nose=0.0)])
    assert not liveness.passed("turn_right", [*base, face(nose=-0.05), face(nose=0.0)])
    assert liveness.passed("turn_right", [*base, face(nose=-0.25)])
    assert not liveness.passed("turn_left", [*base, face(nose=-0.08)])  # within the jitter
    assert not liveness.passed("turn_left", base)


def test_the_baseline_length_and_margins_come_from_settings(settings):
    settings.MOTCUA = {**settings.MOTCUA, "FACE_TURN_MARGIN": 0.3, "FACE_BASELINE_FRAMES": 1}
    series = [face(nose=0.0), face(nose=0.2), face(nose=0.2)]
    assert not liveness.passed("turn_left", series)
    settings.MOTCUA = {**settings.MOTCUA, "FACE_TURN_MARGIN": 0.1}
    assert liveness.passed("turn_left", series)
