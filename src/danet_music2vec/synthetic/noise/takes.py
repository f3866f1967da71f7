"""Takes of real recordings: 5-second clips cut, stretched and coloured from one recording each.

A long recording (an ambience, a passing train) gives a window of itself; a short one (a bark,
a knock) gives one event, sometimes repeated, placed in digital silence as ESC-50 pads its
clips. Every take changes the playback rate (pitch and tempo together), applies a random
recording-chain EQ and a slow gain curve, and sets a random peak level, so the takes of one
recording differ as different recordings of the same scene do.
"""

from __future__ import annotations

import numpy as np

from ...audio import resample
from .dsp import coloured_noise, fade, place, random_eq, set_peak, smooth_curve

ACTIVE_DB = -30.0  # frames this far below a recording's loudest count as silence when cropping


def _active_frames(x: np.ndarray, sr: int) -> tuple[np.ndarray, int]:
    """Indices of the 10 ms frames within ACTIVE_DB of the loudest, and the frame hop."""
    hop = max(1, sr // 100)
    frames = x[: x.size // hop * hop].reshape(-1, hop) if x.size >= hop else x[None, :]
    energy = np.sqrt(np.mean(frames**2, axis=1))
    return np.flatnonzero(energy > energy.max() * 10 ** (ACTIVE_DB / 20)), hop


def recording_event(rng: np.random.Generator, source: np.ndarray, n: int, sr: int) -> np.ndarray:
    """One event or a few repeats cut from a short recording, shape (length <= n,)."""
    speed = rng.uniform(0.85, 1.2)  # playback-rate change: pitch and tempo together
    x = resample(source, sr, int(round(sr / speed))).astype(np.float64)
    # Crop around an active frame so a take never lands in the recording's silence.
    active, hop = _active_frames(x, sr)
    centre = int(rng.choice(active)) * hop + hop // 2
    length = min(x.size, int(rng.uniform(0.6, 3.5) * sr), n)
    start = int(np.clip(centre - rng.integers(0, length), 0, x.size - length))
    event = fade(x[start : start + length], sr, rng.uniform(0.005, 0.03), rng.uniform(0.01, 0.08))
    # Sometimes the event comes again (2-3 times), as in many ESC-50 clips.
    if rng.random() < 0.4 and 2 * event.size + int(0.1 * sr) <= n:
        parts = [event]
        total = event.size
        for _ in range(rng.integers(1, 3)):
            gap = int(rng.uniform(0.1, 0.8) * sr)
            if total + gap + event.size > n:
                break
            parts += [np.zeros(gap), event * rng.uniform(0.6, 1.0)]
            total += gap + event.size
        event = np.concatenate(parts)
    return random_eq(rng, event, sr, 12.0)


def recording_window(rng: np.random.Generator, source: np.ndarray, n: int, sr: int) -> np.ndarray:
    """A window of ``n`` samples of a long recording, shape (n,), starting on an active part."""
    speed = rng.uniform(0.85, 1.2)
    x = resample(source, sr, int(round(sr / speed))).astype(np.float64)
    if x.size <= n:
        return place(rng, random_eq(rng, fade(x, sr, 0.01, 0.05), sr, 12.0), n)
    active, hop = _active_frames(x, sr)
    starts = active[active * hop <= x.size - n]
    start = int(rng.choice(starts)) * hop if starts.size else int(rng.integers(0, x.size - n + 1))
    window = fade(x[start : start + n], sr, rng.uniform(0.005, 0.05), rng.uniform(0.005, 0.05))
    # A slow gain curve (3 dB standard deviation): the source moving, the wind picking up.
    window = window * 10 ** (3.0 * smooth_curve(rng, n, sr, rng.uniform(0.2, 1.0)) / 20)
    return random_eq(rng, window, sr, 12.0)


def recording_take(rng: np.random.Generator, source: np.ndarray, n: int, sr: int) -> np.ndarray:
    """One take (n,) float32 of a recording at ``sr`` (see the module doc)."""
    if source.size >= n:
        clip = recording_window(rng, source, n, sr)
    else:
        clip = place(rng, recording_event(rng, source, n, sr), n)
    if rng.random() < 0.3:  # some recordings carry a faint room or field background
        clip = clip + np.max(np.abs(clip)) * 10 ** (rng.uniform(-55, -40) / 20) * coloured_noise(rng, n, 1.0)
    return set_peak(rng, clip)
