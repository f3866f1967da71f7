"""Your own recordings: denoise and classify any audio file with a finished run's models.

One recording goes through four steps, each in bounded memory whatever its length:

1. **Decoding** (:func:`decode_recording`): any file libsndfile reads (wav, flac, ogg/vorbis or
   opus, mp3, aiff, ...), at any rate and with any number of channels, is read in blocks of
   ``block_seconds``, downmixed by the mean of its channels (as the study's
   :func:`~danet_music2vec.audio.load_audio`) and resampled block by block to the working rate
   by a streaming soxr resampler (the same high-quality filter), into a float WAV on disk. The
   recording is never held whole at its own rate.
2. **Separation in chunks** (:func:`separate_in_chunks`): the working-rate signal is cut into
   chunks of ``chunk_seconds`` (all of the same length, overlapping by at least
   ``overlap_seconds``), each separated by the study's
   :class:`~danet_music2vec.inference.separation.Separator` on its own, and the estimates are
   joined by overlap-add with complementary sin^2 / cos^2 cross-fades over each overlap, so
   there is no seam. A DANet's k-means attractors are found **per chunk**: memory stays bounded,
   and a long recording whose music or noise changes gets attractors of the part at hand (the
   study finds one pair per 10 s or 30 s clip, about a chunk). A recording no longer than one
   chunk is one chunk, separated exactly as the study separates a test mixture (bit for bit);
   the k-means subsample of its first chunk is seeded by ``clip_seed(seed, <file stem>)``, as
   the study seeds a mixture by its id, and chunk ``i > 0`` by ``clip_seed(seed, "<stem>#i")``.
3. **No harm** (no-harm methods only, :data:`~danet_music2vec.methods.NO_HARM_METHODS`): the
   base method's music estimate ``s`` gets the input ``y`` added back, ``(1 - mu) s + mu y``,
   with ``mu`` the fitted curve (:func:`~danet_music2vec.inference.no_harm.read_curve`) at the
   blind SNR estimate of the whole recording's base separation (its music-to-noise energy
   ratio, :func:`~danet_music2vec.inference.outputs.blind_snr_db`): one weight per recording,
   as the study uses one per clip.
4. **Classification**: the classifier reads 22050 Hz audio; the denoised music and the
   unprocessed input (downmixed and resampled to the working rate, the study's ``mixture``
   condition) both reach it through the study's path: the 16-bit copy a separation folder
   stores (:func:`stored_copy`), then :func:`~danet_music2vec.audio.classifier_input`. A
   recording up to 1.5 chunks long is classified whole, as one clip; a longer one in equal
   windows of about ``chunk_seconds`` (non-overlapping), whose class probabilities are averaged
   weighted by their length: the recording's posteriors on the input and on the denoised music.
5. **Late fusion** (fusion methods only, :data:`~danet_music2vec.methods.FUSION_METHODS`): the
   two recording-level posteriors are mixed as the study mixes a test clip's,
   ``w p_input + (1 - w) p_denoised`` (:func:`~danet_music2vec.inference.observation_adding.fused`),
   with ``w`` the classifier's fitted fusion curve (:func:`read_fusion_curve`) at the blind SNR
   estimate of the whole recording's base separation, the same estimate as step 3; the predicted
   genre is the fused posterior's. The fusion is applied once, to the length-weighted window
   means: since ``w`` is one per recording and the fusion is linear, this equals the
   length-weighted mean of the windows' fused posteriors. The denoised music is the base
   method's (the input is not added back to the audio).

The outputs of one recording (:func:`process_recording`) are one folder: ``music_8000hz.wav``
(the denoised music at the working rate, float), ``music_22050hz.wav`` (the same for listening,
16-bit PCM at 22050 Hz; it holds no more than the working rate's band), ``noise_8000hz.wav``
(the estimated noise: the base method's noise estimate, or the input minus the denoised music
for a no-harm output) and ``result.json`` (:data:`RESULT_FORMAT`; ``predicted`` is the genre of the
fused posterior for a fusion method, else of the denoised music's). A recording that cannot be
used (not decodable, unreadable, empty, silent, shorter than ``min_seconds``) gives a folder
with ``result.json`` alone, stating the reason: it never stops the others.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr
import torch

from ..audio import CLASSIFIER_RATE, classifier_input, observation_added
from ..fileio import atomic_path
from ..methods import DANET_MODELS, FUSION_METHODS, NO_HARM_METHODS, no_harm_curve
from ..models.music2vec import GenreClassifier
from ..seeding import clip_seed
from .observation_adding import WeightCurve, fused
from .outputs import FULL_SCALE, energy_ratio_db
from .recordings import (  # noqa: F401  (re-exported: the API of the recordings' processing)
    AUDIO_SUFFIXES,
    BLIND_METHODS,
    USER_METHODS,
    UserAudioSettings,
    base_method,
    file_key,
    is_file_key,
    list_recordings,
    resolve_method,
)
from .separation import SeparationSettings, Separator

RESULT_FORMAT = "user-audio-result-1"
RESULT_FILE = "result.json"
MUSIC_8K, MUSIC_LISTENING, NOISE_8K = "music_8000hz.wav", "music_22050hz.wav", "noise_8000hz.wav"


class RecordingProblem(Exception):
    """A recording that cannot be used; ``reason`` is said on the page and in problems.csv."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


