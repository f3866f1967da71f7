"""Separation speed (real-time factor) of each method, and DANet training throughput, on CPU.

Run after the default workflow has trained the models (`snakemake --cores 2 separation`):

    .venv/bin/python bench/bench_separation.py --clips 40 --threads 1 --rounds 3

Every method separates the same test clips in one run, with the separation settings of
``--config`` (the workflow's), in interleaved rounds; the real-time factor is seconds of audio
per second of processing (higher is faster), from the median round.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

import numpy as np
import torch
import yaml

from danet_music2vec.data.features import SegmentStore
from danet_music2vec.inference.separation import SeparationSettings, Separator
from danet_music2vec.inference.settings import settings_from_config
from danet_music2vec.models.attractors import (
    active_bins, attractors_from_mask, ideal_binary_mask, masks_from_attractors,
)
from danet_music2vec.models.danet import load_danet
from danet_music2vec.training.losses import separation_loss


def config_settings(config_file: Path, **changes) -> SeparationSettings:
    """The separation settings the workflow gives danet (``settings_from_config``), with changes."""
    config = yaml.safe_load(config_file.read_text())
    return SeparationSettings(**{**settings_from_config(config, "danet"), **changes})


def separation_speed(features: Path, models: Path, variant: str, clips: int, config_file: Path,
                     rounds: int) -> list[tuple[str, float, float]]:
    """(method, median seconds over rounds, real-time factor) on the same clips.

    Every round runs every method once, in turn, so a load that comes and goes on a shared
    machine falls on all of them alike; the median of the rounds is reported.
    """
    with SegmentStore(features) as store:
        attrs = store.attrs
        stft = {key: attrs[key] for key in ("sample_rate", "n_fft", "hop_length", "window", "segment_frames")}
        count = len(store.mixtures())
        # spread over the file, so every test SNR is in the sample
        waves = [store.waveforms(int(i)) for i in np.linspace(0, count - 1, min(clips, count)).round()]
    audio_seconds = sum(len(w["mixture"]) for w in waves) / int(stft["sample_rate"])
    model = load_danet(models / f"danet_{variant}.pt")
    methods = {
        "oracle_irm": Separator("oracle_irm", stft, config_settings(config_file)),
        "noisereduce (non-stationary, the baseline)": Separator("noisereduce", stft, config_settings(config_file)),
        "noisereduce (stationary)": Separator(
            "noisereduce", stft, config_settings(config_file, noisereduce_stationary=True)),
        "danet, k-means attractors (default)": Separator("danet", stft, config_settings(config_file), model),
        "danet, k-means over 50000 points": Separator(
            "danet", stft, config_settings(config_file, kmeans_max_points=50_000), model),
        "danet, fixed attractors": Separator("danet", stft, config_settings(config_file, attractors="fixed"), model),
    }
    times: dict[str, list[float]] = {name: [] for name in methods}
    for _ in range(rounds):
        for name, separator in methods.items():
            started = time.perf_counter()
            for i, w in enumerate(waves):
                separator(w["mixture"], w["music"], w["noise"], clip_seed=i)
            times[name].append(time.perf_counter() - started)
    return [(name, float(np.median(t)), audio_seconds / float(np.median(t))) for name, t in times.items()]


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
    parser.add_argument("--config", type=Path, default=Path("config/config.yaml"),
                        help="the workflow config whose separation settings are measured")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    features = args.results / "features" / args.variant
    models = args.results / "models"
    print(f"machine: {platform.machine()}, {args.threads} torch thread(s); variant {args.variant}")
    print(f"{'method':44s} {'seconds':>8s} {'real-time factor':>17s}")
    for name, seconds, rtf in separation_speed(features / "test.h5", models, args.variant, args.clips,
                                               args.config, args.rounds):
        print(f"{name:44s} {seconds:8.2f} {rtf:16.1f}x")
    rate = training_throughput(features / "train.h5", models, args.variant, batches=10, batch_size=32)
    print(f"DANet training throughput: {rate:.1f} segments/s (batch 32)")


if __name__ == "__main__":
    main()
