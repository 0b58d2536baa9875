"""Xác thực bằng khuôn mặt in a real Chromium whose camera is a clip made from the test photos.

Each run launches its own Chromium with a fake camera (`--use-file-for-fake-video-capture`): an
MJPEG clip written at test time in a temporary folder from tests/data/faces (fixtures only, never
shown in docs). The card reader posts through the API with another photo as the chip's. The
real face engine judges the frames.

The clip imitates a head turn: the middle of the face is pushed sideways (fading out towards the
eyes and cheeks), so the nose tip moves against the eyes as in a turn while the face stays whole.
Straight for the first 2.6 seconds (the countdown and the baseline frames: Chromium plays the file
from its start when the page opens the camera), turned to the citizen's left for the next three,
back again.
The screen's challenge is fixed to "turn_left" for these runs (`face_checks.challenges`); a
blink cannot be drawn into a still photo.
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import numpy as np
import pytest
import time_machine
from PIL import Image
from playwright.sync_api import expect

from motcua.devices.services import device_create
from motcua.identity.models import FaceCheck, TicketIdentity
from motcua.identity.services import face_checks
from motcua.queueing.models import Ticket
from tests.queueing.conftest import local, make_counter, make_queue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FACES = Path(__file__).resolve().parent.parent / "data" / "faces"
LANDSCAPE = {"width": 1920, "height": 1080}
TUESDAY_0930 = local(2026, 3, 10, 9, 30)
FPS = 30  # Chromium reads an MJPEG file at 30 frames a second
# Seconds of the clip and the turn in them: straight, turning, turned, back, straight.
TIMELINE = [(2.6, 0.0), (0.3, "ramp"), (3.0, 1.0), (0.3, "back"), (1.0, 0.0)]
TURN = 0.3  # the nose tip moves by this many eye distances at the height of the turn


def kiosk_frame(name: str) -> tuple[Image.Image, tuple[float, float], float]:
    """The photo's face scaled to ~200 px wide, centred in a grey 640×480 frame; with where its
    nose tip is and how far apart its eyes are."""
    from motcua.identity.face import vision

    data = (FACES / name).read_bytes()
    img = Image.open(io.BytesIO(data)).convert("RGB")
    small = vision.decode(data)
    assert small is not None
    box = [v * img.width / small.rgb.shape[1] for v in vision.detect(small.gray, full=True, upsample=1)[0].box]
    scale = 200 / (box[2] - box[0])
    img = img.resize((round(img.width * scale), round(img.height * scale)), Image.Resampling.LANCZOS)
    frame = Image.new("RGB", (640, 480), (128, 128, 128))
    frame.paste(img, (round(320 - (box[0] + box[2]) / 2 * scale), round(240 - (box[1] + box[3]) / 2 * scale)))
    gray = np.asarray(frame.convert("L"))
    points = vision.points(vision.landmarks(gray, vision.detect(gray, full=True, upsample=1)[0]))
    eyes = np.linalg.norm(points[36:42].mean(axis=0) - points[42:48].mean(axis=0))
    return frame, (float(points[30][0]), float(points[30][1])), float(eyes)


def turn(frame: Image.Image, nose: tuple[float, float], shift: float, spread: float) -> Image.Image:
    """The nose and the middle of the face pushed `shift` px sideways, fading out towards the eyes
    and the cheeks: against the eyes the nose tip moves as in a head turn, the face stays whole."""
    pixels = np.asarray(frame, dtype=np.float32)
    ys, xs = np.mgrid[0 : pixels.shape[0], 0 : pixels.shape[1]].astype(np.float32)
    weight = np.exp(-((xs - nose[0]) ** 2 + (ys - nose[1]) ** 2) / (2 * spread**2))
    source = np.clip(xs - shift * weight, 0, pixels.shape[1] - 2)
    left = source.astype(np.int32)
    part = (source - left)[..., None]
    rows = ys.astype(np.int32)
    out = pixels[rows, left] * (1 - part) + pixels[rows, left + 1] * part
    return Image.fromarray(out.clip(0, 255).astype(np.uint8))


def turns() -> list[float]:
    """The turn in each frame of the clip, 0 (straight) to 1 (turned)."""
    values: list[float] = []
    for seconds, value in TIMELINE:
        n = round(seconds * FPS)
        if value == "ramp":
            values += [(i + 1) / n for i in range(n)]
        elif value == "back":
            values += [(n - i - 1) / n for i in range(n)]
        else:
            values += [float(value)] * n
    return values


def mjpeg(path: Path, frames: list[Image.Image]) -> Path:
    with path.open("wb") as out:
        for frame in frames:
            frame.save(out, "JPEG", quality=88)
    return path


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("camera")
    face, nose, eyes = kiosk_frame("obama_2010_blueroom.jpg")
    grey = Image.new("RGB", (640, 480), (128, 128, 128))
    steps = {k: turn(face, nose, TURN * eyes * k, 0.4 * eyes) for k in set(turns())}
    return {
        "turning": mjpeg(folder / "turning.mjpeg", [steps[k] for k in turns()]),
        "empty": mjpeg(folder / "empty.mjpeg", [grey] * FPS),
    }


@pytest.fixture
def floor(center, reception_officer, monkeypatch):
    monkeypatch.setattr(face_checks, "challenges", lambda: ("turn_left",))
    with time_machine.travel(TUESDAY_0930, tick=True):
        queue = make_queue(center, "tu-phap", name="Sở Tư pháp", prefix="B")
        make_counter(center, 5, [queue], officer=reception_officer)
        yield device_create(center=center, kind="card_reader", name="Đầu đọc kiosk 1")[1]


@pytest.fixture
def camera_browser(chromium):
    """A Chromium of its own whose camera plays `clip` (the shared fixture has no camera),
    launched from the suite's one Playwright (a second sync Playwright in the same thread fails)."""
    browsers = []

    def launch(clip: Path):
        browser = chromium.browser_type.launch(
            executable_path="/usr/bin/chromium", headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={clip}",
            ],
        )  # fmt: skip
        browsers.append(browser)
        return browser

    yield launch
    for browser in browsers:
        browser.close()