# --------------------------------------------------------------------------- decoding


@dataclass(frozen=True)
class RecordingInfo:
    """What decoding found: the file's own rate, channels and length, and the working-rate signal."""

    sample_rate: int
    channels: int
    format: str
    duration_s: float  # decoded frames at the file's own rate
    samples: int  # at the working rate
    peak: float  # of the downmixed signal at the working rate


def _short_error(error: BaseException, path: Path) -> str:
    text = str(error).replace(str(path), path.name).strip()
    return re.sub(r"\s+", " ", text) or type(error).__name__


def decode_recording(path: str | os.PathLike, rate: int, out_wav: str | os.PathLike, *,
                     block_seconds: float = 10.0, min_seconds: float = 0.0) -> RecordingInfo:
    """Decode ``path`` block by block, downmix, resample to ``rate`` and write ``out_wav``
    (mono float WAV at ``rate``).

    Raises:
        RecordingProblem: the file cannot be read or decoded, is empty, holds no samples or
            NaN/inf ones, is digital silence, or is shorter than ``min_seconds``.
    """
    path = Path(path)
    if path.is_dir():
        raise RecordingProblem("cannot be read: it is a folder")
    try:
        with open(path, "rb") as handle:
            first = handle.read(1)
    except OSError as error:
        raise RecordingProblem(f"cannot be read ({error.strerror or error})") from error
    if not first:
        raise RecordingProblem("the file is empty (0 bytes)")
    try:
        source = sf.SoundFile(path)
    except Exception as error:  # libsndfile raises several types for broken files
        raise RecordingProblem(f"cannot be decoded ({_short_error(error, path)})") from error
    with source:
        in_rate, channels = int(source.samplerate), int(source.channels)
        kind = f"{source.format} {source.subtype}".strip()
        if source.frames == 0:
            raise RecordingProblem("holds no audio samples")
        if 0 < source.frames < min_seconds * in_rate:
            raise RecordingProblem(f"too short: {source.frames / in_rate:.2f} s (the minimum is {min_seconds:g} s)")
        stream = None if in_rate == rate else soxr.ResampleStream(in_rate, rate, 1, dtype="float32", quality="HQ")
        block = max(1, int(round(block_seconds * in_rate)))
        frames = written = 0
        peak = 0.0
        with sf.SoundFile(out_wav, "w", samplerate=rate, channels=1, subtype="FLOAT", format="WAV") as sink:
            while True:
                try:
                    data = source.read(block, dtype="float32", always_2d=True)
                except Exception as error:
                    raise RecordingProblem(f"cannot be decoded after {frames / in_rate:.1f} s "
                                           f"({_short_error(error, path)})") from error
                last = data.shape[0] == 0
                if not last and not np.all(np.isfinite(data)):
                    raise RecordingProblem(f"holds NaN or infinite samples (after {frames / in_rate:.1f} s)")
                frames += data.shape[0]
                mono = np.ascontiguousarray(data.mean(axis=1), dtype=np.float32)
                if stream is not None:
                    mono = stream.resample_chunk(mono, last=last)
                if mono.size:
                    peak = max(peak, float(np.max(np.abs(mono))))
                    sink.write(mono)
                    written += mono.size
                if last:
                    break
    if frames == 0 or written == 0:
        raise RecordingProblem("holds no audio samples")
    if frames < min_seconds * in_rate:
        raise RecordingProblem(f"too short: {frames / in_rate:.2f} s (the minimum is {min_seconds:g} s)")
    if peak == 0.0:
        raise RecordingProblem("digital silence: every sample is zero")
    return RecordingInfo(in_rate, channels, kind, frames / in_rate, written, peak)


