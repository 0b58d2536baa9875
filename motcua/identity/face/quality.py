"""Is a face image good enough to judge? Darkness and blur, measured with numpy on the face itself.

Both measures are taken on the face region scaled to a fixed size, so that a face close to the
camera and one further away are held to the same bar (the variance of a Laplacian grows with the
number of pixels an edge spans; scaling first makes it a property of the face, not of the distance).
"""

from __future__ import annotations

import numpy as np
from django.conf import settings
from PIL import Image

# The face region is scaled to this square before measuring (about the size dlib's descriptor sees).
CROP_SIZE = 128
# Mean luminance (0–255) of the face region below which a face is "too dark". The faces of the
# test frames measure 110–167, and 16–25 once darkened to 15 % brightness; a face in a dim corner
# or against a bright window falls under ~50, where landmarks and the descriptor become unreliable.
MIN_LUMINANCE = 45.0
# Variance of the Laplacian of the scaled face below which it is "blurred". Faces of ~200 px in a
# 640×480 frame made from the test photos measure 140–410; a Gaussian blur of radius 2 px brings
# them to 12–35, of radius 4 px under 10. Webcams are softer than press photos, so the bar only
# refuses clearly smeared faces (motion, a dirty lens), where landmarks and descriptor drift.
MIN_SHARPNESS = 20.0


def min_luminance() -> float:
    return float(settings.MOTCUA.get("FACE_MIN_LUMINANCE", MIN_LUMINANCE))


def min_sharpness() -> float:
    return float(settings.MOTCUA.get("FACE_MIN_SHARPNESS", MIN_SHARPNESS))


def face_crop(gray: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """The face region (left, top, right, bottom) of a grayscale frame, scaled to CROP_SIZE²."""
    height, width = gray.shape
    left, top, right, bottom = box
    left, top = max(0, left), max(0, top)
    right, bottom = min(width, right), min(height, bottom)
    if right - left < 2 or bottom - top < 2:
        return np.zeros((CROP_SIZE, CROP_SIZE), dtype=np.uint8)
    region = Image.fromarray(gray[top:bottom, left:right])
    return np.asarray(region.resize((CROP_SIZE, CROP_SIZE), Image.Resampling.BILINEAR))


def luminance(gray: np.ndarray) -> float:
    """Mean luminance 0–255."""
    return float(gray.mean()) if gray.size else 0.0


def sharpness(gray: np.ndarray) -> float:
    """Variance of the 4-neighbour Laplacian: high on crisp edges, low when everything is smeared."""
    if gray.shape[0] < 3 or gray.shape[1] < 3:
        return 0.0
    g = gray.astype(np.float32)
    lap = g[:-2, 1:-1] + g[2:, 1:-1] + g[1:-1, :-2] + g[1:-1, 2:] - 4.0 * g[1:-1, 1:-1]
    return float(lap.var())


def is_dark(value: float) -> bool:
    return value < min_luminance()


def is_blurred(value: float) -> bool:
    return value < min_sharpness()
