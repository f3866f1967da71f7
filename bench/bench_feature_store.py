"""The feature store's waveform dtype and compression: file size, segment-read speed, and how
far the stored precision moves the separation metrics.

Run after a default run (it reads that run's mixture plans, manifests and trained danet):

    .venv/bin/python bench/bench_feature_store.py --results /tmp/default-run/results \\
        --variant noise1 --split test --clips 40

Each layout stores the same split from the same plan; the metrics are those of the oracle IRM
and of the run's danet on the first ``--clips`` mixtures at 0 dB, each scored against the
references of its own store (mir_eval-equivalent fast_bss_eval, whole clips), so the
difference is what the stored precision changes end to end.
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from danet_music2vec.data.features import SegmentStore, StftParams, write_features
from danet_music2vec.evaluation.bss import clip_metrics
from danet_music2vec.inference.separation import SeparationSettings, Separator
from danet_music2vec.models.danet import load_danet

LAYOUTS = (("float32", "lzf"), ("float16", "lzf"), ("float16", None))


def read_speed(path: Path, block_segments: int = 512) -> float:
    """Segments per second of reading every block of mixture, music and noise spectra."""
    with SegmentStore(path) as store:
        started = time.perf_counter()
        total = 0
        for start, stop in store.blocks(block_segments):
            block = store.read(start, stop)
            total += block["mixture"].shape[0]
        return total / (time.perf_counter() - started)


def scores(path: Path, model: torch.nn.Module, clips: int, seed: int) -> pd.DataFrame:
    with SegmentStore(path) as store:
        attrs = store.attrs
        stft = {key: attrs[key] for key in ("sample_rate", "n_fft", "hop_length", "window", "segment_frames")}
        table = store.mixtures()
        chosen = table.index[np.isclose(table["snr_db"], 0.0)][:clips]
        separators = {"oracle_irm": Separator("oracle_irm", stft, SeparationSettings(seed=seed)),
                      "danet": Separator("danet", stft, SeparationSettings(seed=seed), model)}
        rows = []
        for i in chosen:
            waves = store.waveforms(int(i))
            for method, separator in separators.items():
                music, noise = separator(waves["mixture"], waves["music"], waves["noise"], clip_seed=int(i))
                metrics = clip_metrics(waves["music"], waves["noise"], music, noise, waves["mixture"], "fast_bss_eval")
                rows.append({"mix_id": table.at[i, "mix_id"], "method": method, **metrics})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, required=True)
    parser.add_argument("--variant", default="noise1")
    parser.add_argument("--split", default="test")
    parser.add_argument("--clips", type=int, default=40)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    results = args.results.resolve()
    plan = pd.read_csv(results / "mixtures" / args.variant / f"plan_{args.split}.csv",
                       dtype={"noise_ids": str, "noise_offsets_s": str})
    run = results.parent  # manifest paths are relative to the run's folder
    paths = {kind: {c: str(run / p) for c, p in zip(t["clip_id"], t["path"])} for kind, t in
             (("music", pd.read_csv(results / "data" / "music_manifest.csv")),
              ("noise", pd.read_csv(results / "data" / "noise_manifest.csv")))}
    model = load_danet(results / "models" / f"danet_{args.variant}.pt")
    rows, per_clip = [], {}
    with tempfile.TemporaryDirectory(prefix="bench-store-") as work:
        for dtype, compression in LAYOUTS:
            name = f"{dtype}/{compression or 'none'}"
            path = Path(work) / f"{dtype}_{compression}.h5"
            started = time.perf_counter()
            mixtures = write_features(path, plan, paths["music"], paths["noise"], params=StftParams(),
                                      attrs={"variant": args.variant, "split": args.split}, dtype=dtype,
                                      compression=compression)
            write_seconds = time.perf_counter() - started
            per_clip[name] = scores(path, model, args.clips, args.seed)
            rows.append({"layout": name, "mixtures": len(mixtures), "MB": path.stat().st_size / 1e6,
                         "write s": write_seconds, "read segments/s": read_speed(path)})
    table = pd.DataFrame(rows)
    reference = per_clip["float32/lzf"]
    for name, frame in per_clip.items():
        for method in ("oracle_irm", "danet"):
            ours = frame[frame["method"] == method]["nsdr"].to_numpy()
            base = reference[reference["method"] == method]["nsdr"].to_numpy()
            table.loc[table["layout"] == name, f"{method} GNSDR dB"] = ours.mean()
            table.loc[table["layout"] == name, f"{method} max |dNSDR| dB"] = np.abs(ours - base).max()
    print(f"{platform.processor() or platform.machine()}, torch {torch.__version__}, {args.threads} thread(s); "
          f"{args.variant}/{args.split}, metrics on {args.clips} clips at 0 dB")
    print(table.round(4).to_string(index=False))
    print(json.dumps({"layouts": [f"{d}/{c or 'none'}" for d, c in LAYOUTS]}))


if __name__ == "__main__":
    main()