def read_excerpt(path: str | os.PathLike, rate: int, seconds: float) -> np.ndarray:
    """The first ``seconds`` of a recording, downmixed and resampled to ``rate`` (the page's
    players); at most about ``seconds`` of the file are decoded."""
    with sf.SoundFile(path) as source:
        data = source.read(int(math.ceil(seconds * source.samplerate)), dtype="float32", always_2d=True)
        in_rate = int(source.samplerate)
    mono = data.mean(axis=1).astype(np.float32)
    if in_rate != rate:
        mono = soxr.resample(mono, in_rate, rate, quality="HQ").astype(np.float32)
    return mono[: int(round(seconds * rate))]


# --------------------------------------------------------------------------- separation in chunks


def chunk_starts(n_samples: int, chunk: int, overlap: int) -> list[int]:
    """Starts of the chunks of ``chunk`` samples that cover ``n_samples``: one chunk (start 0)
    when the signal is no longer than a chunk, else the fewest chunks whose consecutive
    overlaps are at least ``overlap``, spread evenly, the last ending at the last sample."""
    if n_samples <= chunk:
        return [0]
    if not 0 <= overlap < chunk:
        raise ValueError(f"overlap ({overlap}) must be in 0..chunk-1 ({chunk - 1})")
    count = int(math.ceil((n_samples - overlap) / (chunk - overlap)))
    count = max(count, 2)
    hop = (n_samples - chunk) / (count - 1)
    return [int(round(i * hop)) for i in range(count)]


def crossfade_in(length: int) -> np.ndarray:
    """Weights (length,) float32 of the incoming chunk over an overlap, sin^2 from 0 to 1; the
    outgoing chunk gets one minus them, so the two always sum to one."""
    t = (np.arange(length, dtype=np.float64) + 0.5) / max(length, 1)
    return (np.sin(0.5 * np.pi * t) ** 2).astype(np.float32)


def chunk_seed(seed: int, stem: str, index: int) -> int:
    """The k-means seed of chunk ``index`` of the recording ``stem``: the first chunk's is the
    study's seed of a mixture of that id (:func:`~danet_music2vec.seeding.clip_seed`)."""
    return clip_seed(seed, stem if index == 0 else f"{stem}#{index}")


