"""Separate the test mixtures into music and noise, by one method, on whole clips.

Every method (:mod:`danet_music2vec.methods`) goes through the same function, so one metric
table compares them. The classifier's accuracy on ``clean_8khz`` (the references) is the
ceiling of any separation at the working rate, and its distance to clean music at full band
is what the band limit alone costs.

Outputs per mixture: the music estimate at the working rate (8 kHz, 16-bit FLAC) in a
separation folder (:mod:`danet_music2vec.inference.outputs`), for the metrics and the classifier.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from ..data.features import SegmentStore
from ..fileio import atomic_path
from ..methods import DANET_MODELS, MIXTURE, REFERENCE_METHOD, SEPARATION_METHODS
from ..models.danet import DANet
from ..seeding import clip_seed
from ..transforms import ISTFT, STFT
from .danet_masks import separate_masks
from .outputs import INDEX_COLUMNS, blind_snr_db, write_music_estimate


@dataclass(frozen=True)
class SeparationSettings:
    """Inference options; ``attractors`` and ``threshold_db`` apply to the DANet methods."""

    attractors: str = "kmeans"
    threshold_db: float = 40.0
    kmeans_max_points: int = 50_000
    window_overlap: float = 0.5
    noisereduce_stationary: bool = False
    noisereduce_prop_decrease: float = 1.0
    seed: int = 0


class Separator:
    """One method, ready to separate clips given as whole waveforms at the working rate."""

    def __init__(self, method: str, stft_params: dict, settings: SeparationSettings,
                 model: DANet | None = None) -> None:
        if method not in SEPARATION_METHODS:
            raise ValueError(f"unknown separation method {method!r}; allowed: {', '.join(SEPARATION_METHODS)}")
        if (method in DANET_MODELS) != (model is not None):
            raise ValueError(f"method {method!r} {'needs' if method in DANET_MODELS else 'takes no'} model")
        self.method, self.settings, self.model = method, settings, model
        self.sample_rate = int(stft_params["sample_rate"])
        self.segment_frames = int(stft_params["segment_frames"])
        args = (int(stft_params["n_fft"]), int(stft_params["hop_length"]), str(stft_params["window"]))
        self.stft, self.istft = STFT(*args), ISTFT(*args)

    def __call__(self, mixture: np.ndarray, music: np.ndarray, noise: np.ndarray,
                 clip_seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """(music estimate, noise estimate), each (nb_samples,) float32.

        ``music`` and ``noise`` (the references) are read by the oracle methods only.
        """
        if self.method == "mixture":
            return mixture.copy(), mixture.copy()
        if self.method == REFERENCE_METHOD:
            return music.astype(np.float32), noise.astype(np.float32)
        if self.method == "noisereduce":
            import noisereduce

            estimate = noisereduce.reduce_noise(
                y=mixture, sr=self.sample_rate, stationary=self.settings.noisereduce_stationary,
                prop_decrease=self.settings.noisereduce_prop_decrease,
            ).astype(np.float32)
            return estimate, (mixture - estimate).astype(np.float32)
        mix_spec = self.stft(torch.from_numpy(mixture))
        if self.method in ("oracle_ibm", "oracle_irm"):
            music_mag = self.stft(torch.from_numpy(music)).abs()
            noise_mag = self.stft(torch.from_numpy(noise)).abs()
            if self.method == "oracle_ibm":
                music_mask = (music_mag >= noise_mag).to(music_mag.dtype)
            else:
                music_mask = music_mag / (music_mag + noise_mag).clamp_min(1e-12)
            masks = torch.stack([music_mask, 1.0 - music_mask], dim=-1)
        else:
            masks = separate_masks(
                self.model, mix_spec.abs(), window=self.segment_frames, attractors=self.settings.attractors,
                threshold_db=self.settings.threshold_db, max_points=self.settings.kmeans_max_points,
                seed=clip_seed, overlap=self.settings.window_overlap,
            )
        estimates = self.istft(masks.permute(2, 0, 1) * mix_spec, length=mixture.shape[0])
        return estimates[0].numpy().astype(np.float32), estimates[1].numpy().astype(np.float32)






def separate_features(
    features: str | os.PathLike, out_dir: str | os.PathLike, separator: Separator, *, threads: int = 1
) -> pd.DataFrame:
    """Separate every mixture of a feature file into ``out_dir`` (written whole, then renamed).

    Returns:
        The index written to ``out_dir/index.csv``
        (:data:`~danet_music2vec.inference.outputs.INDEX_COLUMNS`; paths relative to it).
    """
    from tqdm import tqdm

    torch.set_num_threads(threads)
    out_dir = Path(out_dir)
    noise_kind = "mixture" if separator.method == MIXTURE else "residual"
    rows = []
    with SegmentStore(features) as store, atomic_path(out_dir) as tmp:
        tmp.mkdir(parents=True)
        table = store.mixtures()
        rate = int(store.attrs["sample_rate"])
        for index, row in tqdm(table.iterrows(), total=len(table), desc=separator.method,
                               mininterval=10, ascii=True):
            waves = store.waveforms(index)
            started = time.perf_counter()
            music, noise = separator(waves["mixture"], waves["music"], waves["noise"],
                                     clip_seed=clip_seed(separator.settings.seed, row["mix_id"]))
            seconds = time.perf_counter() - started
            name = f"{row['mix_id']}_music.flac"
            gain = write_music_estimate(tmp / name, music, rate)
            rows.append({"mix_id": row["mix_id"], "music_id": row["music_id"], "snr_db": row["snr_db"],
                         "music_path": name, "music_gain": gain, "mix_weight": 0.0, "noise_estimate": noise_kind,
                         "blind_snr_db": blind_snr_db(music, noise), "audio_seconds": len(music) / rate,
                         "seconds": round(seconds, 4)})
        index_table = pd.DataFrame(rows, columns=list(INDEX_COLUMNS))
        index_table.to_csv(tmp / "index.csv", index=False, float_format="%.10g")
    return index_table
