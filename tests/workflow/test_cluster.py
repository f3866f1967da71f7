"""Cluster execution: profiles, conda env files, GPU requests, and the whole DAG on a real SLURM."""

from __future__ import annotations

import itertools
import re
import time

import pytest
import yaml
from workflow_helpers import REPO, copy_workflow, metric_tables, snakemake, snakemake_bounded

pytestmark = pytest.mark.workflow

RULE_FILES = sorted((REPO / "rules").glob("*.smk"))
# Only what a test on a cluster without accounting database needs on top of the profile.
SLURM_TEST_OVERRIDES = (
    "--slurm-status-command", "squeue",
    "--slurm-init-seconds-before-status-checks", "5",
    "--slurm-no-account",
    "--slurm-keep-successful-logs",
)


def rule_blocks() -> dict[str, str]:
    """Rule name -> its text, dedented, for every rule in rules/*.smk (those defined under an
    ``if`` on the config too)."""
    blocks = {}
    for path in RULE_FILES:
        for block in re.split(r"(?m)^(?= *rule \w+:)", path.read_text())[1:]:
            indent = len(block) - len(block.lstrip(" "))
            lines = [line[indent:] if line.startswith(" " * indent) else line for line in block.splitlines()]
            # the block ends where its indentation does (an else: or the file's next statement)
            body = [lines[0]] + list(itertools.takewhile(lambda line: not line or line.startswith(" "), lines[1:]))
            blocks[re.match(r"rule (\w+):", lines[0]).group(1)] = "\n".join(body) + "\n"
    return blocks


def test_every_rule_that_runs_code_names_a_conda_env_file_that_exists_and_is_pinned():
    blocks = rule_blocks()
    running = {name: block for name, block in blocks.items() if re.search(r"(?m)^    (script|shell|run):", block)}
    assert len(running) >= 20
    for name, block in running.items():
        match = re.search(r'(?m)^    conda:\n        "([^"]+)"', block)
        assert match, f"rule {name} names no conda env"
        env_file = (REPO / "rules" / match.group(1)).resolve()
        assert env_file.is_file(), f"rule {name}: {env_file} does not exist"
        env = yaml.safe_load(env_file.read_text())
        assert env["channels"][0] == "conda-forge", env_file
        conda_packages = [dep for dep in env["dependencies"] if isinstance(dep, str)]
        assert "python=3.11" in conda_packages, env_file
        assert all(dep == "pip" or re.fullmatch(r"[\w.-]+=[\w.]+", dep) for dep in conda_packages), env_file
        pip = next(dep["pip"] for dep in env["dependencies"] if isinstance(dep, dict))
        # The package itself carries pyproject's pinned dependencies; anything else is pinned here.
        assert "-e .." in pip and all(dep == "-e .." or "==" in dep for dep in pip), env_file


def test_profiles_hold_only_cluster_and_run_settings_not_rule_resources():
    local = yaml.safe_load((REPO / "profiles/default/config.yaml").read_text())
    slurm = yaml.safe_load((REPO / "profiles/slurm/config.yaml").read_text())
    assert slurm["executor"] == "slurm" and "executor" not in local
    for profile in (local, slurm):
        assert not {"set-resources", "set-threads", "resources", "default-resources"} & set(profile)
        assert profile["rerun-triggers"] == ["mtime", "params", "input", "software-env", "code"]
        assert profile["rerun-incomplete"] is True


def gpu_requests(dry_run_stdout: str) -> dict[str, set[str]]:
    """Rule -> the gres values its planned jobs carry ('' for none), from a dry run's job listing."""
    requests: dict[str, set[str]] = {}
    rule = None
    for line in dry_run_stdout.splitlines():
        if match := re.match(r"(?:local)?rule (\w+):", line):
            rule = match.group(1)
        elif rule and line.strip().startswith("resources:"):
            gres = re.search(r"gres=([^,\s]+)", line)
            requests.setdefault(rule, set()).add(gres.group(1) if gres else "")
    return requests


def test_only_the_training_rules_ask_for_a_gpu_and_only_when_the_config_says_so(tmp_path):
    workdir = copy_workflow(tmp_path / "run")
    paper = snakemake(workdir, "-n", "results/report.html", "--configfile", "config/gtzan_esc50.yaml")
    assert paper.returncode == 0, paper.stderr[-3000:]
    requests = gpu_requests(paper.stdout)
    assert requests["train_danet"] == {"gpu:1"} and requests["train_music2vec"] == {"gpu:1"}
    cpu_rules = set(requests) - {"train_danet", "train_music2vec"}
    assert {"separate", "stft_segments", "bss_metrics", "classify", "report"} <= cpu_rules
    assert all(requests[rule] == {""} for rule in cpu_rules), requests
    default = snakemake(workdir, "-n", "results/report.html")
    assert all(values == {""} for values in gpu_requests(default.stdout).values())


@pytest.mark.parametrize(
    ("resources", "message"),
    [
        ({"rules": {"separate": {"gres": "gpu:1"}}},
         "config resources.rules.separate.gres: only train_danet, train_music2vec may ask for a GPU"),
        ({"default": {"threads": 1, "mem_mb": 2000, "runtime": 30, "gres": "gpu:1"}},
         "config resources.default.gres: a GPU is asked for per rule, never by default"),
        ({"rules": {"train_danet": {"gres": "two gpus"}}}, "gres"),
    ],
)
def test_a_gpu_asked_for_where_it_does_not_belong_stops_the_run_naming_the_key(tmp_path, resources, message):
    workdir = copy_workflow(tmp_path / "run")
    (workdir / "gpu.yaml").write_text(yaml.safe_dump({"resources": resources}))
    result = snakemake(workdir, "-n", "results/report.html", "--configfile", "gpu.yaml")
    assert result.returncode != 0 and message in result.stdout + result.stderr


# --------------------------------------------------------------------------- a real SLURM


@pytest.mark.slurm
def test_the_test_config_dag_runs_on_slurm_through_the_profile_and_gives_the_local_metric_tables(
    tmp_path, slurm_cluster, request
):
    workdir = copy_workflow(tmp_path / "slurm")
    started = time.monotonic()
    result = snakemake_bounded(
        workdir, "results/report.html", "--workflow-profile", "profiles/slurm",
        "--configfile", "config/test.yaml", *SLURM_TEST_OVERRIDES, timeout=1800,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-5000:]
    print(f"SLURM run of the test config: {time.monotonic() - started:.0f} s")
    # Every job that runs code went through sbatch: one SLURM log per job, filed by rule.
    slurm_logs = workdir / ".snakemake/slurm_logs"
    for rule in ("synth_music", "stft_segments", "train_danet", "separate", "bss_metrics",
                 "train_music2vec", "classify", "classification_metrics", "report"):
        assert list((slurm_logs / f"rule_{rule}").rglob("*.log")), rule
    assert "has been submitted with SLURM jobid" in output
    # The local run only now: in two test processes the other one runs it meanwhile.
    completed_test_run = request.getfixturevalue("completed_test_run")
    slurm_tables, local_tables = metric_tables(workdir), metric_tables(completed_test_run)
    assert len(local_tables) >= 2 * 6 + 2 and slurm_tables == local_tables
    assert (workdir / "results/report.html").stat().st_size > 0
