"""Wall time of the test-config DAG run locally and through profiles/slurm, side by side in one run.

Starts the single-node SLURM of the tests (root: installs Debian's slurmctld, slurmd and
munge with apt-get when missing), runs `results/report.html` on config/test.yaml in two fresh
folders, first locally with `--cores N`, then with `--workflow-profile profiles/slurm`,
and prints both wall times beside the summed job times from Snakemake's benchmark files:

    .venv/bin/python bench/bench_slurm.py --cores 2
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from slurm_cluster import SingleNodeSlurm, install  # noqa: E402
from test_cluster import SLURM_TEST_OVERRIDES  # noqa: E402
from workflow_helpers import copy_workflow, metric_tables, snakemake_bounded  # noqa: E402


def job_seconds(workdir: Path) -> tuple[int, float]:
    """Number of jobs with a benchmark file and the sum of their wall seconds."""
    seconds = [float(pd.read_csv(tsv, sep="\t")["s"].iloc[0]) for tsv in (workdir / "benchmarks").rglob("*.tsv")]
    return len(seconds), sum(seconds)


def timed(workdir: Path, *args: str) -> float:
    start = time.perf_counter()
    result = snakemake_bounded(workdir, "results/report.html", "--configfile", "config/test.yaml", *args, timeout=3600)
    if result.returncode != 0:
        sys.exit(result.stderr[-3000:])
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", type=int, default=2)
    args = parser.parse_args()
    install()
    cluster = SingleNodeSlurm()
    cluster.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            local = copy_workflow(Path(tmp) / "local")
            slurm = copy_workflow(Path(tmp) / "slurm")
            walls = {
                "local": timed(local, "--cores", str(args.cores)),
                "slurm": timed(slurm, "--workflow-profile", "profiles/slurm", *SLURM_TEST_OVERRIDES),
            }
            same = metric_tables(local) == metric_tables(slurm)
            print("| run | wall s | jobs | summed job s |\n|---|---:|---:|---:|")
            for name, workdir in (("local", local), ("slurm", slurm)):
                jobs, seconds = job_seconds(workdir)
                print(f"| {name} | {walls[name]:.0f} | {jobs} | {seconds:.0f} |")
            print(f"metric tables identical: {same}")
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