def post_card(page, token: str, chip: str, number: str = "092090001234", birth: str = "1990-05-12") -> None:
    response = page.request.post("/api/v1/identity/card-reads", headers={"Authorization": f"Device {token}"}, data={
        "national_id": number, "full_name": "Nguyễn Văn An", "birth_date": birth, "sex": "Nam",
        "address": "12 Hòa Bình, Ninh Kiều, Cần Thơ",
        "photo_jpeg_base64": base64.b64encode((FACES / chip).read_bytes()).decode(),
    })  # fmt: skip
    assert response.status == 201, response.text()


def kiosk(camera_browser, live_server, clip: Path):
    context = camera_browser(clip).new_context(viewport=LANDSCAPE, locale="vi-VN", base_url=live_server.url)
    return context.new_page()


def to_card_screen(page, screenshot=None) -> None:
    page.goto("/kiosk/cantho/lay-so/")
    page.get_by_test_id("face-offer").click()
    expect(page.get_by_test_id("face-consent")).to_be_visible()
    if screenshot:
        screenshot(page, "kiosk-face-1-consent-1920x1080", full_page=False)
    page.get_by_test_id("consent-agree").click()
    expect(page.get_by_test_id("face-card")).to_be_visible()
    if screenshot:
        screenshot(page, "kiosk-face-2-card-1920x1080", full_page=False)


def outcome(page):
    result = page.get_by_test_id("face-outcome")
    expect(result).to_be_visible(timeout=20_000)
    return result


def test_a_citizen_matches_their_card_and_the_ticket_carries_the_identity(
    camera_browser, live_server, clips, floor, screenshot
):
    page = kiosk(camera_browser, live_server, clips["turning"])
    to_card_screen(page, screenshot)
    post_card(page, floor, "obama_2009_congress.jpg")
    expect(page.get_by_test_id("face-camera")).to_be_visible(timeout=10_000)
    expect(page.get_by_test_id("face-challenge")).to_have_text("Hãy quay đầu sang trái")
    page.wait_for_function("document.querySelector('[data-face-camera]').classList.contains('is-live')")
    page.wait_for_timeout(2200)  # the countdown and the turn under way
    screenshot(page, "kiosk-face-3-camera-1920x1080", full_page=False)
    result = outcome(page)
    screenshot(page, "kiosk-face-4-match-1920x1080", full_page=False)
    assert result.get_attribute("data-result") == "match", page.get_by_test_id("face-outcome-message").inner_text()
    expect(page.get_by_test_id("face-verified")).to_contain_text("Nguyễn Văn An")

    page.get_by_test_id("face-take-number").click()
    expect(page.get_by_test_id("face-banner")).to_contain_text("Nguyễn Văn An")
    page.locator('.q-tile[data-queue="tu-phap"]').click()
    expect(page.get_by_test_id("face-banner")).to_be_visible()
    screenshot(page, "kiosk-face-5-confirm-1920x1080", full_page=False)
    page.get_by_test_id("take-number").click()
    expect(page).to_have_url(re.compile(r"/lay-so/phieu/[^/]+/$"))
    identity = TicketIdentity.objects.select_related("face_check").get()
    assert identity.ticket == Ticket.objects.get() and identity.method == "face"
    assert identity.full_name == "Nguyễn Văn An" and identity.national_id == "092090001234"
    assert identity.face_check.result == "match" and identity.face_check.distance < identity.face_check.threshold


def test_another_persons_card_does_not_match(camera_browser, live_server, clips, floor, screenshot):
    page = kiosk(camera_browser, live_server, clips["turning"])
    to_card_screen(page)
    post_card(page, floor, "biden_2010_blueroom.jpg")
    result = outcome(page)
    screenshot(page, "kiosk-face-4-no-match-1920x1080", full_page=False)
    assert result.get_attribute("data-result") == "no_match", page.get_by_test_id("face-outcome-message").inner_text()
    expect(page.get_by_test_id("face-retry")).to_be_visible()
    check = FaceCheck.objects.get()
    assert check.distance > check.threshold
    page.get_by_test_id("face-counter").click()
    expect(page).to_have_url(re.compile("/kiosk/cantho/lay-so/$"))
    expect(page.get_by_test_id("face-offer")).to_be_visible()  # nobody's identity any more


def test_an_empty_camera_is_no_face(camera_browser, live_server, clips, floor, screenshot):
    page = kiosk(camera_browser, live_server, clips["empty"])
    to_card_screen(page)
    post_card(page, floor, "obama_2009_congress.jpg")
    result = outcome(page)
    screenshot(page, "kiosk-face-4-no-face-1920x1080", full_page=False)
    assert result.get_attribute("data-result") == "no_face"
    expect(page.get_by_test_id("face-outcome-title")).to_have_text("Không nhìn thấy khuôn mặt")
    assert not TicketIdentity.objects.exists()
