"""STFT + HDF5 precompute throughput: this pipeline against a naive per-file librosa loop.

The naive loop is what the original study did: for every mixture, load music and noise
with librosa at 8 kHz, add them, take three librosa STFTs, cut segments, collect them in
Python lists and save one array at the end.

Run after the data stage of the default config (`make demo` or
`snakemake --cores 2 results/mixtures/noise1/plan_train.csv`):

    .venv/bin/python bench/bench_features.py --mixtures 60
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import time
from pathlib import Path

import librosa
import numpy as np
import pandas as pd
import torch

from danet_music2vec.data.features import StftParams, write_features
from danet_music2vec.data.mixing import loop_to_length


def naive_loop(plan: pd.DataFrame, music: dict, noise: dict, params: StftParams, out: Path) -> int:
    window = np.sqrt(np.hanning(params.n_fft + 1)[:-1])
    segments = {"mixture": [], "music": [], "noise": []}
    for row in plan.itertuples():
        clean, _ = librosa.load(music[row.music_id], sr=params.sample_rate)
        total = np.zeros_like(clean)
        for noise_id, offset in zip(row.noise_ids.split(";"), row.noise_offsets_s.split(";")):
            clip, _ = librosa.load(noise[noise_id], sr=params.sample_rate)
            total += loop_to_length(clip, clean.size, int(float(offset) * params.sample_rate))
        total *= np.sqrt(np.mean(clean**2) / np.mean(total**2) / 10 ** (row.snr_db / 10))
        for name, signal in (("mixture", clean + total), ("music", clean), ("noise", total)):
            spec = librosa.stft(signal, n_fft=params.n_fft, hop_length=params.hop_length, window=window).T
            for start in range(0, spec.shape[0] - params.segment_frames + 1, params.segment_frames):
                segments[name].append(spec[start:start + params.segment_frames])
    np.savez(out, **{k: np.stack(v) for k, v in segments.items()})
    return len(segments["music"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", default="results", help="results folder of a finished data stage")
    parser.add_argument("--variant", default="noise1")
    parser.add_argument("--mixtures", type=int, default=60, help="training mixtures to process")
    args = parser.parse_args()
    results = Path(args.results)
    plan = pd.read_csv(results / f"mixtures/{args.variant}/plan_train.csv", dtype=str)
    plan["snr_db"] = plan["snr_db"].astype(float)
    plan = plan.loc[plan["split"] == "train"].head(args.mixtures)
    music = dict(pd.read_csv(results / "data/music_manifest.csv")[["clip_id", "path"]].values)
    noise = dict(pd.read_csv(results / "data/noise_manifest.csv")[["clip_id", "path"]].values)
    params = StftParams()
    torch.set_num_threads(1)
    print(f"machine: {platform.processor() or platform.machine()}, {torch.get_num_threads()} torch thread; "
          f"{len(plan)} mixtures of variant {args.variant}")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        table = write_features(Path(tmp) / "ours.h5", plan, music, noise, params=params, attrs={})
        ours = time.perf_counter() - start
        n_ours = int(table["n_segments"].sum())
        start = time.perf_counter()
        n_naive = naive_loop(plan, music, noise, params, Path(tmp) / "naive.npz")
        naive = time.perf_counter() - start
    print(f"{'method':<40} {'segments':>9} {'seconds':>8} {'segments/s':>11}")
    print(f"{'pipeline (soxr, torch STFT, HDF5 lzf)':<40} {n_ours:>9} {ours:>8.2f} {n_ours / ours:>11.1f}")
    print(f"{'naive librosa loop (npz, original)':<40} {n_naive:>9} {naive:>8.2f} {n_naive / naive:>11.1f}")


if __name__ == "__main__":
    main()
