"""Mixtures of one variant and split in HDF5: the waveforms once, the STFT segments on demand.

The STFT is linear, so a mixture's spectrum is the sum of its music's and its noise's, and a
mixture at another SNR is the same noise scaled. A file therefore stores each music clip's
music and noise waveforms once (the noise at 0 dB), and every mixture as a row that names its
clip and its noise scale. :class:`SegmentStore` computes the STFT segments of mixture, music and
noise when they are read, with the same :class:`~danet_music2vec.transforms.STFT` as the rest of
the pipeline; a 256-point STFT of a clip costs far less than reading three stored spectra of it.

Layout of one file (``layout`` attribute :data:`LAYOUT`)::

    attrs        sample_rate, n_fft, hop_length, window, n_bins, segment_frames, layout,
                 waveform_dtype, config_hash, variant, split, n_noises, seed
    waveforms/   music, noise   (nb_clips, max_samples) float16 or float32, zero after n_samples;
                 noise at 0 dB SNR
    segments/    mix_index, segment_index   (nb_segments,) int32
    mixtures/    mix_id, music_id, noise_ids, noise_offsets_s (str), snr_db, noise_gains (str),
                 clip_index, noise_scale, n_samples, first_segment, n_segments   (nb_mixtures,)

``float16`` waveforms (the default) halve the disk; their rounding (at most 2**-11 of each
sample, about -70 dB) moves no mean separation metric by more than 0.01 dB (docs/benchmarks.md).
With ``float32`` the segments of a mixture at 0 dB are bit for bit those of the mixing itself;
at another SNR the noise is scaled after the cast, within 1.2e-7 relative.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import torch

from ..audio import load_audio
from ..fileio import atomic_path
from ..transforms import STFT, to_segments
from .mixing import MixingError, mix_at_snr

SOURCES = ("mixture", "music", "noise")
LAYOUT = "waveforms-2"
WAVEFORM_DTYPES = ("float16", "float32")
STRING = h5py.string_dtype("utf-8")
_CACHED_CLIPS = 4  # spectra kept by a reader: a block boundary cuts one clip, read twice


@dataclass(frozen=True)
class StftParams:
    """Everything that defines the spectra."""

    sample_rate: int = 8000
    n_fft: int = 256
    hop_length: int = 64
    window: str = "sqrt_hann"
    segment_frames: int = 100


class AudioCache:
    """Decode each file once at the working rate; mixtures reuse noise clips many times."""

    def __init__(self, sample_rate: int) -> None:
        self.sample_rate = sample_rate
        self._cache: dict[str, np.ndarray] = {}

    def get(self, path: str, keep: bool) -> np.ndarray:
        if path in self._cache:
            return self._cache[path]
        audio, _ = load_audio(path, sample_rate=self.sample_rate, mono=True)
        if keep:
            self._cache[path] = audio
        return audio


def noise_scale(snr_db: float) -> float:
    """Gain that takes noise mixed at 0 dB to ``snr_db`` (music to noise, the music unchanged)."""
    return float(10.0 ** (-float(snr_db) / 20.0))


def write_features(
    path: str | os.PathLike,
    plan: pd.DataFrame,
    music_paths: dict[str, str],
    noise_paths: dict[str, str],
    *,
    params: StftParams,
    attrs: dict,
    dtype: str = "float16",
    compression: str | None = "lzf",
    progress: Iterable | None = None,
) -> pd.DataFrame:
    """Mix every planned clip of one split once and store it, atomically.

    Args:
        plan: rows of :func:`danet_music2vec.data.mixing.plan_mixtures` for one split; the rows
            of one music clip (its SNRs) share its noises and offsets.
        music_paths, noise_paths: clip id -> audio file.
        attrs: extra file attributes (variant, split, config_hash, seed, ...).
        dtype: of the stored waveforms, ``float16`` or ``float32``.
        progress: optional wrapper for the clip iterator (e.g. ``tqdm``).

    Returns:
        The plan with the applied noise gains, clip rows, sample counts and segment ranges:
        the mixture manifest.
    """
    if dtype not in WAVEFORM_DTYPES:
        raise ValueError(f"waveform dtype must be one of {', '.join(WAVEFORM_DTYPES)}, got {dtype!r}")
    stft = STFT(params.n_fft, params.hop_length, params.window)
    cache = AudioCache(params.sample_rate)
    compression = None if compression in (None, "none") else compression
    rows = plan.reset_index(drop=True)
    clips = list(dict.fromkeys(rows["music_id"]))
    for music_id, group in rows.groupby("music_id", sort=False):
        if group[["noise_ids", "noise_offsets_s"]].nunique().max() > 1:
            raise MixingError(f"music clip {music_id}: its mixtures are planned with different noises; "
                              "one clip's SNRs must share its noises and offsets")
    max_samples = _max_samples(rows, music_paths, params.sample_rate)
    per_row: dict[int, dict] = {}
    with atomic_path(path) as tmp, h5py.File(tmp, "w") as h5:
        h5.attrs.update({**params.__dict__, "n_bins": stft.n_bins, "layout": LAYOUT, "waveform_dtype": dtype, **attrs})
        waves = {
            name: h5.create_dataset(f"waveforms/{name}", shape=(len(clips), max_samples), dtype=dtype,
                                    chunks=(1, max_samples), compression=compression)
            for name in ("music", "noise")
        }
        iterator = enumerate(clips) if progress is None else progress(enumerate(clips), total=len(clips))
        for clip_index, music_id in iterator:
            group = rows.loc[rows["music_id"] == music_id]
            first = group.iloc[0]
            music = cache.get(music_paths[music_id], keep=False)
            noises = [cache.get(noise_paths[n], keep=True) for n in first["noise_ids"].split(";")]
            offsets = [int(round(float(o) * params.sample_rate)) for o in first["noise_offsets_s"].split(";")]
            at_0db = mix_at_snr(music, noises, offsets, 0.0, name=first["mix_id"])
            waves["music"][clip_index, : music.size] = at_0db.music
            waves["noise"][clip_index, : music.size] = at_0db.noise
            n_segments = -(-stft.n_frames(music.size) // params.segment_frames)
            for index, row in group.iterrows():
                scale = noise_scale(row["snr_db"])
                per_row[index] = {"noise_gains": ";".join(f"{g * scale:.6g}" for g in at_0db.noise_gains),
                                  "clip_index": clip_index, "noise_scale": scale, "n_samples": music.size,
                                  "n_segments": n_segments}
        extra = ("noise_gains", "clip_index", "noise_scale", "n_samples", "n_segments")
        table = rows.assign(**{key: [per_row[i][key] for i in rows.index] for key in extra})
        table["first_segment"] = np.concatenate([[0], np.cumsum(table["n_segments"].to_numpy())[:-1]]).astype(np.int64)
        table = table[[*rows.columns, "noise_gains", "clip_index", "noise_scale", "n_samples", "first_segment",
                       "n_segments"]]
        counts = table["n_segments"].to_numpy()
        h5.create_dataset("segments/mix_index", data=np.repeat(np.arange(len(table)), counts).astype(np.int32))
        h5.create_dataset("segments/segment_index",
                          data=np.concatenate([np.arange(n) for n in counts]).astype(np.int32) if len(counts) else
                          np.zeros(0, np.int32))
        for column in table.columns:
            values = table[column].to_numpy()
            if values.dtype == object:
                h5.create_dataset(f"mixtures/{column}", data=list(values), dtype=STRING)
            else:
                h5.create_dataset(f"mixtures/{column}", data=values)
    return table


def _max_samples(plan: pd.DataFrame, music_paths: dict[str, str], sample_rate: int) -> int:
    """Longest music clip at the working rate, read from headers only (no decode)."""
    import soundfile as sf

    longest = 1
    for music_id in plan["music_id"].unique():
        info = sf.info(music_paths[music_id])
        longest = max(longest, int(np.ceil(info.frames * sample_rate / info.samplerate)) + 1)
    return longest


class SegmentStore:
    """Read access to a feature file without loading it into memory.

    Use as a context manager. ``len(store)`` is the number of segments; :meth:`read` gives the
    STFT segments of a range of them, :meth:`waveforms` a mixture's whole-clip signals.
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self._h5 = h5py.File(self.path, "r")
        layout = self._h5.attrs.get("layout")
        if layout != LAYOUT:
            found = "no layout attribute" if layout is None else f"layout {layout!r}"
            self._h5.close()
            raise ValueError(f"{self.path}: not a feature file of layout {LAYOUT!r} ({found}); rebuild it "
                             "with the stft_segments rule")
        attrs = self._h5.attrs
        self._stft = STFT(int(attrs["n_fft"]), int(attrs["hop_length"]), str(attrs["window"]))
        self._segment_frames = int(attrs["segment_frames"])
        group = self._h5["mixtures"]
        self._clip = group["clip_index"][:]
        self._scale = group["noise_scale"][:].astype(np.float32)
        self._n_samples = group["n_samples"][:]
        self._first = group["first_segment"][:]
        self._n_segments = group["n_segments"][:]
        self._spectra: OrderedDict[int, tuple[np.ndarray, np.ndarray]] = OrderedDict()

    def __enter__(self) -> "SegmentStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._h5.close()

    def __len__(self) -> int:
        return int(self._n_segments.sum())

    @property
    def attrs(self) -> dict:
        return dict(self._h5.attrs)

    def waveforms(self, mix_index: int) -> dict[str, np.ndarray]:
        """Whole-clip waveforms (nb_samples,) float32 of one mixture: mixture, music and noise."""
        clip, n = int(self._clip[mix_index]), int(self._n_samples[mix_index])
        music = self._h5["waveforms/music"][clip, :n].astype(np.float32)
        noise = self._h5["waveforms/noise"][clip, :n].astype(np.float32) * self._scale[mix_index]
        return {"mixture": music + noise, "music": music, "noise": noise}

    def spectra(self, mix_index: int) -> dict[str, np.ndarray]:
        """STFT segments (n_segments, segment_frames, nb_bins) complex64 of one mixture's sources."""
        music, noise = self._parts(mix_index)
        # The STFT is linear: the mixture's spectrum is exactly the sum of its parts'.
        return {"music": music, "noise": noise, "mixture": music + noise}

    def _parts(self, mix_index: int) -> tuple[np.ndarray, np.ndarray]:
        """Music and noise STFT segments of one mixture, from a small cache of recent clips."""
        if mix_index in self._spectra:
            self._spectra.move_to_end(mix_index)
            return self._spectra[mix_index]
        waves = self.waveforms(mix_index)
        with torch.no_grad():
            specs = self._stft(torch.from_numpy(np.stack([waves["music"], waves["noise"]]))).numpy()
        parts = to_segments(specs[0], self._segment_frames), to_segments(specs[1], self._segment_frames)
        self._spectra[mix_index] = parts
        if len(self._spectra) > _CACHED_CLIPS:
            self._spectra.popitem(last=False)
        return parts

    def read(self, start: int, stop: int, sources: Iterable[str] = SOURCES) -> dict[str, np.ndarray]:
        """Segments ``start:stop`` of each source, (stop - start, segment_frames, nb_bins) complex64."""
        sources = tuple(sources)
        unknown = [s for s in sources if s not in SOURCES]
        if unknown:
            raise ValueError(f"unknown sources {unknown}; allowed: {', '.join(SOURCES)}")
        start, stop = max(0, start), min(stop, len(self))
        shape = (max(stop - start, 0), self._segment_frames, int(self._h5.attrs["n_bins"]))
        out = {name: np.empty(shape, np.complex64) for name in sources}
        mix_index = int(np.searchsorted(self._first, start, side="right")) - 1
        while mix_index < len(self._first) and stop > self._first[mix_index]:
            begin = self._first[mix_index]
            lo, hi = max(start, begin), min(stop, begin + self._n_segments[mix_index])
            if hi > lo:
                music, noise = self._parts(mix_index)
                music, noise = music[lo - begin: hi - begin], noise[lo - begin: hi - begin]
                if "music" in out:
                    out["music"][lo - start: hi - start] = music
                if "noise" in out:
                    out["noise"][lo - start: hi - start] = noise
                if "mixture" in out:  # summed in place: no temporary block
                    np.add(music, noise, out=out["mixture"][lo - start: hi - start])
            mix_index += 1
        return out

    def blocks(self, block_segments: int, rng: np.random.Generator | None = None) -> Iterator[tuple[int, int]]:
        """(start, stop) ranges covering the file, in shuffled order when ``rng`` is given.

        Shuffling the order of ranges (and then the segments inside a block in memory) gives
        random batches with bounded memory.
        """
        starts = np.arange(0, len(self), block_segments)
        if rng is not None:
            starts = rng.permutation(starts)
        for start in starts:
            yield int(start), int(min(start + block_segments, len(self)))

    def mixtures(self) -> pd.DataFrame:
        """The mixture manifest stored in the file."""
        group = self._h5["mixtures"]
        return pd.DataFrame({
            key: group[key].asstr()[:] if group[key].dtype.kind in "OS" else group[key][:]
            for key in group.keys()
        })
