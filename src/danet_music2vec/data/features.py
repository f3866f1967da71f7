"""STFT segments of mixtures, music and noise in HDF5, and a reader for training.

Layout of one file (one mixture variant, one split)::

    attrs        sample_rate, n_fft, hop_length, window, n_bins, segment_frames,
                 config_hash, variant, split, n_noises, seed
    segments/    mixture, music, noise   (nb_segments, segment_frames, nb_bins) complex64
                 mix_index, segment_index (nb_segments,) int32
    mixtures/    mix_id, music_id, noise_ids, noise_offsets_s (str), snr_db, noise_gains (str),
                 n_samples, first_segment, n_segments   (nb_mixtures,)
    waveforms/   mixture, music, noise   (nb_mixtures, max_samples) float32, zero after n_samples

Segments are chunked along the first axis, so a training batch is one slice and a
file larger than memory is read piece by piece. Whole-clip waveforms are kept for
the classifier and the BSS metrics, which work on complete clips.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import torch

from ..audio import load_audio
from ..fileio import atomic_path
from .mixing import mix_at_snr
from ..transforms import STFT, to_segments

SOURCES = ("mixture", "music", "noise")
STRING = h5py.string_dtype("utf-8")


@dataclass(frozen=True)
class StftParams:
    """Everything that defines the stored spectra."""

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


def write_features(
    path: str | os.PathLike,
    plan: pd.DataFrame,
    music_paths: dict[str, str],
    noise_paths: dict[str, str],
    *,
    params: StftParams,
    attrs: dict,
    compression: str | None = "lzf",
    chunk_segments: int = 16,
    progress: Iterable | None = None,
) -> pd.DataFrame:
    """Mix, transform and store every planned mixture of one split, atomically.

    Args:
        plan: rows of :func:`danet_music2vec.mixing.plan_mixtures` for one split.
        music_paths, noise_paths: clip id -> audio file.
        attrs: extra file attributes (variant, split, config_hash, seed, ...).
        progress: optional wrapper for the row iterator (e.g. ``tqdm``).

    Returns:
        The plan with the applied noise gains, sample counts and segment ranges: the
        mixture manifest.
    """
    stft = STFT(params.n_fft, params.hop_length, params.window)
    cache = AudioCache(params.sample_rate)
    compression = None if compression in (None, "none") else compression
    rows = plan.reset_index(drop=True)
    max_samples = _max_samples(rows, music_paths, params.sample_rate)
    manifest = []
    with atomic_path(path) as tmp, h5py.File(tmp, "w") as h5:
        h5.attrs.update({**params.__dict__, "n_bins": stft.n_bins, **attrs})
        segments = {
            name: h5.create_dataset(
                f"segments/{name}", shape=(0, params.segment_frames, stft.n_bins),
                maxshape=(None, params.segment_frames, stft.n_bins), dtype=np.complex64,
                chunks=(chunk_segments, params.segment_frames, stft.n_bins), compression=compression,
            )
            for name in SOURCES
        }
        index = {
            name: h5.create_dataset(f"segments/{name}", shape=(0,), maxshape=(None,), dtype=np.int32, chunks=(4096,))
            for name in ("mix_index", "segment_index")
        }
        waves = {
            name: h5.create_dataset(
                f"waveforms/{name}", shape=(len(rows), max_samples), dtype=np.float32,
                chunks=(1, max_samples), compression=compression,
            )
            for name in SOURCES
        }
        iterator = rows.iterrows() if progress is None else progress(rows.iterrows(), total=len(rows))
        n_written = 0
        for mix_index, row in iterator:
            noise_ids = row["noise_ids"].split(";")
            music = cache.get(music_paths[row["music_id"]], keep=False)
            noises = [cache.get(noise_paths[n], keep=True) for n in noise_ids]
            offsets = [int(round(float(o) * params.sample_rate)) for o in row["noise_offsets_s"].split(";")]
            mixed = mix_at_snr(music, noises, offsets, row["snr_db"], name=row["mix_id"])
            with torch.no_grad():
                specs = stft(torch.from_numpy(np.stack([mixed.music, mixed.noise]))).numpy()
            # The STFT is linear: the mixture's spectrum is exactly the sum of its parts'.
            spectra = {"music": specs[0], "noise": specs[1], "mixture": specs[0] + specs[1]}
            cut = {name: to_segments(spec.astype(np.complex64), params.segment_frames) for name, spec in spectra.items()}
            n_segments = cut["music"].shape[0]
            for name in SOURCES:
                segments[name].resize(n_written + n_segments, axis=0)
                segments[name][n_written:] = cut[name]
                waves[name][mix_index, : music.size] = getattr(mixed, name)
            for name, values in (("mix_index", mix_index), ("segment_index", np.arange(n_segments))):
                index[name].resize(n_written + n_segments, axis=0)
                index[name][n_written:] = values
            manifest.append({
                **row.to_dict(),
                "noise_gains": ";".join(f"{g:.6g}" for g in mixed.noise_gains),
                "n_samples": music.size,
                "first_segment": n_written,
                "n_segments": n_segments,
            })
            n_written += n_segments
        table = pd.DataFrame(manifest, columns=[*rows.columns, "noise_gains", "n_samples", "first_segment", "n_segments"])
        for column in table.columns:
            values = table[column].to_numpy()
            dtype = STRING if values.dtype == object else values.dtype
            h5.create_dataset(f"mixtures/{column}", data=values.astype(dtype) if dtype != STRING else list(values), dtype=dtype)
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

    Use as a context manager. ``len(store)`` is the number of segments.
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self._h5 = h5py.File(self.path, "r")
        for name in SOURCES:
            if f"segments/{name}" not in self._h5:
                raise ValueError(f"{self.path}: not a feature file (no segments/{name})")

    def __enter__(self) -> "SegmentStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._h5.close()

    def __len__(self) -> int:
        return self._h5["segments/music"].shape[0]

    @property
    def attrs(self) -> dict:
        return dict(self._h5.attrs)

    def read(self, start: int, stop: int, sources: Iterable[str] = SOURCES) -> dict[str, np.ndarray]:
        """Segments ``start:stop`` of each source, (stop - start, segment_frames, nb_bins) complex64."""
        return {name: self._h5[f"segments/{name}"][start:stop] for name in sources}

    def blocks(self, block_segments: int, rng: np.random.Generator | None = None) -> Iterator[tuple[int, int]]:
        """(start, stop) ranges covering the file, in shuffled order when ``rng`` is given.

        Each range is one contiguous read; shuffling the order of ranges (and then the
        segments inside a block in memory) gives random batches with bounded memory.
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

    def waveforms(self, mix_index: int) -> dict[str, np.ndarray]:
        """Whole-clip waveforms (nb_samples,) float32 of one mixture."""
        n_samples = int(self._h5["mixtures/n_samples"][mix_index])
        return {name: self._h5[f"waveforms/{name}"][mix_index, :n_samples] for name in SOURCES}
