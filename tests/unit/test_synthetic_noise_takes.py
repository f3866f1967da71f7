"""synthetic.noise.takes: a take of a recording is n finite float32 samples at a varied peak,
the same for the same generator seed; a long recording gives a window of itself that starts on
its active part, a short one an event (sometimes repeated) in digital silence.

The animal recordings of the pinned wheel are a session fixture of tests/unit/conftest.py."""

from __future__ import annotations

import numpy as np
import pytest

from danet_music2vec.synthetic.noise.takes import recording_take

SR = 16000
N = 5 * SR


def peak_db(x: np.ndarray) -> float:
    return float(20 * np.log10(np.max(np.abs(x))))


def quiet_share(x: np.ndarray, below_peak_db: float = 35.0, frame: int = SR // 100) -> float:
    """Share of 10 ms frames whose RMS is ``below_peak_db`` under the loudest frame's."""
    rms = np.sqrt(np.mean(x[: x.size // frame * frame].reshape(-1, frame).astype(np.float64) ** 2, axis=1))
    return float(np.mean(rms < rms.max() * 10 ** (-below_peak_db / 20)))


def long_recording(seconds: float = 20.0, silent_first_s: float = 0.0) -> np.ndarray:
    """Steady band-limited noise, optionally after a stretch of digital silence."""
    rng = np.random.default_rng(5)
    noise = np.convolve(rng.standard_normal(int(seconds * SR)), np.ones(8) / 8, mode="same")
    noise[: int(silent_first_s * SR)] = 0.0
    return (0.3 * noise).astype(np.float32)


def short_event(seconds: float = 0.6) -> np.ndarray:
    """A decaying 440 Hz tone with a little noise: a knock or a call."""
    t = np.arange(int(seconds * SR)) / SR
    rng = np.random.default_rng(6)
    return (np.exp(-4 * t) * np.sin(2 * np.pi * 440 * t) + 0.01 * rng.standard_normal(t.size)).astype(np.float32)


@pytest.mark.parametrize("source", ["long", "short"])
def test_a_take_is_n_finite_samples_at_a_varied_peak(source):
    recording = long_recording() if source == "long" else short_event()
    peaks = []
    for seed in range(12):
        take = recording_take(np.random.default_rng(seed), recording, N, SR)
        assert take.shape == (N,) and take.dtype == np.float32 and np.all(np.isfinite(take))
        peaks.append(peak_db(take))
    assert all(-20.5 <= p <= -0.9 for p in peaks), peaks  # -20 to -1 dBFS: never clipped
    assert max(peaks) - min(peaks) > 3  # levels vary from take to take


def test_the_same_seed_gives_the_same_take_and_another_seed_another():
    recording = short_event()
    first = recording_take(np.random.default_rng([7, 1]), recording, N, SR)
    again = recording_take(np.random.default_rng([7, 1]), recording, N, SR)
    np.testing.assert_array_equal(first, again)
    other = recording_take(np.random.default_rng([7, 2]), recording, N, SR)
    assert not np.array_equal(first, other)


def test_a_long_recording_gives_a_window_without_padding_that_starts_on_its_active_part():
    # 12 s of silence, then 10 s of sound: every window must lie in the sound.
    recording = long_recording(seconds=22.0, silent_first_s=12.0)
    for seed in range(8):
        take = recording_take(np.random.default_rng(seed), recording, N, SR)
        inner = take[SR // 10: -SR // 10]  # past the short fades at either end
        assert quiet_share(inner) == 0.0, seed
        # Steady sound stays steady: a slow gain curve (3 dB deviation), no gaps.
        frames = np.sqrt(np.mean(inner[: inner.size // 1600 * 1600].reshape(-1, 1600).astype(np.float64) ** 2, axis=1))
        assert 20 * np.log10(frames.max() / frames.min()) < 20, seed


def test_a_short_recording_gives_an_event_in_digital_silence():
    recording = short_event(0.6)
    for seed in range(8):
        take = recording_take(np.random.default_rng(seed), recording, N, SR)
        # At most three repeats of at most 0.6 s (stretched by at most 1 / 0.85) in 5 s: mostly silence,
        # exact zeros or a faint background 40 dB or more below the peak.
        assert quiet_share(take) > 0.4, seed
        loud = np.flatnonzero(np.abs(take) > np.max(np.abs(take)) * 0.1)
        assert loud[-1] - loud[0] < 4.5 * SR, seed


def test_takes_of_the_wheels_animal_recordings(animal_clips):
    rate = 22050
    for animal, recording in animal_clips.items():
        takes = [recording_take(np.random.default_rng([3, k]), recording, 5 * rate, rate) for k in range(3)]
        for take in takes:
            assert take.shape == (5 * rate,) and np.all(np.isfinite(take)), animal
            assert -20.5 <= peak_db(take) <= -0.9, animal
        assert not np.array_equal(takes[0], takes[1]), animal
        if recording.size < 5 * rate * 0.8:  # a short call: the take is padded with silence
            assert quiet_share(takes[0], frame=rate // 100) > 0.1, animal