def separate_in_chunks(read: Callable[[int, int], np.ndarray], n_samples: int, separator: Separator, *,
                       chunk: int, overlap: int, seed_of: Callable[[int], int] = lambda index: 0,
                       ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Music and noise estimates of a long signal, chunk by chunk, joined by overlap-add.

    Args:
        read: ``read(start, stop)`` -> the signal's samples ``start:stop`` (float32 at the
            separator's rate).
        chunk, overlap: samples (see :func:`chunk_starts`).
        seed_of: chunk index -> seed of its k-means subsample.

    Yields:
        Consecutive, non-overlapping blocks ``(music, noise)``, each (block_samples,) float32,
        that together cover ``0:n_samples``. Samples covered by one chunk only are that chunk's
        own estimates; in an overlap the outgoing estimate fades out as the incoming one fades
        in (:func:`crossfade_in`). Only one chunk and one overlap are held at a time.
    """
    starts = chunk_starts(n_samples, chunk, overlap)
    pending: tuple[np.ndarray, np.ndarray] | None = None
    for index, start in enumerate(starts):
        stop = min(start + chunk, n_samples)
        mixture = np.ascontiguousarray(read(start, stop), dtype=np.float32)
        music, noise = separator(mixture, mixture, mixture, clip_seed=seed_of(index))
        if pending is not None:
            length = pending[0].shape[0]
            fade = crossfade_in(length)
            music[:length] = (1.0 - fade) * pending[0] + fade * music[:length]
            noise[:length] = (1.0 - fade) * pending[1] + fade * noise[:length]
        if index + 1 < len(starts):
            keep = starts[index + 1] - start
            pending = (music[keep:].copy(), noise[keep:].copy())
            yield music[:keep], noise[:keep]
        else:
            yield music, noise


def classifier_windows(n_samples: int, window: int) -> list[tuple[int, int]]:
    """Equal, non-overlapping windows (start, stop) covering ``n_samples``, as many as
    ``round(n_samples / window)`` (at least one): a signal up to 1.5 windows long is one."""
    count = max(1, int(math.floor(n_samples / window + 0.5)))
    bounds = [int(round(i * n_samples / count)) for i in range(count + 1)]
    return list(zip(bounds[:-1], bounds[1:]))


# --------------------------------------------------------------------------- the study's copies


def store_gain(peak: float) -> float:
    """The gain a separation folder stores an estimate of peak ``peak`` with
    (:func:`~danet_music2vec.inference.outputs.write_music_estimate`)."""
    return 1.0 if peak <= FULL_SCALE else FULL_SCALE / peak


def stored_copy(audio: np.ndarray, gain: float, sample_rate: int) -> np.ndarray:
    """``audio`` as a separation folder stores it (16-bit FLAC after ``gain``) and reads it back
    (gain undone): what the study's classifier reads of every 8 kHz condition. Sample by sample,
    so a window of a recording gets the samples the whole would."""
    buffer = io.BytesIO()
    sf.write(buffer, (audio * gain).astype(np.float32), sample_rate, subtype="PCM_16", format="FLAC")
    buffer.seek(0)
    decoded, _ = sf.read(buffer, dtype="float32", always_2d=False)
    return (decoded / np.float32(gain)).astype(np.float32)


# --------------------------------------------------------------------------- models


def read_fusion_curve(path: str | os.PathLike) -> WeightCurve:
    """The curve of a fusion fit (``results/no_harm/fits/<variant>/<fusion>_<classifier>.json``,
    written by the study's fuse_predictions rule): its ``curve``."""
    fit = json.loads(Path(path).read_text())
    if not isinstance(fit, dict) or not isinstance(fit.get("curve"), dict):
        raise ValueError(f"{path}: not a late-fusion fit (no 'curve')")
    return WeightCurve.from_dict(fit["curve"])


def read_method_curve(method: str, path: str | os.PathLike) -> WeightCurve:
    """The fitted curve a method reads from its fit file: a fusion's curve, or a no-harm fit's
    ``constant`` curve for ``*_al`` and its ``logistic`` curve otherwise."""
    from .no_harm import read_curve

    if method in FUSION_METHODS:
        return read_fusion_curve(path)
    return read_curve(path, no_harm_curve(method))


@dataclass
class RecordingModels:
    """What a recording is processed with: the base method's separator, the classifier, the
    no-harm curve (no-harm methods only) and the fusion curve (fusion methods only)."""

    method: str
    separator: Separator
    classifier: GenreClassifier
    curve: WeightCurve | None = None
    fusion: WeightCurve | None = None

    def __post_init__(self) -> None:
        if (self.curve is not None) != (self.method in NO_HARM_METHODS):
            raise ValueError(f"method {self.method!r}: a no-harm curve is for no-harm methods only, and needed there")
        if (self.fusion is not None) != (self.method in FUSION_METHODS):
            raise ValueError(f"method {self.method!r}: a fusion curve is for fusion methods only, and needed there")

    @property
    def base(self) -> str:
        return base_method(self.method)


def load_models(method: str, stft_params: dict, separation: dict, *, classifier: str | os.PathLike,
                soundnet: str | os.PathLike, danet: str | os.PathLike | None = None,
                fit: str | os.PathLike | None = None) -> RecordingModels:
    """The models of a finished run for ``method`` (one of :data:`USER_METHODS`).

    Args:
        stft_params: the run's STFT settings (sample_rate, n_fft, hop_length, window, segment_frames).
        separation: :class:`~danet_music2vec.inference.separation.SeparationSettings` fields.
        danet: the base method's DANet model file (DANet methods only).
        fit: no-harm methods: the base method's no-harm fit (its ``constant`` curve for ``*_al``,
            its ``logistic`` curve otherwise); fusion methods: the fusion fit of this classifier
            (:func:`read_fusion_curve`); none for the others.

    Raises:
        ValueError: an unknown method, a file the method needs missing or one it does not take,
            or a DANet whose frequency bins do not match ``stft_params`` (files named).
    """
    from ..models.danet import load_danet
    from ..models.music2vec import load_classifier

    if method not in USER_METHODS:
        raise ValueError(f"method {method!r} cannot denoise a recording; allowed: {', '.join(USER_METHODS)}")
    base = base_method(method)
    if (base in DANET_MODELS) != (danet is not None):
        raise ValueError(f"method {method!r} {'needs' if base in DANET_MODELS else 'takes no'} DANet model file")
    if method in FUSION_METHODS:
        if fit is None:
            raise ValueError(f"method {method!r} needs the classifier's fusion fit")
    elif (method in NO_HARM_METHODS) != (fit is not None):
        raise ValueError(f"method {method!r} {'needs' if method in NO_HARM_METHODS else 'takes no'} no-harm fit")
    model = None
    if danet is not None:
        model = load_danet(danet)
        n_bins = int(stft_params["n_fft"]) // 2 + 1
        if model.config.n_bins != n_bins:
            raise ValueError(f"{danet}: a DANet of {model.config.n_bins} frequency bins, but stft.n_fft "
                             f"{stft_params['n_fft']} gives {n_bins}; use the run's own stft settings")
    curve = read_method_curve(method, fit) if fit is not None else None
    separator = Separator(base, stft_params, SeparationSettings(**separation), model)
    if method in FUSION_METHODS:
        return RecordingModels(method, separator, load_classifier(classifier, soundnet), fusion=curve)
    return RecordingModels(method, separator, load_classifier(classifier, soundnet), curve)


# --------------------------------------------------------------------------- one recording


class _Probabilities:
    """Length-weighted mean of per-window class probabilities (one window's are returned as they are)."""

    def __init__(self) -> None:
        self.probs: list[np.ndarray] = []
        self.samples: list[int] = []

    def add(self, probs: np.ndarray, samples: int) -> None:
        self.probs.append(np.asarray(probs, dtype=np.float64))
        self.samples.append(samples)

    def mean(self) -> np.ndarray:
        if len(self.probs) == 1:
            return self.probs[0]
        return np.average(np.stack(self.probs), axis=0, weights=np.asarray(self.samples, dtype=np.float64))


def _separate_to_files(work: Path, info: RecordingInfo, models: RecordingModels, settings: UserAudioSettings,
                       stem: str) -> tuple[int, float, float, float]:
    """Base separation of ``work/mixture.wav`` into ``work/base_music.wav`` and ``work/base_noise.wav``;
    returns the chunk count, the music and noise energies, and the music's peak."""
    rate = models.separator.sample_rate
    chunk = max(1, int(round(settings.chunk_seconds * rate)))
    overlap = int(round(settings.overlap_seconds * rate))
    music_energy = noise_energy = peak = 0.0
    with sf.SoundFile(work / "mixture.wav") as mixture, \
            sf.SoundFile(work / "base_music.wav", "w", rate, 1, "FLOAT", format="WAV") as music_out, \
            sf.SoundFile(work / "base_noise.wav", "w", rate, 1, "FLOAT", format="WAV") as noise_out:

        def read(start: int, stop: int) -> np.ndarray:
            mixture.seek(start)
            return mixture.read(stop - start, dtype="float32")

        for music, noise in separate_in_chunks(read, info.samples, models.separator, chunk=chunk, overlap=overlap,
                                               seed_of=lambda index: chunk_seed(settings.seed, stem, index)):
            music_energy += float(np.sum(np.square(music, dtype=np.float64)))
            noise_energy += float(np.sum(np.square(noise, dtype=np.float64)))
            peak = max(peak, float(np.max(np.abs(music))) if music.size else 0.0)
            music_out.write(music)
            noise_out.write(noise)
    return len(chunk_starts(info.samples, chunk, overlap)), music_energy, noise_energy, peak


def _finish(work: Path, out: Path, info: RecordingInfo, models: RecordingModels, settings: UserAudioSettings,
            mu: float, base_peak: float) -> tuple[np.ndarray, np.ndarray, int]:
    """The denoised music and noise files, the listening copy, and the classifier's probabilities
    of the input and of the denoised music (length-weighted over windows); returns them and the
    window count."""
    rate = models.separator.sample_rate
    windows = classifier_windows(info.samples, max(1, int(round(settings.chunk_seconds * rate))))
    mix_gain, base_gain = store_gain(info.peak), store_gain(base_peak)
    no_harm = models.curve is not None
    # The listening copy is 16-bit: one gain for the whole file keeps its peak (bounded by the
    # weighted peaks at the working rate, a little more after resampling: clipped) in range.
    bound = (1.0 - mu) * base_peak + mu * info.peak if no_harm else base_peak
    listening_gain = 1.0 if bound <= FULL_SCALE else FULL_SCALE / bound
    stream = soxr.ResampleStream(rate, CLASSIFIER_RATE, 1, dtype="float32", quality="HQ")
    probs_input, probs_denoised = _Probabilities(), _Probabilities()
    classifier = models.classifier
    with sf.SoundFile(work / "mixture.wav") as mixture, sf.SoundFile(work / "base_music.wav") as base_music, \
            sf.SoundFile(work / "base_noise.wav") as base_noise, \
            sf.SoundFile(out / MUSIC_8K, "w", rate, 1, "FLOAT", format="WAV") as music_out, \
            sf.SoundFile(out / NOISE_8K, "w", rate, 1, "FLOAT", format="WAV") as noise_out, \
            sf.SoundFile(out / MUSIC_LISTENING, "w", CLASSIFIER_RATE, 1, "PCM_16", format="WAV") as listening:
        for index, (start, stop) in enumerate(windows):
            n = stop - start
            mix = mixture.read(n, dtype="float32")
            music = base_music.read(n, dtype="float32")
            noise = base_noise.read(n, dtype="float32")
            if no_harm:  # the study's no-harm output: its stored base estimate with the mixture added back
                stored = stored_copy(music, base_gain, rate)
                denoised = observation_added(stored, mix, mu)
                heard = denoised
                noise = (mix - denoised).astype(np.float32)
            else:
                denoised, heard = music, stored_copy(music, base_gain, rate)
            music_out.write(denoised)
            noise_out.write(noise)
            copy = stream.resample_chunk(denoised * np.float32(listening_gain), last=index == len(windows) - 1)
            listening.write(np.clip(copy, -1.0, 1.0))
            probs_input.add(classifier.predict_proba(classifier_input(stored_copy(mix, mix_gain, rate), rate)), n)
            probs_denoised.add(classifier.predict_proba(classifier_input(heard, rate)), n)
    return probs_input.mean(), probs_denoised.mean(), len(windows)


def fuse_recording(curve: WeightCurve | None, snr_db: float, p_input: np.ndarray, p_denoised: np.ndarray,
                   ) -> tuple[float | None, np.ndarray | None]:
    """The late fusion of one recording's posteriors (module doc, step 5): the weight of the
    input's posterior ``w = curve(snr_db)`` and ``w p_input + (1 - w) p_denoised``, by the study's
    :func:`~danet_music2vec.inference.observation_adding.fused`; ``(None, None)`` without a curve."""
    if curve is None:
        return None, None
    weight = np.atleast_1d(np.asarray(curve(float(snr_db)), dtype=float))
    probs = fused(np.asarray(p_input, dtype=float)[None, :], np.asarray(p_denoised, dtype=float)[None, :], weight)
    return float(weight[0]), probs[0]


def process_recording(path: str | os.PathLike, name: str, out_dir: str | os.PathLike, models: RecordingModels,
                      settings: UserAudioSettings) -> dict:
    """Denoise and classify one recording into ``out_dir`` (written whole, then renamed).

    Args:
        path: the audio file.
        name: how the page and the tables name it (its path relative to the input folder);
            its stem seeds the k-means subsamples (:func:`chunk_seed`).

    Returns:
        The record written to ``out_dir/result.json``: ``status`` ``ok`` with the file's rate,
        channels, format and duration, the chunk and window counts, the base method's blind SNR
        estimate (dB), the no-harm weight (``mix_weight``, 0 but for a no-harm method) and the
        fusion weight of the input's posterior (``fusion_weight``, None but for a fusion
        method), the class names and probabilities on the input, on the denoised music and fused
        (``probs_fused``, None but for a fusion method), the predicted genre (``predicted``: the
        fused posterior's for a fusion method, else the denoised music's), the genres predicted on
        the denoised music and on the input, and the seconds each step took; or ``status``
        ``problem`` with the ``reason``.
    """
    path, out_dir = Path(path), Path(out_dir)
    rate = models.separator.sample_rate
    record: dict = {"format": RESULT_FORMAT, "file": name, "key": out_dir.name, "method": models.method,
                    "base_method": models.base, "settings": asdict(settings)}
    started = time.perf_counter()
    with atomic_path(out_dir) as tmp:
        tmp.mkdir(parents=True)
        work = tmp / ".work"
        work.mkdir()
        try:
            info = decode_recording(path, rate, work / "mixture.wav", block_seconds=settings.block_seconds,
                                    min_seconds=settings.min_seconds)
        except RecordingProblem as problem:
            record.update(status="problem", reason=problem.reason)
        else:
            decoded = time.perf_counter()
            chunks, music_energy, noise_energy, base_peak = _separate_to_files(work, info, models, settings,
                                                                               Path(name).stem)
            separated = time.perf_counter()
            snr = energy_ratio_db(music_energy, noise_energy)  # blind_snr_db of the whole recording
            mu = float(models.curve(snr)) if models.curve is not None else 0.0
            p_input, p_denoised, windows = _finish(work, tmp, info, models, settings, mu, base_peak)
            weight, p_fused = fuse_recording(models.fusion, snr, p_input, p_denoised)
            finished = time.perf_counter()
            names = list(models.classifier.class_names)
            predicted = p_denoised if p_fused is None else p_fused
            record.update(
                status="ok", sample_rate=info.sample_rate, channels=info.channels, audio_format=info.format,
                duration_s=info.duration_s, working_rate=rate, samples=info.samples, chunks=chunks,
                windows=windows, blind_snr_db=snr, mix_weight=mu, fusion_weight=weight, class_names=names,
                probs_input=[float(p) for p in p_input], probs_denoised=[float(p) for p in p_denoised],
                probs_fused=None if p_fused is None else [float(p) for p in p_fused],
                predicted=names[int(np.argmax(predicted))], predicted_denoised=names[int(np.argmax(p_denoised))],
                predicted_input=names[int(np.argmax(p_input))],
                outputs={"music_8000hz": MUSIC_8K, "music_22050hz": MUSIC_LISTENING, "noise_8000hz": NOISE_8K},
                seconds={"decode": decoded - started, "separate": separated - decoded,
                         "classify_and_write": finished - separated, "total": finished - started},
            )
        shutil.rmtree(work)
        (tmp / RESULT_FILE).write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return record


def read_result(folder: str | os.PathLike) -> dict:
    """``result.json`` of a recording's folder (:func:`process_recording`).

    Raises:
        FileNotFoundError / ValueError: no result, or not one of this format (named).
    """
    path = Path(folder) / RESULT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no recording result")
    record = json.loads(path.read_text(encoding="utf-8"))
    if record.get("format") != RESULT_FORMAT:
        raise ValueError(f"{path}: not a recording result ({RESULT_FORMAT})")
    return record


def torch_threads(threads: int) -> None:
    """The job's threads for torch (one per job is fastest on a shared machine: docs/benchmarks.md)."""
    torch.set_num_threads(max(1, int(threads)))
