"""Audio file reading and writing: decode, downmix, resample, write atomically."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from .fileio import atomic_path

# The classifier (SoundNet) reads 22050 Hz; every condition but clean music reaches it from 8 kHz.
CLASSIFIER_RATE = 22050


class AudioError(ValueError):
    """An audio file that cannot be used; the message names the file and the problem."""

    def __init__(self, path: str | os.PathLike, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


def load_audio(
    path: str | os.PathLike, sample_rate: int | None = None, mono: bool = True
) -> tuple[np.ndarray, int]:
    """Decode an audio file to float32.

    Args:
        path: any format libsndfile reads (wav, flac, ogg, mp3).
        sample_rate: resample to this rate in Hz (soxr, high quality); None keeps the file's rate.
        mono: average the channels (the datasets are mono; stereo copies exist).

    Returns:
        ``(audio, rate)``: audio of shape (nb_samples,) if mono else (nb_samples, nb_channels).

    Raises:
        AudioError: the file is missing, cannot be decoded, is empty or holds NaN/inf.
    """
    path = Path(path)
    if not path.is_file():
        raise AudioError(path, "file not found")
    try:
        audio, rate = sf.read(path, dtype="float32", always_2d=True)
    except Exception as error:  # libsndfile raises several types for broken files
        raise AudioError(path, f"cannot be decoded ({error})") from error
    if audio.shape[0] == 0:
        raise AudioError(path, "holds no samples")
    if not np.all(np.isfinite(audio)):
        raise AudioError(path, "holds NaN or infinite samples")
    if mono:
        audio = audio.mean(axis=1)
    if sample_rate is not None and sample_rate != rate:
        audio = resample(audio, rate, sample_rate)
        rate = sample_rate
    return np.ascontiguousarray(audio, dtype=np.float32), int(rate)


def resample(audio: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Resample along the first axis with soxr's high-quality filter.

    Args:
        audio: (nb_samples,) or (nb_samples, nb_channels) float array.
    """
    if rate_in == rate_out:
        return audio.astype(np.float32, copy=False)
    return soxr.resample(audio, rate_in, rate_out, quality="HQ").astype(np.float32)


def write_wav(
    path: str | os.PathLike, audio: np.ndarray, sample_rate: int, subtype: str = "PCM_16", format: str = "WAV"
) -> Path:
    """Write an audio file atomically (temporary name, then rename).

    Args:
        audio: (nb_samples,) or (nb_samples, nb_channels) float array in [-1, 1];
            values outside are clipped by the integer subtypes.
        subtype: libsndfile subtype; PCM_16 as in GTZAN and ESC-50, FLOAT for
            intermediate results that must not be quantised.
        format: libsndfile container, ``WAV`` or ``FLAC`` (lossless, about half the size).
    """
    path = Path(path)
    with atomic_path(path) as tmp:
        sf.write(tmp, audio, sample_rate, subtype=subtype, format=format)
    return path


def rms_db(audio: np.ndarray) -> float:
    """Root-mean-square level in dB relative to full scale; -inf for digital silence."""
    power = float(np.mean(np.square(audio, dtype=np.float64))) if audio.size else 0.0
    return 10.0 * np.log10(power) if power > 0 else float("-inf")


def active_span(audio: np.ndarray, sample_rate: int, silence_db: float, frame_s: float = 0.02) -> tuple[float, float]:
    """Start and end (s) of the part between the first and last frame louder than ``silence_db``.

    Environmental clips are often an event padded with digital silence; mixing needs to
    know where the sound is. A clip with no loud frame gives ``(0.0, 0.0)``.
    """
    frame = max(1, int(round(frame_s * sample_rate)))
    nb_frames = -(-audio.shape[0] // frame)
    padded = np.zeros(nb_frames * frame, dtype=np.float64)
    padded[: audio.shape[0]] = audio
    frame_power = np.mean(np.square(padded.reshape(nb_frames, frame)), axis=1)
    loud = np.flatnonzero(frame_power > 10.0 ** (silence_db / 10.0))
    if loud.size == 0:
        return 0.0, 0.0
    end = min((loud[-1] + 1) * frame, audio.shape[0])
    return loud[0] * frame / sample_rate, end / sample_rate


def classifier_copy(music: np.ndarray, sample_rate: int) -> tuple[np.ndarray, float]:
    """Music at the classifier's rate, scaled down only where it would clip in 16-bit PCM.

    Returns the audio and the gain applied (1.0 unless the peak exceeded full scale).
    """
    audio = resample(music, sample_rate, CLASSIFIER_RATE)
    peak = float(np.max(np.abs(audio))) if audio.size else 0.0
    gain = 1.0 if peak <= 0.999 else 0.999 / peak
    return (audio * gain).astype(np.float32), gain


def classifier_input(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """What the classifier reads of audio at the working rate: its classifier copy after a 16-bit
    PCM round trip, as a stored copy would be (every condition but clean music comes this way)."""
    copy, _ = classifier_copy(audio, sample_rate)
    return pcm16_round_trip(copy, CLASSIFIER_RATE)


def pcm16_round_trip(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """The audio after a 16-bit PCM wav write and read (an in-memory round trip through libsndfile)."""
    import io

    buffer = io.BytesIO()
    sf.write(buffer, audio, sample_rate, subtype="PCM_16", format="WAV")
    buffer.seek(0)
    return sf.read(buffer, dtype="float32")[0]


def observation_added(music: np.ndarray, mixture: np.ndarray, mu: float) -> np.ndarray:
    """Observation adding: ``(1 - mu) music + mu mixture`` as float32 (nb_samples,)."""
    if not 0.0 <= mu <= 1.0:
        raise ValueError(f"an observation-adding weight must be in 0..1, got {mu}")
    return ((1.0 - mu) * music.astype(np.float64) + mu * mixture.astype(np.float64)).astype(np.float32)
