"""dlib, called directly: decoding, face detection, 68 landmarks and the 128-d descriptor.

The model files come from the pinned `face-recognition-models` package; nothing is downloaded.
They are loaded once per process, on first use (about 1.5 s), behind a lock so that two requests
arriving together do not load them twice. The HOG detector and the shape predictor only read
their models and can be shared by threads; the ResNet keeps its layer outputs inside the network
object, so descriptors are computed one at a time under a lock.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image, ImageOps

# Frames and reference photos are scaled to fit this square before anything else: a kiosk camera
# gives 640×480 and a chip photo is smaller; a bigger upload only costs time.
MAX_SIDE = 640
# Faces are first looked for at this width (4× fewer pixels: ~4 ms instead of ~12 ms per frame).
# HOG finds faces of ≥ 80 px at the scale it runs on, so this pass sees faces ≥ 160 px in a
# 640 px frame, which is a person standing at the kiosk; smaller faces are found by the full pass.
FAST_WIDTH = 320
# Larger than this many pixels, an upload is refused before decoding (decompression bombs).
MAX_PIXELS = 40_000_000
# Detections weaker than this HOG score are ignored (the detector's own threshold is 0; weak
# boxes on clothing and backgrounds score under 0.3, real faces over 0.8 on the test photos).
MIN_SCORE = 0.3

Box = tuple[int, int, int, int]  # left, top, right, bottom in the pixels of the decoded image


@dataclass(frozen=True)
class Image8:
    """A decoded image: RGB for the descriptor, grayscale for detection, landmarks and quality."""

    rgb: np.ndarray
    gray: np.ndarray


@dataclass(frozen=True)
class Face:
    box: Box
    score: float

    @property
    def width(self) -> int:
        return self.box[2] - self.box[0]


class _Models:
    def __init__(self) -> None:
        import dlib
        import face_recognition_models as files

        self.detector = dlib.get_frontal_face_detector()
        self.predictor = dlib.shape_predictor(files.pose_predictor_model_location())
        self.encoder = dlib.face_recognition_model_v1(files.face_recognition_model_location())
        self.encoder_lock = threading.Lock()
        self.rectangle = dlib.rectangle


_models: _Models | None = None
_load_lock = threading.Lock()


def models() -> _Models:
    global _models
    if _models is None:
        with _load_lock:
            if _models is None:
                _models = _Models()
    return _models


def decode(data: bytes) -> Image8 | None:
    """JPEG/PNG bytes → an image fitting MAX_SIDE², or None when the bytes are not a usable image."""
    rgb = _open(data, "RGB")
    return None if rgb is None else Image8(rgb=np.asarray(rgb), gray=np.asarray(rgb.convert("L")))


def decode_gray(data: bytes) -> np.ndarray | None:
    """Only the luminance, 3× faster for a JPEG (its decoder skips the colour planes): enough to
    find a face, its landmarks and its quality; colour is decoded for the one frame described."""
    gray = _open(data, "L")
    return None if gray is None else np.asarray(gray)


def _open(data: bytes, mode: str) -> Image.Image | None:
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.width * img.height > MAX_PIXELS:
                return None
            img.draft(mode, (MAX_SIDE, MAX_SIDE))  # JPEG: the decoder itself scales by 1/2, 1/4, 1/8
            out = ImageOps.exif_transpose(img).convert(mode)
            out.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BILINEAR)
            return out
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None


def detect(gray: np.ndarray, *, full: bool = False, upsample: int = 0) -> list[Face]:
    """Faces in a grayscale image, largest first. Tries the fast scale first unless `full`."""
    if not full and gray.shape[1] > FAST_WIDTH:
        faces = _detect_scaled(gray, FAST_WIDTH / gray.shape[1])
        if faces:
            return faces
    return _run(gray, upsample, 1.0)


def _detect_scaled(gray: np.ndarray, scale: float) -> list[Face]:
    size = (round(gray.shape[1] * scale), round(gray.shape[0] * scale))
    small = np.asarray(Image.fromarray(gray).resize(size, Image.Resampling.BILINEAR))
    return _run(small, 0, scale)


def _run(gray: np.ndarray, upsample: int, scale: float) -> list[Face]:
    rects, scores, _ = models().detector.run(gray, upsample, 0.0)
    faces = [
        Face(box=(round(r.left() / scale), round(r.top() / scale), round(r.right() / scale), round(r.bottom() / scale)), score=s)
        for r, s in zip(rects, scores, strict=True)
        if s >= MIN_SCORE
    ]  # fmt: skip
    return sorted(faces, key=lambda f: -f.width)


def landmarks(gray: np.ndarray, face: Face) -> Any:
    """dlib's 68-point shape (kept as the dlib object: the descriptor needs it)."""
    m = models()
    return m.predictor(gray, m.rectangle(*face.box))


def points(shape: Any) -> np.ndarray:
    """A (68, 2) float array of the landmark coordinates."""
    return np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)


def descriptor(rgb: np.ndarray, shape: Any) -> np.ndarray:
    """The 128-d descriptor of the aligned face (no jitter: 1× the cost, as measured in the bench)."""
    m = models()
    with m.encoder_lock:
        return np.asarray(m.encoder.compute_face_descriptor(rgb, shape, 0))


def distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b))
