"""The kiosk's face check: how long does one take, and how well does the threshold separate people?

    .venv/bin/python bench/face_check.py [--runs 30] [--frames 10]

Latency: `check_face` on a burst of 640×480 JPEG frames made in memory from the shared test
photos (tests/data/faces, fixtures only: never shown anywhere) — the face scaled to ~200 px as
for a citizen at the kiosk, three neutral frames then a head turn imitated by a shear — against
the other photo of the same person as the chip photo. Printed: p50/p95/max per check (wall
clock), the median CPU time (what a check costs, whatever else shares the cores) and the mean
time per stage (decode, detect, landmarks, quality, descriptor). The models are loaded before timing (once per process, ~1.5 s, at the first check after a restart).

Distances: every pair of the shared photos, whole photos and kiosk frames, as genuine (same
person, different photo) or impostor, with false accepts and false rejects at the configured
threshold and around it. Four people is a sanity check of the operating point, not a calibration:
that needs consented photos of Vietnamese citizens (tests/data/faces/README.md).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("MOTCUA_VAR_DIR", tempfile.mkdtemp(prefix="motcua-face-"))

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from motcua.identity.face import check_face, describe, vision  # noqa: E402
from motcua.identity.face.engine import default_threshold  # noqa: E402

FACES = ROOT / "tests" / "data" / "faces"
PHOTOS = {
    "obama_2009": ("obama", "obama_2009_congress.jpg"),
    "obama_2010": ("obama", "obama_2010_blueroom.jpg"),
    "biden": ("biden", "biden_2010_blueroom.jpg"),
    "collins": ("collins", "collins_astronaut.png"),
}
STAGES = ("decode", "detect", "landmarks", "quality", "descriptor")
OTHER_THRESHOLDS = (0.4, 0.5, 0.55, 0.65, 0.7)


def jpeg(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90)
    return out.getvalue()


def kiosk_frame(name: str) -> Image.Image:
    """The photo's face scaled to 200 px wide, centred in a grey 640×480 frame."""
    img = Image.open(FACES / name).convert("RGB")
    small = vision.decode((FACES / name).read_bytes())
    assert small is not None
    box = [v * img.width / small.rgb.shape[1] for v in vision.detect(small.gray, full=True, upsample=1)[0].box]
    scale = 200 / (box[2] - box[0])
    img = img.resize((round(img.width * scale), round(img.height * scale)), Image.Resampling.LANCZOS)
    frame = Image.new("RGB", (640, 480), (128, 128, 128))
    frame.paste(img, (round(320 - (box[0] + box[2]) / 2 * scale), round(240 - (box[1] + box[3]) / 2 * scale)))
    return frame


def burst(frame: Image.Image, count: int) -> list[bytes]:
    """Three neutral frames, then a turn to the citizen's left and back (a shear about the eyes)."""
    turn = [0.1, 0.2, 0.3, 0.3, 0.2, 0.1, 0.0]
    shears = [0.0] * 3 + [turn[i % len(turn)] for i in range(max(1, count - 3))]
    return [
        jpeg(frame.transform(frame.size, Image.Transform.AFFINE, (1, -k, k * 240, 0, 1, 0), Image.Resampling.BILINEAR))
        for k in shears
    ]  # fmt: skip


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def latency(runs: int, count: int) -> None:
    reference = (FACES / PHOTOS["obama_2010"][1]).read_bytes()
    started = time.perf_counter()
    vision.models()
    print(f"models loaded (once per process): {(time.perf_counter() - started) * 1000:.0f} ms\n")
    cases = {
        "genuine (match)": burst(kiosk_frame(PHOTOS["obama_2009"][1]), count),
        "impostor (no match)": burst(kiosk_frame(PHOTOS["biden"][1]), count),
        "still picture (not live)": [jpeg(kiosk_frame(PHOTOS["obama_2009"][1]))] * count,
        "empty view (no face)": [jpeg(Image.new("RGB", (640, 480), (128, 128, 128)))] * count,
    }
    check_face(reference=reference, frames=cases["genuine (match)"], challenge="turn_left")  # warm-up
    header = f"{'case':26} {'result':10} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'cpu p50':>7}  " + " ".join(
        f"{s:>10}" for s in STAGES
    )
    print(
        f"{count} frames of 640×480 per check, {runs} runs each; stages: mean ms per check\n{header}\n{'-' * len(header)}"
    )
    for name, frames in cases.items():
        totals, cpu, stages = [], [], dict.fromkeys(STAGES, 0.0)
        for _ in range(runs):
            timings: dict[str, float] = {}
            begun, begun_cpu = time.perf_counter(), time.process_time()
            outcome = check_face(reference=reference, frames=frames, challenge="turn_left", timings=timings)
            totals.append((time.perf_counter() - begun) * 1000)
            cpu.append((time.process_time() - begun_cpu) * 1000)
            for stage, ms in timings.items():
                stages[stage] += ms / runs
        print(
            f"{name:26} {outcome.result:10} {percentile(totals, 50):7.0f} {percentile(totals, 95):7.0f} {max(totals):7.0f} "
            f"{percentile(cpu, 50):7.0f}  " + " ".join(f"{stages[s]:10.1f}" for s in STAGES)
        )  # fmt: skip


def distances() -> list[tuple[str, str, bool, float]]:
    """(a, b, genuine, distance) for whole photos and for kiosk frames against whole photos."""
    whole = {key: describe((FACES / name).read_bytes()) for key, (_p, name) in PHOTOS.items()}
    framed = {key: describe(jpeg(kiosk_frame(name))) for key, (_p, name) in PHOTOS.items()}
    pairs = [(a, b, whole[a], whole[b]) for a, b in combinations(PHOTOS, 2)]
    # A kiosk frame against its own source photo is the same picture, not a genuine pair.
    pairs += [(f"{a} (frame)", b, framed[a], whole[b]) for a in PHOTOS for b in PHOTOS if a != b]
    return [
        (a, b, PHOTOS[a.split(" ")[0]][0] == PHOTOS[b][0], float(np.linalg.norm(da - db)))
        for a, b, da, db in pairs
        if da is not None and db is not None
    ]  # fmt: skip


def accuracy() -> None:
    rows = distances()
    print(f"\n{'photo (live)':20} {'photo (reference)':18} {'pair':9} {'distance':>8}\n{'-' * 58}")
    for a, b, genuine, dist in sorted(rows, key=lambda r: r[3]):
        print(f"{a:20} {b:18} {'genuine' if genuine else 'impostor':9} {dist:8.3f}")
    genuine = [d for _a, _b, g, d in rows if g]
    impostor = [d for _a, _b, g, d in rows if not g]
    configured = default_threshold()
    print(
        f"\n{len(genuine)} genuine pairs (max {max(genuine):.3f}), {len(impostor)} impostor pairs (min {min(impostor):.3f})"
    )
    print(f"{'threshold':>10} {'false accepts':>14} {'false rejects':>14}\n{'-' * 40}")
    for threshold in sorted({configured, *OTHER_THRESHOLDS}):
        mark = "  ← configured" if threshold == configured else ""
        fa = sum(d <= threshold for d in impostor)
        fr = sum(d > threshold for d in genuine)
        print(f"{threshold:10.2f} {fa:>7} / {len(impostor):<6} {fr:>7} / {len(genuine):<6}{mark}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--frames", type=int, default=10)
    args = parser.parse_args()
    latency(args.runs, args.frames)
    accuracy()


if __name__ == "__main__":
    main()
