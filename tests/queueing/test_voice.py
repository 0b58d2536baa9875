"""The board's voice: espeak-ng WAVs, recorded clips joined word by word, the cache."""

from __future__ import annotations

import logging
import threading
import wave
from pathlib import Path

import numpy as np
import pytest

from motcua.queueing import voice
from motcua.queueing.speech import announcement_parts


@pytest.fixture
def voice_dirs(settings, tmp_path):
    """A fresh cache per test, no clips unless a test records some."""
    settings.MOTCUA = {**settings.MOTCUA, "VOICE_CACHE_DIR": tmp_path / "cache", "VOICE_CLIPS_DIR": ""}
    return tmp_path


@pytest.fixture
def espeak_calls(monkeypatch):
    """Counts the espeak-ng runs while still running it."""
    calls: list[list[str]] = []
    real_run = voice.subprocess.run

    def counting_run(args, **kwargs):
        calls.append(list(args))
        return real_run(args, **kwargs)

    monkeypatch.setattr(voice.subprocess, "run", counting_run)
    return calls


def _tone(seconds: float, freq: float, rate: int, amplitude: float) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return amplitude * np.sin(2 * np.pi * freq * t)


def write_clip(path: Path, *, rate: int = 16000, channels: int = 2, seconds: float = 0.2, freq: float = 440.0):
    """A short tone with silence around it, as a recording would have."""
    silence = np.zeros(int(rate * 0.3))
    mono = np.concatenate([silence, _tone(seconds, freq, rate, 0.3), silence])
    pcm = (np.repeat(mono[:, None], channels, axis=1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())


def record_clips(folder: Path, parts: list[str]) -> None:
    folder.mkdir(exist_ok=True)
    for index, part in enumerate(p for p in parts if p != ","):
        write_clip(folder / f"{voice.CLIP_NAMES[part]}.wav", freq=300 + 50 * index)


def duration(path: Path) -> float:
    with wave.open(str(path), "rb") as src:
        return src.getnframes() / src.getframerate()


def test_espeak_renders_a_normalised_mono_wav_with_the_chime_first(voice_dirs, espeak_calls):
    path = voice.announcement_wav(("B1023", 5))
    assert path is not None and path.parent == voice_dirs / "cache"
    head = path.read_bytes()[:12]
    assert head[:4] == b"RIFF" and head[8:12] == b"WAVE"
    with wave.open(str(path), "rb") as src:
        assert (src.getnchannels(), src.getsampwidth(), src.getframerate()) == (1, 2, voice.RATE)
    assert 4.0 < duration(path) < 15.0  # chime (1.4 s) + the sentence
    samples = voice.read_wav(path)
    chime = samples[: int(voice.RATE * 1.4)]
    assert 0.55 < np.max(np.abs(chime)) <= voice.CHIME_PEAK + 0.01
    words = samples[int(voice.RATE * 1.65) :]
    assert 0.8 < np.max(np.abs(words)) <= voice.PEAK + 0.01
    assert espeak_calls[0][1:3] == ["-v", "vi"]


def test_the_same_announcement_is_a_cache_hit_and_espeak_runs_once(voice_dirs, espeak_calls):
    first = voice.announcement_wav(("B1023", 5))
    again = voice.announcement_wav(("b1023", 5))  # a recall: same words, same file
    other = voice.announcement_wav(("B1023", 6))
    assert first == again != other
    assert len(espeak_calls) == 2


def test_plain_text_is_spoken_too(voice_dirs, espeak_calls):
    path = voice.announcement_wav("Xin chào")
    assert path is not None and duration(path) > 1.5
    assert len(espeak_calls) == 1


def test_concurrent_renders_of_one_call_leave_one_complete_file(voice_dirs):
    paths: list[Path | None] = []
    workers = [threading.Thread(target=lambda: paths.append(voice.announcement_wav(("A7", 3)))) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(set(paths)) == 1
    cache = voice_dirs / "cache"
    assert sorted(p.name for p in cache.iterdir()) == [paths[0].name]  # no temporary files left
    assert duration(paths[0]) > 3


def test_recorded_clips_are_joined_without_espeak(voice_dirs, settings, monkeypatch):
    clips = voice_dirs / "clips"
    record_clips(clips, announcement_parts("B1023", 5))
    settings.MOTCUA = {**settings.MOTCUA, "VOICE_CLIPS_DIR": str(clips)}
    monkeypatch.setattr(voice.subprocess, "run", lambda *a, **k: pytest.fail("espeak-ng must not run"))
    path = voice.announcement_wav(("B1023", 5))
    assert path is not None
    parts = announcement_parts("B1023", 5)
    spoken = [p for p in parts if p != ","]
    # Each clip is trimmed to its 0.2 s tone (+ 2 × 20 ms margin), then gaps; the 0.3 s silences are gone.
    expected = 1.4 + 0.25 + len(spoken) * 0.24 + 2 * voice.GAP_PHRASE + (len(spoken) - 2) * voice.GAP_WORD
    expected += voice.GAP_PAUSE
    assert duration(path) == pytest.approx(expected, abs=0.05)
    assert np.max(np.abs(voice.read_wav(path))) <= voice.PEAK + 0.01


def test_a_missing_clip_falls_back_to_espeak(voice_dirs, settings, espeak_calls):
    clips = voice_dirs / "clips"
    record_clips(clips, announcement_parts("B1023", 5))
    (clips / "nghin.wav").unlink()
    settings.MOTCUA = {**settings.MOTCUA, "VOICE_CLIPS_DIR": str(clips)}
    assert voice.announcement_wav(("B1023", 5)) is not None
    assert len(espeak_calls) == 1


def test_a_re_recorded_clip_makes_a_new_file(voice_dirs, settings):
    clips = voice_dirs / "clips"
    record_clips(clips, announcement_parts("A1", 1))
    settings.MOTCUA = {**settings.MOTCUA, "VOICE_CLIPS_DIR": str(clips)}
    before = voice.announcement_wav(("A1", 1))
    write_clip(clips / "mot.wav", seconds=0.5)
    after = voice.announcement_wav(("A1", 1))
    assert before != after and duration(after) > duration(before)


def test_without_espeak_or_clips_there_is_no_voice_and_a_warning(voice_dirs, settings, caplog):
    settings.MOTCUA = {**settings.MOTCUA, "VOICE_ESPEAK": "/nonexistent/espeak-ng"}
    with caplog.at_level(logging.WARNING, logger="motcua.queueing.voice"):
        assert voice.announcement_wav(("B1023", 5)) is None
    assert "espeak-ng" in caplog.text
    assert voice.voice_available() is False
    assert voice.chime_wav().is_file()  # the board can still ring


def test_chime_is_written_once(voice_dirs):
    path = voice.chime_wav()
    stamp = path.stat().st_mtime_ns
    assert voice.chime_wav() == path and path.stat().st_mtime_ns == stamp
    assert 1.3 < duration(path) < 1.5


def test_normalise_lifts_quiet_speech_and_limits_peaks():
    quiet = _tone(1.0, 220, voice.RATE, 0.01).astype(np.float32)
    lifted = voice.normalise(quiet)
    assert np.sqrt(np.mean(lifted**2)) == pytest.approx(voice.RMS, rel=0.01)
    spiky = np.zeros(voice.RATE, dtype=np.float32)
    spiky[100] = 0.5
    assert np.max(np.abs(voice.normalise(spiky))) == pytest.approx(voice.PEAK, rel=0.01)
    assert not voice.normalise(np.zeros(10, dtype=np.float32)).any()


@pytest.mark.parametrize("width", [1, 2, 3, 4])
def test_clips_of_any_pcm_width_and_rate_are_read(tmp_path, width):
    rate = 44100
    tone = _tone(0.1, 440, rate, 0.5)
    scale = 1 << (8 * width - 1)
    ints = (tone * (scale - 1)).astype(np.int64)
    if width == 1:
        raw = (ints + 128).astype(np.uint8).tobytes()
    elif width == 3:
        raw = b"".join(int(v).to_bytes(3, "little", signed=True) for v in ints)
    else:
        raw = ints.astype({2: "<i2", 4: "<i4"}[width]).tobytes()
    path = tmp_path / "clip.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(width)
        out.setframerate(rate)
        out.writeframes(raw)
    samples = voice.read_wav(path)
    assert len(samples) == pytest.approx(voice.RATE * 0.1, abs=2)
    assert np.max(np.abs(samples)) == pytest.approx(0.5, abs=0.02)


def test_every_word_an_announcement_can_say_has_a_clip_name():
    for code in ["B1023", "ĐZ999999999", "A15", "XY24"]:
        for part in announcement_parts(code, 121):
            assert part == "," or part in voice.CLIP_NAMES
    assert len(set(voice.CLIP_NAMES.values())) == len(voice.CLIP_NAMES)
