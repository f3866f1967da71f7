"""The workflow tier: tests that run Snakemake for real (lint, dry runs, whole runs, faults,
SLURM). Every test here carries the ``workflow`` marker, so ``pytest -m "not workflow"`` and
``pytest tests/unit`` leave them out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
    folder = tmp_path_factory.mktemp("downloads")
    os.environ[DOWNLOADS_ENV] = str(folder)
    try:
        yield folder
    finally:
        os.environ.pop(DOWNLOADS_ENV, None)


@pytest.fixture(scope="session")
def completed_test_run(tmp_path_factory) -> Path:
    """The test config run locally to ``results/report.html``, once per session.

    Tests that only read it or dry-run against it use it as it is; tests that change
    files work on a copy (:func:`workflow_helpers.copy_run`).
    """
    from workflow_helpers import copy_workflow, snakemake

    workdir = copy_workflow(tmp_path_factory.mktemp("completed") / "run")
    result = snakemake(workdir, "results/report.html", "--cores", "2", "--configfile", "config/test.yaml")
    assert result.returncode == 0, result.stderr[-5000:]
    return workdir


@pytest.fixture(scope="session")
def slurm_cluster():
    """Debian's SLURM on 127.0.0.1 (installed with apt-get when missing: needs root), up until
    the session ends.

    Not only for the SLURM test's own sake: once SLURM's client is installed, every Snakemake
    start imports the SLURM executor plugin, which runs ``scontrol show config``; with no
    controller answering, that waits about 9 s (the message timeout) each time. Left running,
    the cluster answers at once, so the tests after the SLURM run do not pay that wait.
    """
    from slurm_cluster import SingleNodeSlurm, install

    install()
    cluster = SingleNodeSlurm()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()
