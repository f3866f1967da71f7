"""The workflow tier: tests that run Snakemake for real (lint, dry runs, whole runs, faults,
SLURM). Every test here carries the ``workflow`` marker, so ``pytest -m "not workflow"`` and
``pytest tests/unit`` leave them out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from filelock import FileLock
from workflow_helpers import session_folder

from danet_music2vec.fetch.debian import DOWNLOADS_ENV  # DANET_MUSIC2VEC_DOWNLOADS

HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark every test of this folder ``workflow`` (the files say so too; this catches a new one)."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents and item.get_closest_marker("workflow") is None:
            item.add_marker(pytest.mark.workflow)


@pytest.fixture(scope="session", autouse=True)
def shared_downloads(tmp_path_factory) -> Path:
    """One download folder for every Snakemake run of the session, set before any run starts.

    Each run builds the noise world from its pinned Debian packages; with the folder in the
    environment (which Snakemake and its jobs inherit) each .deb is fetched with apt-get once per
    session and copied, verified, into every later run. A folder the caller set already (a cache
    kept across sessions) is used as it is.
    """
    if os.environ.get(DOWNLOADS_ENV, "").strip():
        folder = Path(os.environ[DOWNLOADS_ENV])
        folder.mkdir(parents=True, exist_ok=True)
        yield folder
        return
    folder = session_folder(tmp_path_factory) / "downloads"  # every test process's (writes are atomic)
    folder.mkdir(exist_ok=True)
    os.environ[DOWNLOADS_ENV] = str(folder)
    try:
        yield folder
    finally:
        os.environ.pop(DOWNLOADS_ENV, None)


@pytest.fixture(scope="session")
def completed_test_run(tmp_path_factory) -> Path:
    """The test config run locally to ``results/report.html``, once per session, shared by every
    test process (the first to ask runs it; the others wait for it).

    Tests that only read it or dry-run against it use it as it is; tests that change
    files work on a copy (:func:`workflow_helpers.copy_run`).
    """
    from workflow_helpers import copy_workflow, snakemake

    root = session_folder(tmp_path_factory) / "completed"
    workdir, failed = root / "run", root / "failed.txt"
    root.mkdir(exist_ok=True)
    with FileLock(root.parent / "completed.lock"):
        if failed.exists():  # another process ran it and it failed: the same failure, not a second run
            pytest.fail(failed.read_text())
        if not (root / "done").exists():
            copy_workflow(workdir)
            # Beside the SLURM run in the other test process it took 625 s of the default 900 s.
            result = snakemake(workdir, "results/report.html", "--cores", "2", "--configfile", "config/test.yaml",
                               timeout=1800)
            if result.returncode != 0:
                failed.write_text(f"the test-config run in {workdir} failed:\n{result.stderr[-5000:]}")
                pytest.fail(failed.read_text())
            (root / "done").touch()
    return workdir


@pytest.fixture(scope="session")
def slurm_cluster():
    """Debian's SLURM on 127.0.0.1 (installed with apt-get when missing: needs root), up until
    the session ends; its config is removed when it stops (see :meth:`SingleNodeSlurm.stop`)."""
    from slurm_cluster import SingleNodeSlurm
    from system_packages import install_slurm

    install_slurm()
    cluster = SingleNodeSlurm()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()
