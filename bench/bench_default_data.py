"""Wall time of the default config's workflow from a clean folder, per rule.

Copies the workflow into a fresh folder, runs `snakemake --cores N <target>` there and
sums Snakemake's per-rule benchmark files:

    .venv/bin/python bench/bench_default_data.py --cores 2 --target features
    .venv/bin/python bench/bench_default_data.py --cores 2 --target results/report.html --keep /tmp/default-run
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from workflow_helpers import copy_workflow, snakemake  # noqa: E402


def rule_of(job: str) -> str:
    """Rule name of a benchmark file path such as data/synth_music_blues or features/noise1_train."""
    stage, name = job.split("/", 1) if "/" in job else ("", job)
    prefixes = {"features": "stft_segments", "separation": "separate", "danet": "train_danet"}
    if stage in prefixes:
        return prefixes[stage]
    if stage == "music2vec" and name.startswith("train"):
        return "train_music2vec"
    for rule in ("synth_music", "bss", "classification_metrics", "classify_audio", "classify", "soundnet_features",
                 "separated_features"):
        if name.startswith(rule):
            return {"bss": "bss_metrics"}.get(rule, rule)
    return name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--configfile", default=None, help="extra config merged over config/config.yaml")
    parser.add_argument("--target", default="features", help="Snakemake target (default: features)")
    parser.add_argument("--keep", type=Path, default=None, help="run in this new folder and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = copy_workflow(args.keep if args.keep else Path(tmp))
        extra = ["--configfile", str(Path(args.configfile).resolve())] if args.configfile else []
        start = time.perf_counter()
        result = snakemake(workdir, args.target, "--cores", str(args.cores), *extra, timeout=7200)
        wall = time.perf_counter() - start
        if result.returncode != 0:
            sys.exit(result.stderr[-3000:])
        rows = []
        for tsv in sorted((workdir / "benchmarks").rglob("*.tsv")):
            table = pd.read_csv(tsv, sep="\t")
            rows.append({"job": str(tsv.relative_to(workdir / "benchmarks")).removesuffix(".tsv"),
                         "seconds": float(table["s"].iloc[0]), "max_rss_mb": float(table["max_rss"].iloc[0])})
        jobs = pd.DataFrame(rows)
        jobs["rule"] = [rule_of(job) for job in jobs["job"]]
        sizes = {p.name: sum(f.stat().st_size for f in (workdir / p).rglob("*") if f.is_file()) / 2**20
                 for p in (Path("resources/gtzan_synthetic"), Path("resources/esc50_synthetic"), Path("results/features"))}
    print(f"cores {args.cores}, {os.cpu_count()} CPUs; wall time of `snakemake {args.target}`: {wall:.1f} s")
    print(jobs.groupby("rule")["seconds"].agg(["count", "sum", "max"]).round(1).to_string())
    print("sizes (MiB):", {k: round(v, 1) for k, v in sizes.items()})


if __name__ == "__main__":
    main()
