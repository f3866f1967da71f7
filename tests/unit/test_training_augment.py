"""training.danet's noise augmentation on complex spectra: off changes nothing and draws nothing,
each augmentation does on the spectra what it says (a gain per bin, a gain per frame, a sum of two
noises, a time stretch, a frequency scaling), and the same seed gives the same noise."""

from __future__ import annotations

import numpy as np
import pytest

from danet_music2vec.training.danet import TrainSettings, augment_noise, resample_axis


def noise_spectra(n: int = 6, frames: int = 40, bins: int = 33, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((n, frames, bins)) + 1j * rng.standard_normal((n, frames, bins))).astype(np.complex64)


def test_no_augmentation_returns_the_noise_and_draws_no_random_number():
    noise = noise_spectra()
    rng = np.random.default_rng(0)
    out = augment_noise(noise, noise, TrainSettings(), rng)
    np.testing.assert_array_equal(out, noise)
    # the generator is where a fresh one is: training without augmentation keeps its random stream
    assert rng.random() == np.random.default_rng(0).random()


@pytest.mark.parametrize("key", ["noise_eq_db", "noise_gain_curve_db", "noise_stretch", "noise_pitch"])
def test_each_augmentation_changes_the_noise_and_the_same_seed_repeats_it(key):
    noise = noise_spectra()
    settings = TrainSettings(**{key: 0.3 if key in ("noise_stretch", "noise_pitch") else 6.0})
    first = augment_noise(noise, noise, settings, np.random.default_rng(5))
    again = augment_noise(noise, noise, settings, np.random.default_rng(5))
    other = augment_noise(noise, noise, settings, np.random.default_rng(6))
    assert first.dtype == np.complex64 and first.shape == noise.shape
    assert not np.allclose(first, noise)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_eq_is_one_gain_per_bin_and_the_gain_curve_one_gain_per_frame():
    noise = noise_spectra()
    eq = augment_noise(noise, noise, TrainSettings(noise_eq_db=6.0), np.random.default_rng(2)) / noise
    curve = augment_noise(noise, noise, TrainSettings(noise_gain_curve_db=6.0), np.random.default_rng(2)) / noise
    # the same real gain down every frame of a bin (EQ), across every bin of a frame (gain curve)
    np.testing.assert_allclose(eq, np.broadcast_to(eq[:, :1, :], eq.shape), rtol=1e-5)
    np.testing.assert_allclose(curve, np.broadcast_to(curve[:, :, :1], curve.shape), rtol=1e-5)
    for gains in (eq, curve):
        assert np.abs(gains.imag).max() < 1e-5
        assert 10 ** (-6.01 / 20) <= gains.real.min() and gains.real.max() <= 10 ** (6.01 / 20)


def test_mixing_adds_a_quieter_second_noise_from_the_pool_to_the_chosen_share():
    noise, pool = noise_spectra(n=200), noise_spectra(n=10, seed=2)
    out = augment_noise(noise, pool, TrainSettings(noise_mix_share=0.5), np.random.default_rng(3))
    changed = np.flatnonzero(np.abs(out - noise).max(axis=(1, 2)) > 0)
    assert 70 <= changed.size <= 130
    for i in changed:
        added = out[i] - noise[i]
        # the added spectrum is one pool noise scaled by 0 to 6 dB down
        ratios = [np.vdot(p, added).real / np.vdot(p, p).real for p in pool]
        best = int(np.argmax(ratios))
        np.testing.assert_allclose(added, pool[best] * ratios[best], atol=1e-4)
        assert 10 ** (-6.01 / 20) <= ratios[best] <= 1.0 + 1e-6


def test_a_factor_of_one_changes_neither_time_nor_frequency():
    noise = noise_spectra()
    ones = np.ones(noise.shape[0])
    np.testing.assert_allclose(resample_axis(noise, ones, axis=1, fold=True), noise, atol=1e-5)
    np.testing.assert_allclose(resample_axis(noise, ones, axis=2), noise, atol=1e-5)


def test_a_stretch_reads_frames_at_the_factor_and_folds_back_past_the_end():
    frames, bins = 41, 5
    # every frame's magnitude is its own index + 1, with a phase of its own: readable positions
    ramp = (np.arange(frames, dtype=np.float32)[:, None] + 1.0) * np.exp(1j * np.arange(bins))[None, :]
    spectra = np.stack([ramp, ramp]).astype(np.complex64)
    out = resample_axis(spectra, np.array([0.5, 2.0]), axis=1, fold=True)
    np.testing.assert_allclose(np.abs(out[0, :, 0]), 1.0 + 0.5 * np.arange(frames), rtol=1e-5)
    # twice as fast: frames 0, 2, .., 40, then back down 38, 36, .. (a triangle wave)
    expected = np.concatenate([np.arange(0, 41, 2), np.arange(38, -1, -2)])[:frames] + 1.0
    np.testing.assert_allclose(np.abs(out[1, :, 0]), expected, rtol=1e-5)
    # the phase of every bin is that of its nearest input frame, unchanged by interpolation
    np.testing.assert_allclose(np.angle(out[0, 3]), np.angle(ramp[1]), atol=1e-5)


def test_a_slower_noise_starts_at_a_random_frame_where_its_span_fits():
    frames = 60
    ramp = (np.arange(frames, dtype=np.float32) + 1.0)[None, :, None] * np.ones((400, 1, 3), np.float32)
    settings = TrainSettings(noise_stretch=1.0)
    out = np.abs(augment_noise(ramp.astype(np.complex64), ramp, settings, np.random.default_rng(4)))[:, :, 0]
    steps = np.diff(out, axis=1)
    slower = np.flatnonzero(steps.max(axis=1) < 1.0 - 1e-3)  # factors below one never fold
    assert 100 < slower.size < 300
    first, span = out[slower, 0] - 1.0, steps[slower].mean(axis=1) * (frames - 1)
    # each slower noise starts at a frame from which its whole span stays inside the segment
    assert first.min() >= 0.0 and (first + span).max() <= frames - 1 + 1e-3
    assert first.std() > 3.0


def test_a_frequency_scaling_moves_a_tone_and_leaves_the_bins_it_cannot_fill_silent():
    frames, bins = 8, 65
    tone = np.zeros((2, frames, bins), dtype=np.complex64)
    tone[:, :, 20] = 1.0
    out = np.abs(resample_axis(tone, np.array([0.5, 2.0]), axis=2))
    # output bin j reads input bin j * factor: at half, bin 20 appears at 40; at double, at 10
    assert int(np.argmax(out[0, 0])) == 40 and int(np.argmax(out[1, 0])) == 10
    # at double, bins above 32 read beyond the top bin: silent, not folded
    assert out[1, :, 33:].max() == 0.0
