"""DANet training throughput, before and after a change, side by side: segments per CPU-second.

Each implementation (this checkout, and the package at git revision ``--before``, checked out
into a temporary worktree) builds its own feature files of one variant from a finished run's
mixture plans and manifests, then trains the default recipe (both DANet setups) for
``--epochs`` epochs in a subprocess of its own, ``--threads`` torch threads each. The two are
run in turn, ``--repeats`` times, so a busy machine slows both alike:

    .venv/bin/python bench/bench_training.py --results /tmp/default-run/results --before d1368a2 \\
        --threads 1 2 --epochs 2 --repeats 2

Reported per implementation, setup and thread count: training segments per CPU-second (the
process's user + system time, all threads), per wall-second, and the validation loss of every
epoch (the same seed, data and settings, so the losses should agree within float rounding's
reach: the issue's criterion is 1 %).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
import pandas as pd, torch
from danet_music2vec.data.features import StftParams, write_features
from danet_music2vec.training.danet import TrainSettings, train_danet

results, variant, work, epochs, threads, setup = sys.argv[1:7]
epochs, threads = int(epochs), int(threads)
work = __import__("pathlib").Path(work)
files = {}
music = pd.read_csv(f"{results}/data/music_manifest.csv")
noise = pd.read_csv(f"{results}/data/noise_manifest.csv")
root = __import__("pathlib").Path(results).resolve().parent
paths = lambda table: {c: str(root / p) if not p.startswith("/") else p for c, p in zip(table["clip_id"], table["path"])}
for split in ("train", "valid"):
    out = work / f"{variant}_{split}.h5"
    if not out.exists():
        plan = pd.read_csv(f"{results}/mixtures/{variant}/plan_{split}.csv", dtype={"noise_ids": str, "noise_offsets_s": str})
        write_features(out, plan, paths(music), paths(noise), params=StftParams(),
                       attrs={"variant": variant, "split": split, "config_hash": "bench", "n_noises": 1, "seed": 0})
    files[split] = str(out)
setups = {"danet": {"target": "magnitude", "kmeans_epochs": 0, "shared_attractor_weight": 1.0},
          "danet_original": {"target": "log_magnitude", "kmeans_epochs": 1, "shared_attractor_weight": 0.0}}
settings = TrainSettings.from_dict({
    "model": {"layers": 2, "units": 128, "embedding_dim": 20, "dropout": 0.0}, "batch_size": 8,
    "learning_rate": 0.002, "lr_schedule": "cosine", "max_epochs": epochs, "patience": epochs, "grad_clip": 5.0,
    "block_segments": 512, "dynamic_mixing": True, "remix_gain_db": 5.0, "threshold_db": 40.0, "seed": 2021,
    **setups[setup]})
from danet_music2vec.data.features import SegmentStore
with SegmentStore(files["train"]) as store:
    n_segments = len(store)
run = work / f"{setup}_{threads}_{time.time_ns()}"  # a fresh checkpoint: nothing to resume
before, started = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
history = train_danet(files["train"], files["valid"], settings, model_out=run.with_suffix(".pt"),
                      history_out=run.with_suffix(".csv"), checkpoint=run.with_suffix(".ckpt"), threads=threads)
after, wall = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter() - started
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
print("RESULT " + json.dumps({"segments": n_segments * epochs, "cpu": cpu, "wall": wall,
                              "valid_loss": history["valid_loss"].tolist()}))
"""


def run_child(src: Path, results: Path, variant: str, work: Path, epochs: int, threads: int, setup: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, "-c", CHILD, str(results), variant, str(work), str(epochs), str(threads),
                          setup], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{src}: training failed:\n{out.stderr[-3000:]}")
    line = next(line for line in out.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, required=True, help="results/ of a finished default run")
    parser.add_argument("--before", required=True, help="git revision of the code to compare with")
    parser.add_argument("--variant", default="noise1")
    parser.add_argument("--setups", nargs="+", default=["danet", "danet_original"])
    parser.add_argument("--threads", type=int, nargs="+", default=[1])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    results = args.results.resolve()
    with tempfile.TemporaryDirectory(prefix="bench-training-") as tmp:
        tmp = Path(tmp)
        worktree = tmp / "before"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(worktree), args.before],
                       check=True, capture_output=True)
        try:
            sources = {"before": worktree / "src", "after": REPO / "src"}
            rows = []
            for repeat in range(args.repeats):
                for threads in args.threads:
                    for setup in args.setups:
                        for name, src in sources.items():
                            work = tmp / name
                            work.mkdir(exist_ok=True)
                            result = run_child(src, results, args.variant, work, args.epochs, threads, setup)
                            rows.append({"code": name, "setup": setup, "threads": threads, **result})
                            print(f"{name:6s} {setup:15s} {threads} thread(s): "
                                  f"{result['segments'] / result['cpu']:6.1f} segments/CPU-s, "
                                  f"{result['segments'] / result['wall']:6.1f} segments/s, valid loss "
                                  + ", ".join(f"{v:.5f}" for v in result["valid_loss"]), flush=True)
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(worktree)], check=False)
    print(f"\nmachine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs; "
          f"{args.epochs} epochs of {args.variant}, mean over {args.repeats} repeat(s)")
    print(f"{'setup':15s} {'threads':>7s} {'before seg/CPU-s':>17s} {'after seg/CPU-s':>16s} {'ratio':>6s} "
          f"{'max valid-loss diff':>20s}")
    for setup in args.setups:
        for threads in args.threads:
            pick = {name: [r for r in rows if r["code"] == name and r["setup"] == setup and r["threads"] == threads]
                    for name in ("before", "after")}
            rate = {name: sum(r["segments"] for r in part) / sum(r["cpu"] for r in part) for name, part in pick.items()}
            diff = max(abs(a - b) / b for a, b in zip(pick["after"][0]["valid_loss"], pick["before"][0]["valid_loss"]))
            print(f"{setup:15s} {threads:7d} {rate['before']:17.1f} {rate['after']:16.1f} "
                  f"{rate['after'] / rate['before']:6.2f} {100 * diff:19.2f}%")


if __name__ == "__main__":
    main()
