"""BSS Eval backends side by side: seconds per clip and the largest disagreement, on real separations.

Run in the folder of a finished default run (it reads that run's features and separated wavs):

    .venv/bin/python bench/bench_bss_backends.py --results /tmp/default-run/results --clips 20

Scores the same seeded test clips of every method and variant with ``mir_eval`` and with
``fast_bss_eval`` (one thread, one process each, as one worker of the ``bss_metrics`` rule
does) and reports the time per clip and, per metric, the largest absolute difference over
all clips, leaving out scores beyond ``NUMERICAL_CEILING_DB`` (the unprocessed mixture's
SAR), which are counted instead.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from danet_music2vec.evaluation.bss import BACKENDS, NUMERICAL_CEILING_DB, evaluate_clip, plan_tasks

METRICS = ("sdr", "sir", "sar", "nsdr", "oracle_sdr", "oracle_sir", "oracle_sar", "noise_sdr", "noise_sir", "noise_sar", "sdr_mixture")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", type=Path, required=True, help="results/ of a finished run")
    parser.add_argument("--clips", type=int, default=20, help="test clips per variant and method")
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()

    seconds = {backend: 0.0 for backend in BACKENDS}
    rows = []
    for separated in sorted((args.results / "separation").glob("*/*")):
        variant, method = separated.parent.name, separated.name
        features = args.results / "features" / variant / "test.h5"
        for backend in BACKENDS:
            tasks = plan_tasks(features, separated, max_clips=args.clips, seed=args.seed, backend=backend)
            start = time.perf_counter()
            scores = [evaluate_clip(task) for task in tasks]
            seconds[backend] += time.perf_counter() - start
            rows += [{"variant": variant, "method": method, "backend": backend, **row} for row in scores]
    table = pd.DataFrame(rows)
    fast = table[table["backend"] == "fast_bss_eval"].set_index(["variant", "method", "mix_id"])
    exact = table[table["backend"] == "mir_eval"].set_index(["variant", "method", "mix_id"]).loc[fast.index]
    n_clips = len(fast)
    print(f"{n_clips} clips ({args.clips} per variant and method), one thread")
    for backend in BACKENDS:
        print(f"{backend}: {seconds[backend]:.1f} s, {seconds[backend] / n_clips:.3f} s per clip")
    print(f"speed-up: {seconds['mir_eval'] / seconds['fast_bss_eval']:.1f}x")
    print("metric | largest |fast - mir_eval| (dB) | clips beyond the ceiling (both backends)")
    for metric in METRICS:
        beyond = exact[metric] > NUMERICAL_CEILING_DB
        both_beyond = int((beyond & (fast[metric] > NUMERICAL_CEILING_DB)).sum())
        worst = np.abs(fast.loc[~beyond, metric] - exact.loc[~beyond, metric]).max()
        print(f"{metric} | {worst:.1e} | {both_beyond} of {int(beyond.sum())}")
    print(f"swapped labels differ on {int((fast['swapped'] != exact['swapped']).sum())} clips")


if __name__ == "__main__":
    main()
