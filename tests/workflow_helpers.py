"""Run the real Snakemake workflow from a copy of the repository's workflow files."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOW_FILES = ("Snakefile", "rules", "workflow", "config", "envs", "profiles")


def session_folder(tmp_path_factory) -> Path:
    """A folder every test process of this pytest session shares.

    Under pytest-xdist each worker has its own base temp inside one folder of the session;
    without workers the base temp is the session's own.
    """
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def copy_workflow(dest: Path) -> Path:
    """A runnable copy of the workflow (results/ and resources/ start empty)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in WORKFLOW_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / name)
    return dest


def snakemake(workdir: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    """``snakemake ARGS`` in ``workdir`` with this interpreter; output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "snakemake", *args],
        cwd=workdir, capture_output=True, text=True, timeout=timeout,
    )


def planned_jobs(result: subprocess.CompletedProcess) -> dict[str, int]:
    """Rule -> job count from the 'Job stats' table of a dry run."""
    jobs: dict[str, int] = {}
    lines = result.stdout.splitlines()
    if "Job stats:" not in lines:
        return jobs
    for line in lines[lines.index("Job stats:") + 3:]:
        parts = line.split()
        if len(parts) != 2 or parts[0] == "total":
            break
        jobs[parts[0]] = int(parts[1])
    return jobs


def write_config(workdir: Path, name: str, content: dict) -> str:
    """An extra config file in ``workdir/config``; its path relative to ``workdir``, for --configfile."""
    path = workdir / "config" / name
    path.write_text(yaml.safe_dump(content))
    return str(path.relative_to(workdir))


def finetune_override(**training) -> dict:
    """A config override for finetune mode: one head per classifier (an ensemble needs frozen mode)
    and config/config.yaml's classifiers but those trained on the denoised condition (its cached
    SoundNet features need frozen mode): a list replaces the default's, it is not merged."""
    default = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    classifiers = [c for c in default["music2vec"]["classifiers"] if "denoised" not in c["training_conditions"]]
    return {"music2vec": {"mode": "finetune", "training": {"ensemble": 1, **training}, "classifiers": classifiers}}


def copy_run(source: Path, dest: Path) -> Path:
    """A copy of a workflow folder with its outputs, timestamps and Snakemake metadata."""
    shutil.copytree(source, dest, symlinks=True)
    return dest


def digest(path: Path) -> str:
    """sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_digests(root: Path, folders: tuple[str, ...] = ("results", "resources")) -> dict[str, str]:
    """Relative path -> sha256 of every file under ``folders`` of ``root``."""
    digests = {}
    for folder in folders:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                digests[str(path.relative_to(root))] = digest(path)
    return digests


def metric_tables(root: Path) -> dict[str, str]:
    """The metric tables of a run (every CSV under results/metrics), as text."""
    return {
        str(path.relative_to(root)): path.read_text()
        for path in sorted((root / "results/metrics").rglob("*.csv"))
    }


def snakemake_bounded(workdir: Path, *args: str, timeout: float) -> subprocess.CompletedProcess:
    """``snakemake ARGS`` killed with its whole process group after ``timeout`` seconds, then unlocked.

    Snakemake ignores SIGTERM while jobs run, so a hung run is stopped with SIGKILL; the
    result then has return code -9 and the output seen so far.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "snakemake", *args], cwd=workdir, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        snakemake(workdir, "--unlock", timeout=120)
        stderr += f"\n[killed after {timeout} s and unlocked]"
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
