"""The training rules on a CUDA GPU beside the CPU: same results, resume, speed.

Run on a machine with a GPU, from a finished run's folder (the test config's is enough):

    PYTHONPATH=src python bench/bench_gpu.py --run <run folder> --out <folder> [--epochs 3]

It reads the run's noise1 DANet feature files and model settings, its clean SoundNet feature
file and music2vec settings, and its clean clips and SoundNet weights (``--soundnet``, default
the run's ``resources/models/soundnet8.pt``), and writes ``gpu_checks.json`` and
``gpu_speed.csv`` to ``--out``:

* DANet on CUDA: two runs with one seed give the same weights; a run stopped after its first
  epoch and resumed gives the weights of the uninterrupted run; the model file holds CPU
  tensors and loads and separates on the CPU.
* DANet training speed (segments per second, second epoch) on CUDA and on the CPU's cores,
  for the run's model, the default model (2 x 128, batch 8) and the paper's (4 x 300, batch
  30), on the run's
  training segments repeated ``--tile`` times.
* music2vec (the default config's head) on CUDA: a frozen-mode ensemble of two heads and a
  fine-tuned head train, resume, save CPU tensors, and match the CPU's run within the
  rounding of another device; seconds per training beside the CPU's.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from danet_music2vec.data.features import SegmentStore
from danet_music2vec.data.items import clean_items
from danet_music2vec.inference.separation import SeparationSettings, Separator
from danet_music2vec.models.danet import load_danet
from danet_music2vec.training.danet import TrainSettings, train_danet
from danet_music2vec.training.music2vec import (
    Music2VecSettings, audio_training_data, frozen_training_data, train_music2vec,
)

ACCEL = "cuda"  # --device: "cpu" runs every step on the CPU, to try the script without a GPU
ROLES = {"accel": ACCEL, "cpu": "cpu"}
# model size and batch size of config/config.yaml and of config/gtzan_esc50.yaml
MODELS = {"default (2 x 128, batch 8)": ({"layers": 2, "units": 128}, 8),
          "paper (4 x 300, batch 30)": ({"layers": 4, "units": 300}, 30)}
DEFAULT_HEAD = {"lstm_units": 200, "lstm_layers": 2, "dense_units": [400, 100]}
STFT_KEYS = ("sample_rate", "n_fft", "hop_length", "window", "segment_frames")


def max_difference(first: dict, second: dict) -> float:
    """Largest absolute difference between the tensors of two state dicts (nested dicts/lists too)."""
    worst = 0.0
    for key, value in first.items():
        other = second[key]
        if isinstance(value, torch.Tensor):
            worst = max(worst, float((value.double() - other.double()).abs().max()) if value.numel() else 0.0)
        elif isinstance(value, dict):
            worst = max(worst, max_difference(value, other))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            worst = max(worst, max(max_difference(a, b) for a, b in zip(value, other, strict=True)))
    return worst


def on_cpu(state: dict) -> bool:
    """Every tensor of a saved state (nested) lives on the CPU."""
    for value in state.values():
        if isinstance(value, torch.Tensor) and value.device.type != "cpu":
            return False
        if isinstance(value, dict) and not on_cpu(value):
            return False
        if isinstance(value, list) and any(isinstance(v, dict) and not on_cpu(v) for v in value):
            return False
    return True


def tiled_copy(source: Path, target: Path, times: int) -> Path:
    """A feature file whose segments are ``source``'s repeated ``times`` times (same shapes and
    mixtures): enough batches to time an epoch when the run's files are small."""
    import shutil

    import h5py

    shutil.copyfile(source, target)
    with h5py.File(target, "r+") as h5:
        for name in h5["segments"]:
            data = h5[f"segments/{name}"][:]
            del h5[f"segments/{name}"]
            h5.create_dataset(f"segments/{name}", data=np.concatenate([data] * times))
    return target


def load(path: Path) -> dict:
    return torch.load(path, map_location=None, weights_only=True)


