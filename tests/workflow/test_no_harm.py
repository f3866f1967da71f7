"""The no-harm stage in the declared DAG: nothing of the test split enters a fit.

A dry run of the report lists every job with its input and output files; following each input
to the job that makes it gives every file a job descends from. The jobs that fit the no-harm
weights (and make the denoised classifier condition's training data) must descend from no
test-split file; the fusion job reads the test predictions it fuses, and only to fuse them. In
finetune mode too, where the fits classify the calibration outputs' audio instead of cached
features.
"""

from __future__ import annotations

import ast
import re
import pytest
from workflow_helpers import REPO, copy_workflow, finetune_override, snakemake, write_config

pytestmark = pytest.mark.workflow

# Files of the test split (or made from it): the test mixtures, every separation of them, every
# predictions table and metric.
TEST_SPLIT = re.compile(r"^results/(features/[^/]+/test\.h5|mixtures/[^/]+/(plan_)?test\.csv|separation/|"
                        r"music2vec/separated/|classification/|metrics/)")
# rules/no_harm.smk's jobs that fit weights on, or build training data from, the calibration side.
FITTING_RULES = ("separate_calibration", "separate_denoiser_train", "calibration_features", "fit_no_harm",
                 "denoised_features")
# What the fusion is applied to (read after its fit): the test predictions and the base's test separation.
FUSION_APPLIED_TO = ("mixture", "denoised", "separated")
# What the fusion is fitted on: the calibration grid's cached SoundNet features (frozen mode), or
# the calibration separation with its mixtures and the manifest, to classify the grid's audio
# (finetune mode); each mode's inputs of the other are empty.
FUSION_FITTED_ON = {"frozen": ("cache", "calibration"),
                    "finetune": ("calibration", "calibration_features", "manifest")}


def dry_run_jobs(result) -> list[dict]:
    """Every job block of a dry run: rule, input and output files, wildcards."""
    jobs, job = [], None
    for line in result.stdout.splitlines():
        header = re.fullmatch(r"(?:local)?rule (\w+):", line.strip())
        if header:
            job = {"rule": header.group(1), "input": [], "output": [], "wildcards": {}}
            jobs.append(job)
            continue
        field = re.fullmatch(r"\s+(input|output|wildcards): (.*)", line)
        if job is not None and field:
            values = [v.strip() for v in field.group(2).split(", ")]
            if field.group(1) == "wildcards":
                job["wildcards"] = dict(v.split("=", 1) for v in values)
            else:
                job[field.group(1)] = values
    return jobs


def ancestry(jobs: list[dict]):
    """A function: a file -> itself and every file its making descends from."""
    producer = {path: job for job in jobs for path in job["output"]}
    memo: dict[str, frozenset[str]] = {}

    def files_above(path: str) -> frozenset[str]:
        if path not in memo:
            memo[path] = frozenset()  # the DAG has no cycles; this only stops a malformed parse
            above = {path}
            for upstream in producer[path]["input"] if path in producer else []:
                above |= files_above(upstream)
            memo[path] = frozenset(above)
        return memo[path]

    return files_above


def rule_input_names(rule: str) -> list[str]:
    """The named inputs of a rule of rules/no_harm.smk, in declaration order (snakefmt layout)."""
    text = (REPO / "rules" / "no_harm.smk").read_text()
    block = text.split(f"rule {rule}:\n", 1)[1].split("\nrule ", 1)[0]
    inputs = block.split("    input:\n", 1)[1].split("\n    output:", 1)[0]
    return re.findall(r"^        (\w+)=", inputs, flags=re.MULTILINE)


def mode_rule_inputs(rule: str, mode: str) -> list[str]:
    """The named inputs of a no-harm rule that are files in one music2vec mode."""
    other = {"frozen": "finetune", "finetune": "frozen"}[mode]
    only_other = set(FUSION_FITTED_ON[other]) - set(FUSION_FITTED_ON[mode])
    return [name for name in rule_input_names(rule) if name not in only_other]


