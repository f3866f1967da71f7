"""Signal building blocks of the synthetic noise: filters, coloured noise, envelopes, tones, grains,
and the shaping every clip gets (a random recording-chain EQ, placement in silence, a random peak)."""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from scipy import signal
from scipy.interpolate import CubicSpline

# ----------------------------------------------------------------------------- signal helpers


def clip_hz(freq: float | np.ndarray, sr: int) -> float | np.ndarray:
    """Keep frequencies below Nyquist so lower sample rates do not alias."""
    return np.minimum(freq, 0.45 * sr)


def filtered(x: np.ndarray, sr: int, kind: str, freq, order: int = 2, zero_phase: bool = False) -> np.ndarray:
    """Butterworth filter; kind is lowpass/highpass/bandpass, freq in Hz (pair for bandpass)."""
    freq = np.atleast_1d(np.asarray(freq, dtype=float))
    freq = np.clip(freq, 1.0, 0.45 * sr)
    if kind == "bandpass" and freq[1] <= freq[0] * 1.05:
        freq[0] = freq[1] / 1.05
    sos = signal.butter(order, freq if freq.size > 1 else freq[0], btype=kind, fs=sr, output="sos")
    # Zero phase for EQ sums (shelves = x + g * filtered x) so no comb cancellation.
    return signal.sosfiltfilt(sos, x) if zero_phase else signal.sosfilt(sos, x)


def smooth_curve(rng: np.random.Generator, n: int, sr: int, rate_hz: float) -> np.ndarray:
    """Smooth random curve, shape (n,), about unit variance, changing at ~rate_hz."""
    nb_knots = max(4, int(math.ceil(n / sr * rate_hz)) + 3)
    knots = np.linspace(0, n, nb_knots)
    # The curve changes at a few Hz: evaluate the spline every 32 samples, then interpolate.
    coarse = np.arange(0, n + 32, 32)
    curve = np.interp(np.arange(n), coarse, CubicSpline(knots, rng.standard_normal(nb_knots))(coarse))
    return curve / (np.std(curve) + 1e-9)


def coloured_noise(rng: np.random.Generator, n: int, exponent: float) -> np.ndarray:
    """Noise with power ~ 1/f**exponent (0 white, 1 pink, 2 brown), unit peak, shape (n,)."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.arange(spectrum.size, dtype=float)
    freqs[0] = 1.0
    noise = np.fft.irfft(spectrum / freqs ** (exponent / 2), n)
    return noise / (np.max(np.abs(noise)) + 1e-12)


def peak_normalised(x: np.ndarray) -> np.ndarray:
    return x / (np.max(np.abs(x)) + 1e-12)


def fade(x: np.ndarray, sr: int, fade_in_s: float, fade_out_s: float) -> np.ndarray:
    """Raised-cosine fades so crops and clip edges do not click."""
    x = x.copy()
    for length, sl in ((int(fade_in_s * sr), slice(None)), (int(fade_out_s * sr), slice(None, None, -1))):
        length = min(length, x.size // 2)
        if length > 0:
            ramp = 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, length))
            x[sl][:length] *= ramp
    return x


def harmonics(phase: np.ndarray, amps: Sequence[float], phases: Sequence[float] | None = None) -> np.ndarray:
    """sum_k amps[k-1] * sin(k * phase + phases[k-1]) for phase in radians, shape like phase.

    Wavetable synthesis: the harmonic amplitudes are fixed, so one period is tabulated
    once and read at the running phase; the cost does not grow with the harmonic count.
    """
    grid = np.linspace(0.0, 2 * np.pi, 4096, endpoint=False)
    phases = np.zeros(len(amps)) if phases is None else np.asarray(phases, dtype=float)
    ks = np.arange(1, len(amps) + 1)
    table = (np.asarray(amps, dtype=float)[:, None] * np.sin(ks[:, None] * grid[None, :] + phases[:, None])).sum(0)
    return np.interp(np.mod(phase, 2 * np.pi), grid, table, period=2 * np.pi)


def overlap_add(n: int, positions: np.ndarray, grains: np.ndarray) -> np.ndarray:
    """Overlap-add grains of shape (nb, length) at sample positions (nb,); output (n,)."""
    length = grains.shape[1]
    index = positions[:, None] + np.arange(length)[None, :]
    out = np.bincount(index.ravel(), weights=grains.ravel(), minlength=n + length)
    return out[:n]


def decaying_tones(rng: np.random.Generator, sr: int, nb: int, length_s: float, freq, decay_s, noise_mix) -> np.ndarray:
    """nb resonant impulses (decaying sine + decaying noise), shape (nb, length)."""
    t = np.arange(int(length_s * sr)) / sr
    freq = clip_hz(np.broadcast_to(freq, (nb,)), sr)[:, None]
    decay = np.broadcast_to(decay_s, (nb,))[:, None]
    mix = np.broadcast_to(noise_mix, (nb,))[:, None]
    env = np.exp(-t[None, :] / decay)
    tone = np.sin(2 * np.pi * freq * t[None, :] + rng.uniform(0, 2 * np.pi, (nb, 1)))
    noise = rng.standard_normal((nb, t.size))
    return env * ((1 - mix) * tone + mix * noise)


# ----------------------------------------------------------------------------- clip shaping


def random_eq(rng: np.random.Generator, x: np.ndarray, sr: int, max_db: float) -> np.ndarray:
    """A random 'recording chain': shelf, band or cut filter, like different mics/rooms."""
    kind = rng.choice(["none", "low_shelf", "high_shelf", "band", "highpass", "lowpass"])
    gain = 10 ** (rng.uniform(-max_db, max_db) / 20)
    if kind == "low_shelf":  # shelf = x + (g - 1) * lowpassed x (zero phase: no comb)
        return x + (gain - 1) * filtered(x, sr, "lowpass", rng.uniform(150, 600), zero_phase=True)
    if kind == "high_shelf":
        return x + (gain - 1) * filtered(x, sr, "highpass", rng.uniform(2000, 6000), zero_phase=True)
    if kind == "band":
        centre = rng.uniform(300, 4000)
        band = filtered(x, sr, "bandpass", (centre / 1.4, centre * 1.4), zero_phase=True)
        return x + (gain - 1) * band
    if kind == "highpass":
        return filtered(x, sr, "highpass", rng.uniform(80, 300), zero_phase=True)
    if kind == "lowpass":
        return filtered(x, sr, "lowpass", rng.uniform(3000, 9000), zero_phase=True)
    return x


def place(rng: np.random.Generator, event: np.ndarray, n: int) -> np.ndarray:
    """Put an event at a random offset in n samples of digital silence (ESC-50's padding)."""
    out = np.zeros(n)
    offset = int(rng.integers(0, n - event.size + 1))
    out[offset : offset + event.size] = event
    return out


def set_peak(rng: np.random.Generator, x: np.ndarray) -> np.ndarray:
    """Scale to a random peak of -20..-1 dBFS, like recordings made at varied levels."""
    peak = np.max(np.abs(x))
    if not np.isfinite(peak) or peak <= 0:
        raise RuntimeError("synthesised clip is silent or not finite")  # a bug, not bad input
    return (x * (10 ** (rng.uniform(-20.0, -1.0) / 20) / peak)).astype(np.float32)