def danet_checks(run: Path, out: Path, epochs: int, threads: int, tile: int) -> tuple[dict, list[dict]]:
    train_file, valid_file = (run / f"results/features/noise1/{split}.h5" for split in ("train", "valid"))
    base = load(run / "results/models/danet_noise1.pt")["settings"]
    settings = TrainSettings.from_dict({**base, "max_epochs": epochs, "patience": epochs + 1})

    def train(folder: str, device: str, train_settings: TrainSettings = settings, **kwargs) -> tuple[Path, float]:
        target = out / folder
        started = time.perf_counter()
        train_danet(train_file, valid_file, train_settings, model_out=target / "model.pt",
                    history_out=target / "history.csv", checkpoint=target / "checkpoint.pt", threads=threads,
                    device=device, **kwargs)
        return target / "model.pt", time.perf_counter() - started

    first, _ = train("danet_cuda_a", ACCEL)
    second, _ = train("danet_cuda_b", ACCEL)
    train("danet_cuda_resumed", ACCEL, stop_after_epoch=1)
    resumed, _ = train("danet_cuda_resumed", ACCEL)
    on_cpu_run, _ = train("danet_cpu", "cpu")
    checks = {
        "danet_cuda_repeat_max_weight_difference": max_difference(load(first), load(second)),
        "danet_cuda_resume_max_weight_difference": max_difference(load(first), load(resumed)),
        "danet_cuda_vs_cpu_max_weight_difference": max_difference(load(first), load(on_cpu_run)),
        "danet_model_file_on_cpu": on_cpu(load(first)),
        "danet_valid_loss_cuda": pd.read_csv(first.with_name("history.csv"))["valid_loss"].tolist(),
        "danet_valid_loss_cpu": pd.read_csv(on_cpu_run.with_name("history.csv"))["valid_loss"].tolist(),
    }
    # The CUDA-trained model separates on the CPU (the separation rule runs there).
    model = load_danet(first)
    with SegmentStore(run / "results/features/noise1/test.h5") as store:
        stft = {key: store.attrs[key] for key in STFT_KEYS}
        waves = store.waveforms(0)
    separator = Separator("danet", stft, SeparationSettings(), model=model)
    music, noise = separator(waves["mixture"], waves["music"], waves["noise"], clip_seed=0)
    checks["danet_cpu_separation_finite"] = bool(np.isfinite(music).all() and np.isfinite(noise).all())

    speed = []
    train_file = tiled_copy(train_file, out / "train_tiled.h5", tile)
    with SegmentStore(train_file) as store:
        segments = len(store)
    for name, (model_settings, batch_size) in {"run's model": ({}, settings.batch_size), **MODELS}.items():
        sized = replace(settings, max_epochs=2, patience=3, batch_size=batch_size)
        sized = TrainSettings.from_dict({**asdict(sized), "model": {**asdict(sized.model), **model_settings}})
        for device in (ACCEL, "cpu"):
            folder = f"speed_{device}_{len(speed)}"
            train(folder, device, sized)
            seconds = pd.read_csv(out / folder / "history.csv")["seconds"].to_numpy()
            # the first epoch pays for CUDA's start-up; the second is the steady speed
            speed.append({"model": name, "layers": sized.model.layers, "units": sized.model.units,
                          "batch_size": batch_size, "device": device,
                          "threads": threads, "train_segments": segments, "epoch_seconds": float(seconds[-1]),
                          "segments_per_second": segments / float(seconds[-1])})
    return checks, speed


