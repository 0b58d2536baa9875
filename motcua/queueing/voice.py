"""The board's voice: one WAV per announcement, a chime then the words, cached on disk.

Where the words come from, best first:

1. recorded clips, when `MOTCUA["VOICE_CLIPS_DIR"]` holds one for every word of the
   announcement (names in docs/voice-clips.md); the clips are trimmed, levelled and joined;
2. espeak-ng (`MOTCUA["VOICE_ESPEAK"]`, voice `MOTCUA["VOICE_NAME"]`, default `vi`);
3. nothing: a warning is logged, `announcement_wav` returns None and the board shows the text
   with the chime only.

Files are named by a hash of the text, the engine and its inputs, so a recall (same words) is a
cache hit, and a new recording or voice makes a new file. Each file is written to a temporary
name first and moved into place with `os.replace`, so two workers rendering the same call at the
same moment never leave a half-written file behind. No third-party audio: the chime is
synthesised here, levels are computed with numpy, no sox.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess  # noqa: S404  # espeak-ng is run without a shell, the text goes through stdin
import tempfile
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
from django.conf import settings

from .speech import LETTER_NAMES, OPENING, PAUSE, TO_COUNTER, announcement_parts

log = logging.getLogger(__name__)

RATE = 22050  # espeak-ng's own rate; clips at other rates are resampled to it
PEAK = 0.89  # -1 dBFS
RMS = 0.12  # about -18 dBFS: loud enough for a hall, the peak limit keeps it clean
CHIME_PEAK = 0.6  # the chime is a little softer than the words
ESPEAK_SPEED = "140"  # words per minute; slower than the default 175 for a hall with echo
ESPEAK_TIMEOUT = 20
CHIME_FILE = "chime-v1.wav"

NUMBER_CLIPS = {
    "không": "khong", "một": "mot", "hai": "hai", "ba": "ba", "bốn": "bon", "năm": "nam",
    "sáu": "sau", "bảy": "bay", "tám": "tam", "chín": "chin",
    "mốt": "mot-sac", "tư": "tu", "lăm": "lam", "linh": "linh",
    "mười": "muoi", "mươi": "muoi-ngang", "trăm": "tram", "nghìn": "nghin", "triệu": "trieu",
}  # fmt: skip
PHRASE_CLIPS = {OPENING: "moi-cong-dan-co-so-thu-tu", TO_COUNTER: "den-quay-so"}
LETTER_CLIPS = {name: "chu-" + ("dd" if letter == "Đ" else letter.lower()) for letter, name in LETTER_NAMES.items()}
CLIP_NAMES: dict[str, str] = {**PHRASE_CLIPS, **NUMBER_CLIPS, **LETTER_CLIPS}

# Silence between parts (seconds): a breath after a phrase, a pause at ",", little between words.
GAP_WORD, GAP_PHRASE, GAP_PAUSE = 0.04, 0.15, 0.3


# --- the public entry points ------------------------------------------------------------------


def announcement_wav(what: str | tuple[str, int]) -> Path | None:
    """The cached WAV for a text or a (ticket code, counter number) pair; None without a voice."""
    parts = announcement_parts(*what) if isinstance(what, tuple) else None
    text = " ".join(parts).replace(" ,", ",") if parts else str(what)
    clips = _clip_paths(parts) if parts else None
    if clips is not None:
        key = _key(text, "clips", _clips_signature(clips))
        return _cached(key, lambda: _join_clips(parts or [], clips))
    binary = espeak_binary()
    if binary is None:
        log.warning("no voice: espeak-ng (%s) is not installed and no recorded clips cover %r", _espeak(), text)
        return None
    return _cached(_key(text, "espeak-ng", _voice()), lambda: _espeak_samples(binary, text))


def chime_wav() -> Path:
    """The two-tone chime alone (written once), for boards without a voice."""
    path = _cache_dir() / CHIME_FILE
    if not path.exists():
        _write_wav(path, chime_samples())
    return path


def voice_available() -> bool:
    return espeak_binary() is not None or bool(settings.MOTCUA.get("VOICE_CLIPS_DIR"))


def espeak_binary() -> str | None:
    return shutil.which(_espeak())


# --- cache ------------------------------------------------------------------------------------


def _espeak() -> str:
    return str(settings.MOTCUA.get("VOICE_ESPEAK") or "espeak-ng")


def _voice() -> str:
    return str(settings.MOTCUA.get("VOICE_NAME") or "vi")


def _cache_dir() -> Path:
    path = Path(settings.MOTCUA["VOICE_CACHE_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def _key(text: str, engine: str, inputs: str) -> str:
    return hashlib.sha256(f"{engine}\n{inputs}\n{ESPEAK_SPEED}\n{text}".encode()).hexdigest()[:32]


def _cached(key: str, render: Callable[[], np.ndarray]) -> Path:
    path = _cache_dir() / f"{key}.wav"
    if not path.exists():
        voice = normalise(render())
        gap = np.zeros(int(RATE * 0.25), dtype=np.float32)
        _write_wav(path, np.concatenate([chime_samples(), gap, voice]))
    return path


def _write_wav(path: Path, samples: np.ndarray) -> None:
    """Write 16-bit mono PCM to a temporary file beside `path`, then move it into place."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".wav")
    try:
        with os.fdopen(fd, "wb") as raw, wave.open(raw, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(pcm.tobytes())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- sound ------------------------------------------------------------------------------------


def read_wav(path: Path) -> np.ndarray:
    """Mono float samples in -1..1 at RATE, from 8/16/24/32-bit PCM, mono or stereo, any rate."""
    with wave.open(str(path), "rb") as src:
        channels, width, rate = src.getnchannels(), src.getsampwidth(), src.getframerate()
        raw = src.readframes(src.getnframes())
    ints = _pcm_ints(raw, width)
    data = ints.astype(np.float32) / float(1 << (8 * width - 1))
    mono = data.reshape(-1, channels).mean(axis=1) if channels > 1 else data
    return _resample(mono, rate)


def _pcm_ints(raw: bytes, width: int) -> np.ndarray:
    """Signed integers from little-endian PCM (8-bit WAV is unsigned, 24-bit has no numpy type)."""
    if width == 1:
        return np.frombuffer(raw, dtype=np.uint8).astype(np.int32) - 128
    if width == 3:
        b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        ints = b[:, 0] | b[:, 1] << 8 | b[:, 2] << 16
        return np.where(ints >= 1 << 23, ints - (1 << 24), ints)
    return np.frombuffer(raw, dtype={2: "<i2", 4: "<i4"}[width]).astype(np.int64)


def _resample(samples: np.ndarray, rate: int) -> np.ndarray:
    if rate == RATE or len(samples) == 0:
        return samples.astype(np.float32)
    count = int(len(samples) * RATE / rate)
    positions = np.linspace(0, len(samples) - 1, count)
    return np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)


