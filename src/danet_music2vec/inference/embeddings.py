"""Cached SoundNet conv7 frames of items, in one HDF5 file per set of clips (frozen mode): the
classifier heads train on and classify these without running SoundNet again."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
from tqdm import tqdm

from ..data.items import AudioReader, check_audio_exists
from ..fileio import atomic_path
from ..models.music2vec import LAYER, clip_frames
from ..models.soundnet import CHANNELS, SAMPLE_RATE, SoundNet8, soundnet_fingerprint

CACHE_FORMAT = "music2vec-features-1"
_STRING = h5py.string_dtype("utf-8")


def file_digest(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_feature_cache(items: pd.DataFrame, out: str | os.PathLike, soundnet: SoundNet8, *,
                        progress: bool = True) -> pd.DataFrame:
    """SoundNet conv7 frames (last frame dropped) of every item, in one HDF5 file (atomic).

    Layout: ``frames`` (total frames, 1024) float32; ``items/<column>`` per ITEM_COLUMNS plus
    ``first_frame`` and ``n_frames``; attributes ``format``, ``layer``,
    ``soundnet_fingerprint``, ``content_hash`` (of the items and frames) and
    ``seconds_per_clip`` (mean SoundNet time).

    Returns:
        The items with ``first_frame``, ``n_frames`` and ``seconds`` (feature time per item).
    """
    check_audio_exists(items)
    items = items.reset_index(drop=True)
    digest = hashlib.sha256()
    firsts, counts, seconds = [], [], []
    total = 0
    dim = CHANNELS[LAYER]
    with atomic_path(out) as tmp, h5py.File(tmp, "w") as h5, AudioReader() as reader:
        frames_ds = h5.create_dataset("frames", shape=(0, dim), maxshape=(None, dim), dtype=np.float32,
                                      chunks=(64, dim), compression="lzf")
        rows = tqdm(items.iterrows(), total=len(items), desc="SoundNet features", mininterval=10,
                    ascii=True, disable=not progress)
        for _, item in rows:
            audio = reader.read(item)
            started = time.perf_counter()
            frames = clip_frames(soundnet, audio)
            seconds.append(time.perf_counter() - started)
            frames_ds.resize(total + frames.shape[0], axis=0)
            frames_ds[total:] = frames
            digest.update(frames.tobytes())
            firsts.append(total)
            counts.append(frames.shape[0])
            total += frames.shape[0]
        table = items.assign(first_frame=firsts, n_frames=counts)
        digest.update(table.to_csv(index=False).encode())
        for column in table.columns:
            values = table[column]
            if values.dtype == object or pd.api.types.is_string_dtype(values):
                h5.create_dataset(f"items/{column}", data=values.astype(str).tolist(), dtype=_STRING)
            else:
                h5.create_dataset(f"items/{column}", data=values.to_numpy())
        h5.attrs.update({"format": CACHE_FORMAT, "layer": LAYER, "last_frame_dropped": True,
                         "sample_rate": SAMPLE_RATE, "soundnet_fingerprint": soundnet_fingerprint(soundnet),
                         "content_hash": digest.hexdigest()[:16],
                         "seconds_per_clip": float(np.mean(seconds)) if seconds else 0.0})
    return table.assign(seconds=seconds)


def read_feature_cache(path: str | os.PathLike) -> tuple[pd.DataFrame, list[np.ndarray], dict]:
    """Items, their frames (one (n_frames, 1024) array each) and the attributes of a cache."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: SoundNet feature file not found")
    with h5py.File(path, "r") as h5:
        attrs = dict(h5.attrs)
        if attrs.get("format") != CACHE_FORMAT:
            raise ValueError(f"{path}: not a music2vec feature file ({CACHE_FORMAT})")
        group = h5["items"]
        table = pd.DataFrame({key: group[key].asstr()[:] if group[key].dtype.kind in "OS" else group[key][:]
                              for key in group.keys()})
        frames = h5["frames"][:]
    table["store_path"] = table["store_path"].fillna("") if "store_path" in table else ""
    arrays = [frames[f: f + n] for f, n in zip(table["first_frame"], table["n_frames"])]
    return table, arrays, attrs