@pytest.fixture(scope="module", params=["frozen", "finetune"])
def mode(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def report_dag(tmp_path_factory, mode) -> list[dict]:
    workdir = copy_workflow(tmp_path_factory.mktemp(f"no_harm_dag_{mode}"))
    args = ["--configfile", write_config(workdir, "finetune.yaml", finetune_override())] if mode == "finetune" else []
    result = snakemake(workdir, "-n", "results/report.html", *args)
    assert result.returncode == 0, result.stderr[-3000:]
    jobs = dry_run_jobs(result)
    # finetune: no cached features, and no denoised classifier (its training condition needs frozen mode)
    rules = {"frozen": FITTING_RULES, "finetune": ("separate_calibration", "fit_no_harm")}[mode]
    assert {job["rule"] for job in jobs} >= {*rules, "fuse_predictions", "no_harm_output", "report"}
    if mode == "finetune":
        assert not {"calibration_features", "denoised_features"} & {job["rule"] for job in jobs}
    return jobs


def test_no_fit_of_the_no_harm_stage_descends_from_a_test_split_file(report_dag):
    files_above = ancestry(report_dag)
    fitting = [job for job in report_dag if job["rule"] in FITTING_RULES]
    # per variant: the calibration and (frozen: the denoised classifier's) denoiser-training
    # separations, each base's features (frozen) and fit
    assert sum(job["rule"] == "fit_no_harm" for job in fitting) == 2 * 3
    separations = ("separate_calibration", "separate_denoiser_train")
    assert {job["wildcards"].get("split") for job in fitting if job["rule"] in separations} == (
        {"calibration", "denoiser_train"} if any(job["rule"] == "denoised_features" for job in fitting) else {
            "calibration"})
    for job in fitting:
        assert job["input"], job
        tainted = sorted(path for path in {p for i in job["input"] for p in files_above(i)} if TEST_SPLIT.match(path))
        assert tainted == [], (job["rule"], job["wildcards"], tainted[:10])
    # The check has teeth: the test-split outputs the no-harm stage applies its fits to are tainted.
    applied = [job for job in report_dag if job["rule"] == "no_harm_output"]
    assert applied and all(any(TEST_SPLIT.match(p) for i in job["input"] for p in files_above(i)) for job in applied)


def test_the_fusion_fits_on_the_calibration_side_and_reads_test_predictions_only_to_fuse_them(report_dag, mode):
    files_above = ancestry(report_dag)
    names = mode_rule_inputs("fuse_predictions", mode)
    assert set(FUSION_APPLIED_TO) <= set(names) and {*FUSION_FITTED_ON[mode], "model"} <= set(names)
    fusions = [job for job in report_dag if job["rule"] == "fuse_predictions"]
    # variants x classifiers: config/config.yaml's 3, or in finetune mode those but the denoised one
    assert len(fusions) == 2 * {"frozen": 3, "finetune": 2}[mode]
    for job in fusions:
        assert len(job["input"]) == len(names), (names, job["input"])  # one file per named input
        inputs = dict(zip(names, job["input"]))
        variant, classifier = job["wildcards"]["variant"], job["wildcards"]["classifier"]
        if mode == "frozen":
            assert inputs["cache"] == f"results/no_harm/features/{variant}/danet.h5"
        else:
            assert inputs["calibration_features"] == f"results/features/{variant}/calibration.h5"
            assert inputs["manifest"] == "results/data/music_manifest.csv"
        assert inputs["calibration"] == f"results/no_harm/separation/{variant}/calibration/danet"
        tainted = {name for name, path in inputs.items() if any(TEST_SPLIT.match(p) for p in files_above(path))}
        assert tainted == set(FUSION_APPLIED_TO), (job["wildcards"], tainted)
        assert inputs["mixture"] == f"results/classification/{classifier}/{variant}/mixture.csv"
    # The script fits on the calibration inputs and hands the test ones to fuse_predictions alone.
    script = ast.parse((REPO / "workflow" / "scripts" / "fuse_predictions.py").read_text())

    def read_inputs(node) -> set[str]:
        return {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Attribute)
                and n.value.attr == "input" and isinstance(n.value.value, ast.Name) and n.value.value.id == "snakemake"}

    calls = [n for n in ast.walk(script) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    fitting = set().union(*(read_inputs(n) for n in calls if n.func.id in ("grid_predictions", "fit_fusion")))
    assert fitting == {*FUSION_FITTED_ON["frozen"], *FUSION_FITTED_ON["finetune"]}
    calls = {n.func.id: n for n in calls}
    assert read_inputs(calls["fuse_predictions"]) == set(FUSION_APPLIED_TO)
    outside = read_inputs(script) - read_inputs(calls["fuse_predictions"])
    assert not outside & set(FUSION_APPLIED_TO), outside


def test_the_dry_run_parse_sees_every_job(report_dag):
    """The parse above reads Snakemake's dry-run format; a change of that format fails here, not silently."""
    fit = next(job for job in report_dag if job["rule"] == "fit_no_harm" and job["wildcards"] == {
        "variant": "noise1", "method": "danet"})
    assert fit["output"] == ["results/no_harm/fits/noise1/danet.json", "results/no_harm/fits/noise1/danet_scores.csv",
                             "results/no_harm/fits/noise1/danet.png"]
    assert "results/features/noise1/calibration.h5" in fit["input"]
    assert "results/no_harm/separation/noise1/calibration/danet" in fit["input"]
