"""Separation speed (real-time factor) of each method, and DANet training throughput, on CPU.

Run after the default workflow has trained the models (`snakemake --cores 2 separation`):

    .venv/bin/python bench/bench_separation.py --clips 20 --threads 1

Every method separates the same test clips in one run; the real-time factor is seconds
of audio per second of processing (higher is faster).
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

import numpy as np
import torch

from danet_music2vec.data.features import SegmentStore
from danet_music2vec.inference.separation import SeparationSettings, Separator
from danet_music2vec.models.attractors import (
    active_bins, attractors_from_mask, ideal_binary_mask, masks_from_attractors,
)
from danet_music2vec.models.danet import load_danet
from danet_music2vec.training.losses import separation_loss


def separation_speed(features: Path, models: Path, variant: str, clips: int) -> list[tuple[str, float, float]]:
    with SegmentStore(features) as store:
        attrs = store.attrs
        stft = {key: attrs[key] for key in ("sample_rate", "n_fft", "hop_length", "window", "segment_frames")}
        waves = [store.waveforms(i) for i in range(min(clips, len(store.mixtures())))]
    audio_seconds = sum(len(w["mixture"]) for w in waves) / int(stft["sample_rate"])
    methods = {
        "oracle_irm": Separator("oracle_irm", stft, SeparationSettings()),
        "noisereduce (non-stationary)": Separator("noisereduce", stft, SeparationSettings()),
        "noisereduce (stationary)": Separator("noisereduce", stft, SeparationSettings(noisereduce_stationary=True)),
    }
    model = load_danet(models / f"danet_{variant}.pt")
    for attractors in ("kmeans", "fixed"):
        methods[f"danet ({attractors} attractors)"] = Separator("danet", stft, SeparationSettings(attractors=attractors), model)
    rows = []
    for name, separator in methods.items():
        started = time.perf_counter()
        for i, w in enumerate(waves):
            separator(w["mixture"], w["music"], w["noise"], clip_seed=i)
        seconds = time.perf_counter() - started
        rows.append((name, seconds, audio_seconds / seconds))
    return rows


def training_throughput(features: Path, models: Path, variant: str, batches: int, batch_size: int) -> float:
    """Segments per second of forward + backward + Adam step, the trained architecture."""
    model = load_danet(models / f"danet_{variant}.pt")
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    with SegmentStore(features) as store:
        block = store.read(0, batches * batch_size)
    started = time.perf_counter()
    for b in range(batches):
        part = slice(b * batch_size, (b + 1) * batch_size)
        mix = torch.from_numpy(np.abs(block["mixture"][part]))
        sources = torch.from_numpy(np.stack([np.abs(block["music"][part]), np.abs(block["noise"][part])], -1))
        embeddings = model(mix)
        attractors = attractors_from_mask(embeddings, ideal_binary_mask(sources), active_bins(mix, 40.0))
        loss = separation_loss(masks_from_attractors(embeddings, attractors), mix, sources, "magnitude")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return batches * batch_size / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=Path("results"))
    parser.add_argument("--variant", default="noise1")
    parser.add_argument("--clips", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    features = args.results / "features" / args.variant
    models = args.results / "models"
    print(f"machine: {platform.machine()}, {args.threads} torch thread(s); variant {args.variant}")
    print(f"{'method':34s} {'seconds':>8s} {'real-time factor':>17s}")
    for name, seconds, rtf in separation_speed(features / "test.h5", models, args.variant, args.clips):
        print(f"{name:34s} {seconds:8.2f} {rtf:16.1f}x")
    rate = training_throughput(features / "train.h5", models, args.variant, batches=10, batch_size=32)
    print(f"DANet training throughput: {rate:.1f} segments/s (batch 32)")


if __name__ == "__main__":
    main()
