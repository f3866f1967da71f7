"""Procedural noise classes: sounds that synthesise convincingly (rain, wind, engine, ...)."""

from __future__ import annotations

from typing import Callable

import numpy as np
from scipy import signal

from .classes import STREAM_CLIP, TARGET
from .dsp import (
    clip_hz, coloured_noise, decaying_tones, fade, filtered, harmonics, overlap_add, peak_normalised, place,
    random_eq, set_peak, smooth_curve,
)

PROCEDURAL_ID_BASE = 900_000

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


# ----------------------------------------------------------------------------- procedural classes
# Each generator returns a float64 array of shape (n,) at rate sr; level is set later.


def rain(rng: np.random.Generator, n: int, sr: int) -> np.ndarray:
    """Dense droplets (bubble resonances, Poisson in time) over a filtered hiss bed."""
    rate = rng.uniform(400, 2000)  # drops per second: drizzle to downpour
    intensity = np.exp(0.3 * smooth_curve(rng, n, sr, 0.3))  # showers come and go
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
        omega = 2 * np.pi * clip_hz(freqs[band], sr) / sr
        drops += signal.lfilter([np.sin(omega)], [1.0, -2 * radius * np.cos(omega), radius**2], impulses)
    clicks = np.bincount(positions, weights=amps * rng.choice([-1.0, 1.0], positions.size), minlength=n)
    splash = filtered(clicks, sr, "bandpass", (2500.0, 10000.0))
    drops = peak_normalised(drops) + rng.uniform(0.2, 0.6) * peak_normalised(splash)
    bed = filtered(rng.standard_normal(n), sr, "bandpass", (rng.uniform(300, 800), rng.uniform(6000, 12000)))
    bed = peak_normalised(bed) * intensity
    return peak_normalised(drops) + rng.uniform(0.2, 0.7) * bed


