"""What each DANet training change gives: retrain without it, score blind on the same test clips.

Run in the folder of a finished default run (it reads that run's features and our model):

    .venv/bin/python bench/bench_danet_ablation.py --results /tmp/default-run/results --clips 20

Trains, with the run's own settings, seed and feature files, the earlier recipes (per-segment
attractors with a constant learning rate, then with the cosine schedule) two at a time, one
thread each, as the workflow does; the current recipe is the run's own model. Every model
then separates the same seeded 0 dB test clips blind, with k-means and with fixed
attractors, scored by the workflow's BSS Eval code beside the oracle IRM.
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import torch

from danet_music2vec.data.features import SegmentStore
from danet_music2vec.evaluation.bss import clip_metrics, select_clips
from danet_music2vec.inference.separation import SeparationSettings, Separator
from danet_music2vec.models.danet import load_danet
from danet_music2vec.seeding import clip_seed
from danet_music2vec.training.danet import TrainSettings, train_danet

STFT_KEYS = ("sample_rate", "n_fft", "hop_length", "window", "segment_frames")


def recipes(current: TrainSettings) -> dict[str, TrainSettings | None]:
    """Name -> settings to train; None marks the run's own model."""
    earlier = replace(current, shared_attractor_weight=0.0)
    return {
        "per-segment attractors, constant lr 0.003, batch 16": replace(
            earlier, lr_schedule="constant", learning_rate=0.003, batch_size=16),
        "per-segment attractors, cosine lr 0.002, batch 8": replace(
            earlier, lr_schedule="cosine", learning_rate=0.002, batch_size=8),
        "batch attractors, cosine lr 0.002, batch 8 (the run's model)": None,
    }


def train_one(args: tuple[str, dict, str, str, str]) -> str:
    name, settings, train_file, valid_file, out = args
    out_dir = Path(out)
    train_danet(train_file, valid_file, TrainSettings.from_dict(settings), model_out=out_dir / "model.pt",
                history_out=out_dir / "history.csv", checkpoint=out_dir / "checkpoint.pt", threads=1)
    return name


def score(models: dict[str, Path], features: Path, clips: int, seed: int) -> dict[str, list[float]]:
    """Blind NSDR per clip, per model and attractor mode, and of the oracle IRM."""
    with SegmentStore(features) as store:
        stft = {key: store.attrs[key] for key in STFT_KEYS}
        table = store.mixtures()
        at_0db = table.loc[table["snr_db"] == 0, "mix_id"]
        chosen = select_clips(at_0db, clips, seed)
        separators = {"oracle IRM": Separator("oracle_irm", stft, SeparationSettings())}
        for name, path in models.items():
            model = load_danet(path)
            for mode in ("kmeans", "fixed"):
                separators[f"{name} [{mode}]"] = Separator("danet", stft, SeparationSettings(attractors=mode), model)
        nsdr: dict[str, list[float]] = {name: [] for name in separators}
        for mix_id in chosen:
            waves = store.waveforms(int(np.flatnonzero(table["mix_id"] == mix_id)[0]))
            for name, separator in separators.items():
                music, noise = separator(waves["mixture"], waves["music"], waves["noise"], clip_seed(seed, mix_id))
                nsdr[name].append(clip_metrics(waves["music"], waves["noise"], music, noise, waves["mixture"])["nsdr"])
    return nsdr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=Path("results"))
    parser.add_argument("--variant", default="noise1")
    parser.add_argument("--clips", type=int, default=20)
    args = parser.parse_args()
    torch.set_num_threads(1)
    features = args.results / "features" / args.variant
    run_model = args.results / "models" / f"danet_{args.variant}.pt"
    current = TrainSettings.from_dict(torch.load(run_model, map_location="cpu", weights_only=True)["settings"])
    models: dict[str, Path] = {}
    with tempfile.TemporaryDirectory(prefix="danet-ablation-") as scratch:
        jobs = []
        for i, (name, settings) in enumerate(recipes(current).items()):
            if settings is None:
                models[name] = run_model
                continue
            out = Path(scratch) / f"recipe{i}"
            out.mkdir()
            models[name] = out / "model.pt"
            jobs.append((name, asdict(settings), str(features / "train.h5"), str(features / "valid.h5"), str(out)))
        with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
            for name in pool.map(train_one, jobs):
                print(f"trained: {name}", flush=True)
        nsdr = score(models, features / "test.h5", args.clips, current.seed)
    irm = float(np.mean(nsdr["oracle IRM"]))
    print(f"\n{args.variant}, {args.clips} test clips at 0 dB, blind GNSDR (dB) and share of the oracle IRM's")
    print(f"| {'recipe [inference attractors]':70s} | GNSDR | % of IRM |")
    for name, values in nsdr.items():
        print(f"| {name:70s} | {np.mean(values):5.2f} | {100 * np.mean(values) / irm:7.0f}% |")


if __name__ == "__main__":
    main()