def music2vec_checks(run: Path, soundnet: Path, out: Path, threads: int) -> tuple[dict, list[dict]]:
    state = load(run / "results/models/music2vec_clean.pt")
    # the default config's head (the test config's is a toy), two heads
    settings = Music2VecSettings.from_dict({**state["settings"], **DEFAULT_HEAD, "ensemble": 2})
    class_names = list(state["class_names"])
    data = frozen_training_data([run / "results/music2vec/clean_features.h5"])

    def train(folder: str, device: str, train_settings: Music2VecSettings, train_data, **kwargs) -> float:
        target = out / folder
        started = time.perf_counter()
        train_music2vec(train_data, train_settings, class_names, model_out=target / "model.pt",
                        history_out=target / "history.csv", checkpoint=target / "checkpoint.pt",
                        soundnet_weights=soundnet if train_settings.mode == "finetune" else None,
                        threads=threads, device=device, **kwargs)
        return time.perf_counter() - started

    times = {role: train(f"m2v_{role}", device, settings, data) for role, device in ROLES.items()}
    train("m2v_accel_resumed", ACCEL, settings, data, stop_after_epoch=2)
    train("m2v_accel_resumed", ACCEL, settings, data)
    cuda, cpu, resumed = (load(out / f"m2v_{name}/model.pt") for name in ("accel", "cpu", "accel_resumed"))
    checks = {
        "music2vec_frozen_resume_max_weight_difference": max_difference({"heads": cuda["heads"]},
                                                                        {"heads": resumed["heads"]}),
        "music2vec_frozen_model_file_on_cpu": on_cpu(cuda),
        "music2vec_frozen_epochs_cuda_cpu": [len(cuda["history"]["epoch"]), len(cpu["history"]["epoch"])],
        "music2vec_frozen_best_valid_loss_cuda_cpu": [
            float(pd.DataFrame(m["history"]).query("best")["valid_loss"].min()) for m in (cuda, cpu)],
    }
    speed = [{"model": "music2vec frozen, 2 heads", "device": ROLES[role], "threads": threads, "seconds": seconds}
             for role, seconds in times.items()]
    # finetune: SoundNet conv1-conv7 train too, on the audio of the clean clips
    items = clean_items(run / "results/data/music_manifest.csv", run / "results/data/music_splits.csv",
                        splits=("train", "valid"))
    items["audio_path"] = [str(run / p) if not os.path.isabs(p) else p for p in items["audio_path"]]
    finetune = replace(settings, mode="finetune", ensemble=1, max_epochs=2, patience=3)
    audio = audio_training_data(items)
    for role, device in ROLES.items():
        seconds = train(f"m2v_finetune_{role}", device, finetune, audio)
        speed.append({"model": "music2vec finetune, 1 head", "device": device, "threads": threads, "seconds": seconds})
    tuned = {role: load(out / f"m2v_finetune_{role}/model.pt") for role in ROLES}
    checks["music2vec_finetune_model_file_on_cpu"] = on_cpu(tuned["accel"])
    checks["music2vec_finetune_cuda_vs_cpu_max_trunk_difference"] = max_difference(tuned["accel"]["trunk"],
                                                                                   tuned["cpu"]["trunk"])
    checks["music2vec_finetune_valid_loss_cuda_cpu"] = [pd.DataFrame(m["history"])["valid_loss"].tolist()
                                                       for m in tuned.values()]
    return checks, speed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, required=True, help="folder of a finished run")
    parser.add_argument("--soundnet", type=Path, help="SoundNet weights (default: the run's)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--tile", type=int, default=20, help="repeat the training segments this often for the speed part")
    parser.add_argument("--device", default="cuda", help="the accelerator; cpu tries the script without one")
    args = parser.parse_args()
    global ACCEL
    ACCEL = ROLES["accel"] = args.device
    if ACCEL == "cuda" and not torch.cuda.is_available():
        raise SystemExit("no CUDA device visible: this benchmark compares CUDA with the CPU")
    args.out.mkdir(parents=True, exist_ok=True)
    soundnet = args.soundnet or args.run / "resources/models/soundnet8.pt"
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        checks, speed = danet_checks(args.run, work, args.epochs, args.threads, args.tile)
        more_checks, more_speed = music2vec_checks(args.run, soundnet, work, args.threads)
    checks.update(more_checks, device=torch.cuda.get_device_name(0) if ACCEL == "cuda" else ACCEL,
                  torch=torch.__version__,
                  cpu_threads=args.threads)
    (args.out / "gpu_checks.json").write_text(json.dumps(checks, indent=2))
    pd.DataFrame(speed + more_speed).to_csv(args.out / "gpu_speed.csv", index=False)
    print(json.dumps(checks, indent=2))
    print(pd.DataFrame(speed + more_speed).to_string(index=False))


if __name__ == "__main__":
    main()