def wind(rng: np.random.Generator, n: int, sr: int) -> np.ndarray:
    """Band-passed noise whose level and centre frequency follow slow gusts."""
    nperseg = 1024
    white = rng.standard_normal(n)
    freqs, _, spec = signal.stft(white, fs=sr, nperseg=nperseg)
    frames = spec.shape[1]
    gust = smooth_curve(rng, frames, max(1, int(sr / (nperseg // 2))), rng.uniform(0.15, 0.5))
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
    rumble = filtered(coloured_noise(rng, n, 2.0), sr, "lowpass", 120.0)
    envelope = np.interp(np.arange(n), np.linspace(0, n, frames), gust)
    return peak_normalised(wind) + rng.uniform(0.1, 0.4) * peak_normalised(rumble) * (0.2 + envelope)


def engine(rng: np.random.Generator, n: int, sr: int) -> np.ndarray:
    """Harmonics of the firing frequency with rpm drift and cycle jitter, plus combustion noise."""
    fire = rng.uniform(25, 90)  # Hz: 4-cylinder four-stroke at ~750-2700 rpm
    drift = 1 + rng.uniform(0.03, 0.12) * smooth_curve(rng, n, sr, rng.uniform(0.1, 0.4))
    if rng.random() < 0.3:  # a rev: rpm rises and falls once
        centre, spread = rng.uniform(0.3, 0.7) * n, rng.uniform(0.1, 0.25) * n
        drift = drift + rng.uniform(0.3, 0.8) * np.exp(-0.5 * ((np.arange(n) - centre) / spread) ** 2)
    wander = filtered(rng.standard_normal(n), sr, "lowpass", fire)
    jitter = 1 + 0.02 * wander / (np.std(wander) + 1e-12)  # cycle-to-cycle combustion variation
    inst = fire * drift * jitter
    phase = 2 * np.pi * np.cumsum(inst) / sr
    formant = rng.uniform(150, 700)  # intake/exhaust resonance
    ks = np.arange(1, 41)
    ks = ks[ks * fire * 1.5 <= 0.45 * sr]  # stay below Nyquist at the highest rpm
    amps = ks**-0.7 * (1 + 2.5 * np.exp(-0.5 * ((ks * fire - formant) / (0.6 * formant)) ** 2))
    engine = harmonics(phase, amps, rng.uniform(0, 2 * np.pi, ks.size))
    pulses = (0.5 + 0.5 * np.cos(phase)) ** 4  # combustion noise comes with each firing
    noise = filtered(rng.standard_normal(n), sr, "bandpass", (80.0, rng.uniform(1500, 3500))) * pulses
    mix = peak_normalised(engine) + rng.uniform(0.2, 0.6) * peak_normalised(noise)
    return filtered(mix, sr, "lowpass", rng.uniform(2500, 6000))  # muffled by the body and exhaust


def siren(rng: np.random.Generator, n: int, sr: int) -> np.ndarray:
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
        sweep = filtered(0.5 + 0.5 * square, sr, "lowpass", 30.0)  # smooth the tone changes
    doppler = 1 + 0.03 * np.tanh(rng.uniform(-1, 1) * 4 - 6 * (t / t[-1] - 0.5))
    inst = (low + (high - low) * sweep) * doppler
    phase = 2 * np.pi * np.cumsum(inst) / sr
    odd_only = rng.random() < 0.5  # electronic sirens are square-ish
    amps = [0.0 if (odd_only and k % 2 == 0) or k * high * 1.06 > 0.45 * sr else 1.0 / k for k in range(1, 9)]
    tone = harmonics(phase, amps)
    passing = np.exp(-0.5 * ((t - rng.uniform(0, t[-1])) / rng.uniform(1.5, 6.0)) ** 2)  # fly-by level
    road = filtered(coloured_noise(rng, n, 1.5), sr, "lowpass", 1500.0)
    return peak_normalised(tone) * (0.25 + passing) + rng.uniform(0.02, 0.12) * road


def keyboard_typing(rng: np.random.Generator, n: int, sr: int) -> np.ndarray:
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
    click = decaying_tones(rng, sr, nb, 0.04, rng.uniform(2500, 6000, nb), rng.uniform(0.001, 0.003, nb), 0.7)
    thock = decaying_tones(rng, sr, nb, 0.04, body * rng.uniform(0.9, 1.1, nb), rng.uniform(0.006, 0.015, nb), 0.1)
    grains = amp[:, None] * (click + 0.6 * thock)
    out = overlap_add(n, (press * sr).astype(np.int64), grains)
    out += overlap_add(n, np.minimum((release * sr).astype(np.int64), n - 1), 0.4 * grains)
    room = filtered(rng.standard_normal(n), sr, "lowpass", 3000.0)
    return peak_normalised(out) + rng.uniform(0.002, 0.02) * peak_normalised(room)


def clock_tick(rng: np.random.Generator, n: int, sr: int) -> np.ndarray:
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
        grains = level * amp[:, None] * decaying_tones(rng, sr, nb, 0.03, freq, rng.uniform(0.001, 0.004), 0.3)
        out += overlap_add(n, np.clip(((times + offset) * sr).astype(np.int64), 0, n - 1), grains)
    room = filtered(rng.standard_normal(n), sr, "lowpass", 2000.0)
    return peak_normalised(out) + rng.uniform(0.001, 0.01) * peak_normalised(room)


def crackling_fire(rng: np.random.Generator, n: int, sr: int) -> np.ndarray:
    """Low roar and hiss with sparse, clustered, heavy-tailed crackles."""
    roar = filtered(coloured_noise(rng, n, 2.0), sr, "lowpass", rng.uniform(150, 300))
    roar = peak_normalised(roar) * (1 + 0.3 * smooth_curve(rng, n, sr, 0.5)).clip(0.2)
    hiss = peak_normalised(filtered(rng.standard_normal(n), sr, "highpass", 2000.0))
    parents = rng.uniform(0, n / sr, rng.poisson(rng.uniform(2, 7) * n / sr))
    times = []
    for parent in parents:  # crackles come in small bursts (a pocket of sap bursting)
        times.extend(parent + np.cumsum(rng.exponential(0.012, rng.integers(1, 6))))
    times = np.array([t for t in times if t < n / sr - 0.01])
    nb = times.size
    amp = (rng.pareto(2.0, nb) + 0.3) * rng.choice([-1.0, 1.0], nb)
    pops = decaying_tones(rng, sr, nb, 0.006, rng.uniform(1500, 6000, nb), rng.uniform(0.0002, 0.0015, nb), 0.85)
    crackles = filtered(overlap_add(n, (times * sr).astype(np.int64), amp[:, None] * pops), sr, "highpass", 500.0)
    return rng.uniform(0.2, 0.5) * roar + rng.uniform(0.02, 0.06) * hiss + peak_normalised(crackles)


def vacuum_cleaner(rng: np.random.Generator, n: int, sr: int) -> np.ndarray:
    """Motor whine (fundamental, harmonics, blade-pass tone) over strong broadband airflow."""
    t = np.arange(n) / sr
    motor = rng.uniform(330, 600)  # Hz: 20000-36000 rpm universal motor
    spin = np.ones(n)
    onset = 0.0
    if rng.random() < 0.3:  # switched on during the clip: motor spins up
        onset = rng.uniform(0.2, 1.5)
        spin = np.clip((t - onset) / rng.uniform(0.6, 1.2), 0, 1) ** 0.5
    wobble = 1 + 0.004 * smooth_curve(rng, n, sr, 2.0)
    inst = motor * (0.3 + 0.7 * spin) * wobble
    phase = 2 * np.pi * np.cumsum(inst) / sr
    blades = rng.integers(7, 12)
    amps = np.zeros(blades)
    amps[:3] = 1.0, 0.5, 0.33
    amps[blades - 1] = rng.uniform(0.3, 0.8)
    amps[np.arange(1, blades + 1) * motor * 1.01 > 0.45 * sr] = 0.0
    whine = harmonics(phase, amps)
    air = filtered(rng.standard_normal(n), sr, "bandpass", (rng.uniform(150, 400), rng.uniform(5000, 10000)))
    air = peak_normalised(air) * (1 + 0.03 * smooth_curve(rng, n, sr, 3.0))
    level = np.where(t >= onset, spin, 0.0)
    return (rng.uniform(0.15, 0.4) * peak_normalised(whine) + air) * level


def helicopter(rng: np.random.Generator, n: int, sr: int) -> np.ndarray:
    """Blade-rate thumps (4-6 Hz) modulating turbine noise, with a fly-by level curve."""
    t = np.arange(n) / sr
    blade_rate = rng.uniform(4.0, 6.0) * (1 + 0.02 * smooth_curve(rng, n, sr, 0.3))
    phase = 2 * np.pi * np.cumsum(blade_rate) / sr
    sharp = rng.uniform(6, 16)
    thump_env = (0.5 + 0.5 * np.cos(phase)) ** sharp  # short pulse once per blade pass
    thump = filtered(rng.standard_normal(n), sr, "lowpass", rng.uniform(200, 500)) * thump_env
    slap = filtered(rng.standard_normal(n), sr, "bandpass", (300.0, 2500.0)) * thump_env**2
    turbine = filtered(coloured_noise(rng, n, 1.0), sr, "lowpass", rng.uniform(3000, 7000))
    whine_freq = rng.uniform(1500, 4000)
    whine = np.sin(2 * np.pi * clip_hz(whine_freq, sr) * t)
    flyby = np.exp(-0.5 * ((t - rng.uniform(0, t[-1])) / rng.uniform(2.0, 8.0)) ** 2)
    body = (
        peak_normalised(thump)
        + rng.uniform(0.2, 0.6) * peak_normalised(slap)
        + rng.uniform(0.3, 0.6) * peak_normalised(turbine) * (0.6 + 0.4 * thump_env)
        + rng.uniform(0.01, 0.05) * whine
    )
    return body * (0.3 + flyby)


PROCEDURAL: dict[str, Callable[[np.random.Generator, int, int], np.ndarray]] = {
    "rain": rain,
    "crackling_fire": crackling_fire,
    "wind": wind,
    "keyboard_typing": keyboard_typing,
    "vacuum_cleaner": vacuum_cleaner,
    "clock_tick": clock_tick,
    "helicopter": helicopter,
    "siren": siren,
    "engine": engine,
}
assert tuple(PROCEDURAL) == PROCEDURAL_CLASSES


def procedural_clip(seed: int, category: str, take: int, n: int, sr: int) -> np.ndarray:
    rng = np.random.default_rng([seed, STREAM_CLIP, TARGET[category], take])
    clip = PROCEDURAL[category](rng, n, sr)
    clip = random_eq(rng, clip, sr, 4.0)  # a mild recording-chain colour
    if rng.random() < 0.2:  # a shorter recording padded to 5 s, as some ESC-50 clips are
        keep = int(rng.uniform(0.5, 0.9) * n)
        start = int(rng.integers(0, n - keep + 1))
        clip = place(rng, fade(clip[start : start + keep], sr, 0.05, 0.1), n)
    else:
        clip = fade(clip, sr, rng.uniform(0.005, 0.05), rng.uniform(0.005, 0.05))
    return set_peak(rng, clip)
