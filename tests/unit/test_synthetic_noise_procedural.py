"""synthetic.noise.procedural and synthetic.noise.dsp: every procedural class gives a finite clip of
the asked length at a varied peak, the same for the same (seed, class, take); the building blocks
do what their docstrings say."""

from __future__ import annotations

import numpy as np
import pytest

from danet_music2vec.synthetic.noise import PROCEDURAL_CLASSES
from danet_music2vec.synthetic.noise.dsp import (
    coloured_noise, fade, harmonics, overlap_add, peak_normalised, place, set_peak,
)
from danet_music2vec.synthetic.noise.procedural import procedural_clip

SR = 16000


@pytest.mark.parametrize("category", PROCEDURAL_CLASSES)
def test_every_procedural_class_gives_a_seeded_finite_clip_of_the_asked_length(category):
    n = SR  # 1 s: enough for every generator's events
    clip = procedural_clip(7, category, 0, n, SR)
    assert clip.shape == (n,) and clip.dtype == np.float32 and np.isfinite(clip).all()
    assert -20.5 <= 20 * np.log10(np.abs(clip).max()) <= -0.9
    np.testing.assert_array_equal(procedural_clip(7, category, 0, n, SR), clip)
    assert not np.array_equal(procedural_clip(7, category, 1, n, SR), clip)  # another take
    assert not np.array_equal(procedural_clip(8, category, 0, n, SR), clip)  # another seed


def test_coloured_noise_has_the_asked_spectral_slope_and_unit_peak():
    rng = np.random.default_rng(0)
    for exponent in (0.0, 1.0, 2.0):
        noise = coloured_noise(rng, 1 << 16, exponent)
        assert np.abs(noise).max() == pytest.approx(1.0)
        power = np.abs(np.fft.rfft(noise)) ** 2
        freqs = np.arange(power.size)
        low, high = power[(freqs > 100) & (freqs < 200)].mean(), power[(freqs > 1000) & (freqs < 2000)].mean()
        # a decade of frequency apart: power falls by 10 ** exponent
        assert 10 * np.log10(low / high) == pytest.approx(10 * exponent, abs=1.5), exponent


def test_fades_grains_tones_and_placement():
    ramped = fade(np.ones(1000), 1000, 0.1, 0.2)
    assert ramped[0] == 0.0 and ramped[-1] == 0.0 and (ramped[100:800] == 1.0).all()
    assert (np.diff(ramped[:100]) >= 0).all() and (np.diff(ramped[800:]) <= 0).all()
    out = overlap_add(10, np.array([0, 3, 8]), np.ones((3, 4)))
    assert out.tolist() == [1, 1, 1, 2, 1, 1, 1, 0, 1, 1]
    phase = np.linspace(0, 4 * np.pi, 1000)
    np.testing.assert_allclose(harmonics(phase, [1.0, 0.5]), np.sin(phase) + 0.5 * np.sin(2 * phase), atol=2e-5)
    rng = np.random.default_rng(3)
    placed = place(rng, np.ones(5), 20)
    assert placed.sum() == 5 and np.ptp(np.flatnonzero(placed)) == 4
    assert np.abs(peak_normalised(np.array([0.5, -2.0]))).max() == pytest.approx(1.0)
    with pytest.raises(RuntimeError, match="silent"):
        set_peak(rng, np.zeros(10))