def normalise(samples: np.ndarray, *, peak: float = PEAK, rms: float = RMS) -> np.ndarray:
    """Bring speech to a common loudness (RMS), never above `peak`; silence stays silence."""
    samples = samples.astype(np.float32)
    top = float(np.max(np.abs(samples))) if len(samples) else 0.0
    if top == 0.0:
        return samples
    level = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))
    return samples * min(rms / level, peak / top)


def trim(samples: np.ndarray, *, threshold: float = 0.02, margin: float = 0.02) -> np.ndarray:
    """Cut the silence a recording starts and ends with, keeping a few milliseconds."""
    loud = np.flatnonzero(np.abs(samples) > threshold * max(float(np.max(np.abs(samples), initial=0.0)), 1e-9))
    if len(loud) == 0:
        return samples[:0]
    keep = int(RATE * margin)
    return samples[max(loud[0] - keep, 0) : loud[-1] + keep]


def chime_samples() -> np.ndarray:
    """A soft two-tone "ding-dong" (E5 then C5) with bell-like overtones, about 1.4 s."""
    t = np.arange(int(RATE * 1.4)) / RATE
    sound = np.zeros_like(t)
    for start, freq in ((0.0, 659.25), (0.42, 523.25)):
        local = np.clip(t - start, 0, None)
        envelope = np.where(t >= start, np.exp(-local * 3.2) * np.minimum(local / 0.006, 1), 0)
        tone = sum(amp * np.sin(2 * np.pi * freq * mult * local) for mult, amp in ((1, 1.0), (2, 0.35), (3, 0.12)))
        sound += envelope * tone
    sound *= np.minimum(1, (t[-1] - t) / 0.05)  # fade the tail out, no click at the end
    return (sound / np.max(np.abs(sound)) * CHIME_PEAK).astype(np.float32)


# --- engines ----------------------------------------------------------------------------------


def _espeak_samples(binary: str, text: str) -> np.ndarray:
    fd, tmp = tempfile.mkstemp(dir=_cache_dir(), prefix=".espeak-", suffix=".wav")
    os.close(fd)
    try:
        subprocess.run(  # noqa: S603  # fixed argument list, text on stdin
            [binary, "-v", _voice(), "-s", ESPEAK_SPEED, "-w", tmp, "--stdin"],
            input=text.encode(),
            check=True,
            capture_output=True,
            timeout=ESPEAK_TIMEOUT,
        )
        return read_wav(Path(tmp))
    finally:
        Path(tmp).unlink(missing_ok=True)


def _clip_paths(parts: list[str]) -> dict[str, Path] | None:
    """Clip file for every part, or None when the clips directory is unset or misses one."""
    folder = settings.MOTCUA.get("VOICE_CLIPS_DIR")
    if not folder:
        return None
    paths: dict[str, Path] = {}
    for part in parts:
        if part == PAUSE:
            continue
        path = Path(folder) / f"{CLIP_NAMES.get(part, '?')}.wav"
        if not path.is_file():
            log.info("voice clip %s is missing, espeak-ng speaks this announcement", path.name)
            return None
        paths[part] = path
    return paths


def _clips_signature(clips: dict[str, Path]) -> str:
    """Changes when a clip is re-recorded, so the cache never serves the old voice."""
    stats = sorted(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in set(clips.values()))
    return ",".join(stats)


def _join_clips(parts: list[str], clips: dict[str, Path]) -> np.ndarray:
    pieces: list[np.ndarray] = []
    for part in parts:
        if part == PAUSE:
            pieces.append(np.zeros(int(RATE * GAP_PAUSE), dtype=np.float32))
            continue
        pieces.append(normalise(trim(read_wav(clips[part]))))
        gap = GAP_PHRASE if part in PHRASE_CLIPS else GAP_WORD
        pieces.append(np.zeros(int(RATE * gap), dtype=np.float32))
    return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
