"""A separation folder: every test mixture's music estimate at the working rate, and ``index.csv``.

The music estimate is stored as 16-bit FLAC, scaled down by ``music_gain`` only where it would
clip (its quantisation, about -95 dB below full scale, moves no BSS metric by more than 0.001
dB; docs/benchmarks.md). The noise estimate is not stored: every method's two estimates add up
to the mixture (masks that sum to one over the same spectrum, noisereduce's residual, the
references), so it is the mixture minus the music, except for ``mixture``, which returns the
unprocessed mixture as both. Nothing at the classifier's rate is written: the classifier reads
the 8 kHz estimate and brings it to 22050 Hz itself (:func:`danet_music2vec.audio.classifier_copy`).

Columns of ``index.csv`` (INDEX_COLUMNS): mix_id, music_id, snr_db, music_path (relative to the
folder), music_gain, mix_weight (the share of the mixture added back to the stored estimate:
0 for a separation method, the fitted weight for a no-harm output, whose folder stores no
audio and points at its base method's files), noise_estimate (``residual`` or ``mixture``),
blind_snr_db (10 log10 of
the music estimate's energy over the noise estimate's: the method's own SNR estimate, no
reference), audio_seconds, seconds (processing time).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import soundfile as sf

from ..audio import observation_added, write_wav

INDEX_COLUMNS = ("mix_id", "music_id", "snr_db", "music_path", "music_gain", "mix_weight", "noise_estimate",
                 "blind_snr_db", "audio_seconds", "seconds")
NOISE_ESTIMATES = ("residual", "mixture")
FULL_SCALE = 0.999  # peak a stored estimate may reach
ENERGY_FLOOR = 1e-12  # keeps the blind SNR finite for a silent estimate


class SeparationInputError(ValueError):
    """A separation folder or estimate that cannot be used; the message names the file."""


def write_music_estimate(path: str | os.PathLike, music: np.ndarray, sample_rate: int) -> float:
    """Write ``music`` (nb_samples,) as 16-bit FLAC, scaled into full scale; returns the gain applied."""
    peak = float(np.max(np.abs(music))) if music.size else 0.0
    gain = 1.0 if peak <= FULL_SCALE else FULL_SCALE / peak
    write_wav(path, (music * gain).astype(np.float32), sample_rate, subtype="PCM_16", format="FLAC")
    return gain


def check_estimate_file(path: str | os.PathLike, n_samples: int | None = None,
                        sample_rate: int | None = None) -> None:
    """Fail, naming the file, unless it is a mono audio file of ``n_samples`` at ``sample_rate``
    (each when given); reads the header only."""
    path = Path(path)
    if not path.is_file():
        raise SeparationInputError(f"{path}: separated audio file is missing")
    info = sf.info(path)
    if info.channels != 1:
        raise SeparationInputError(f"{path}: {info.channels} channels, expected mono")
    if sample_rate is not None and info.samplerate != sample_rate:
        raise SeparationInputError(f"{path}: sample rate {info.samplerate} Hz, expected {sample_rate} Hz")
    if n_samples is not None and info.frames != n_samples:
        raise SeparationInputError(f"{path}: {info.frames} samples, but the reference clip has {n_samples}; "
                                   "estimates must cover the whole clip at the same length")


def read_music_estimate(path: str | os.PathLike, gain: float, n_samples: int | None = None,
                        sample_rate: int | None = None) -> np.ndarray:
    """A stored music estimate (nb_samples,) float32, its gain undone.

    Raises:
        SeparationInputError: the file is missing, not mono, or not of ``n_samples`` samples at
            ``sample_rate`` (when given), or holds non-finite samples; the message names it.
    """
    check_estimate_file(path, n_samples, sample_rate)
    audio, _ = sf.read(path, dtype="float32", always_2d=False)
    if not np.all(np.isfinite(audio)):
        raise SeparationInputError(f"{path}: holds non-finite samples (NaN or inf)")
    return (audio / np.float32(gain)).astype(np.float32)


def noise_estimate(kind: str, mixture: np.ndarray, music: np.ndarray) -> np.ndarray:
    """The noise estimate that goes with a music estimate (see the module doc)."""
    if kind == "residual":
        return (mixture - music).astype(np.float32)
    if kind == "mixture":
        return mixture.astype(np.float32)
    raise SeparationInputError(f"unknown noise estimate {kind!r}; allowed: {', '.join(NOISE_ESTIMATES)}")


def blind_snr_db(music: np.ndarray, noise: np.ndarray) -> float:
    """10 log10 of the music estimate's energy over the noise estimate's (dB)."""
    return energy_ratio_db(float(np.sum(np.square(music, dtype=np.float64))),
                           float(np.sum(np.square(noise, dtype=np.float64))))


def energy_ratio_db(music_energy: float, noise_energy: float) -> float:
    """:func:`blind_snr_db` from the two energies (sums of squares), for a signal summed block by block."""
    return 10.0 * float(np.log10(max(music_energy, ENERGY_FLOOR) / max(noise_energy, ENERGY_FLOOR)))


def read_separation_index(folder: str | os.PathLike) -> pd.DataFrame:
    """``index.csv`` of a separation folder, indexed by mix_id, with absolute audio paths."""
    folder = Path(folder)
    path = folder / "index.csv"
    if not path.is_file():
        raise SeparationInputError(f"{path}: no separation index")
    index = pd.read_csv(path, dtype={"mix_id": str, "music_id": str, "music_path": str, "noise_estimate": str})
    missing = [c for c in INDEX_COLUMNS if c not in index.columns]
    if missing:
        raise SeparationInputError(f"{path}: missing columns {missing}")
    duplicated = index.loc[index["mix_id"].duplicated(), "mix_id"].tolist()
    if duplicated:
        raise SeparationInputError(f"{path}: mix ids listed more than once: {duplicated[:5]}")
    unknown = sorted(set(index["noise_estimate"]) - set(NOISE_ESTIMATES))
    if unknown:
        raise SeparationInputError(f"{path}: unknown noise_estimate values {unknown}")
    index["music_path"] = [str((folder / p).resolve()) if not Path(p).is_absolute() else p for p in index["music_path"]]
    return index.set_index("mix_id")


def read_estimates(entry: pd.Series, mixture: np.ndarray, sample_rate: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Music and noise estimates (nb_samples,) of one row of :func:`read_separation_index`."""
    music = read_music_estimate(entry["music_path"], float(entry["music_gain"]), mixture.size, sample_rate)
    weight = float(entry.get("mix_weight", 0.0))
    if weight > 0.0:
        music = observation_added(music, mixture, weight)
    return music, noise_estimate(str(entry["noise_estimate"]), mixture, music)
