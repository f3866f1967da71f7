"""Rerun only what changed: after a complete run, each kind of change plans exactly its own jobs."""

from __future__ import annotations

import pytest
from workflow_helpers import copy_run, planned_jobs, snakemake, write_config

pytestmark = pytest.mark.workflow

TEST_CONFIG = ("--configfile", "config/test.yaml")
# Everything downstream of the classifiers (denoised, the headline, then clean and multi-condition):
# their predictions (one job: the test conditions' SoundNet features are cached, so no SoundNet
# runs), and, since the headline classifier fits the no-harm weights (2 variants x 3 bases), the
# no-harm outputs (2 variants x 4), their BSS metrics and SoundNet features, every classifier's
# late fusion (3 x 2 variants), the metrics and the report.
CLASSIFIER_JOBS = {"train_music2vec": 3, "fit_no_harm": 6, "no_harm_output": 8, "bss_metrics": 8,
                   "separated_features": 8, "separation_summary": 1, "classify": 1, "fuse_predictions": 6,
                   "classification_metrics": 3, "report": 1}
# The separations of the test side: 7 methods x 2 variants; BSS Eval scores 10 outputs (the 6
# scored separations and the 4 no-harm outputs) x 2 variants; SoundNet features of 11 outputs
# (the 7 separations and the 4 no-harm outputs) x 2 variants.
TEST_SIDE_JOBS = {"separate": 14, "no_harm_output": 8, "bss_metrics": 20, "separation_summary": 1,
                  "separated_features": 22, "classify": 1, "fuse_predictions": 6, "classification_metrics": 3,
                  "report": 1}


def dry_run(workdir, *extra_configs: str, options: tuple[str, ...] = ()) -> dict[str, int]:
    result = snakemake(workdir, "-n", "results/report.html", *options, *TEST_CONFIG, *extra_configs)
    assert result.returncode == 0, result.stderr[-3000:]
    plan = planned_jobs(result)
    if not plan:  # an empty plan must be Snakemake's own verdict, not a table we failed to read
        assert "Nothing to be done" in result.stdout + result.stderr, result.stdout[-3000:]
    return plan


def test_nothing_changed_plans_nothing(completed_test_run):
    assert dry_run(completed_test_run) == {}


def test_a_machine_setting_reruns_nothing_not_even_the_report(completed_test_run):
    # resources.* are the scheduler's threads, memory and run time; the report prints every
    # other config section, so it would rerun were it given the whole config.
    change = write_config(completed_test_run, "resources.yaml",
                          {"resources": {"rules": {"separate": {"threads": 1, "mem_mb": 1234, "runtime": 61}}}})
    assert dry_run(completed_test_run, change) == {}


def test_a_classifier_parameter_reruns_only_the_classifier_its_predictions_and_the_report(completed_test_run):
    change = write_config(completed_test_run, "lr.yaml", {"music2vec": {"training": {"learning_rate": 0.0005}}})
    assert dry_run(completed_test_run, change) == CLASSIFIER_JOBS


def test_another_classifier_trains_only_itself_and_reclassifies_with_all(completed_test_run):
    classifiers = [{"name": "denoised", "training_conditions": ["clean", "denoised"]},
                   {"name": "clean", "training_conditions": ["clean"]},
                   {"name": "multicondition", "training_conditions": ["clean", "mixture"]},
                   {"name": "clean_seed5", "training_conditions": ["clean"], "seed": 5}]
    change = write_config(completed_test_run, "more.yaml", {"music2vec": {"classifiers": classifiers}})
    # One new model; the classify job now writes its tables too, so it reruns, and every classifier's
    # late fusion (4 x 2 variants) and metrics follow. The headline's no-harm fits stay.
    assert dry_run(completed_test_run, change) == {
        "train_music2vec": 1, "classify": 1, "fuse_predictions": 8, "classification_metrics": 4, "report": 1}


def test_an_stft_parameter_reruns_the_features_both_danet_trainings_and_everything_downstream(completed_test_run):
    change = write_config(completed_test_run, "stft.yaml", {"stft": {"hop_length": 128}})
    assert dry_run(completed_test_run, change) == {
        "stft_segments": 10,  # 2 variants x (3 splits + the calibration set and the denoiser's training clips)
        "train_danet": 4,  # danet and danet_original x 2 variants
        "separate_calibration": 6, "separate_denoiser_train": 2,  # the no-harm stage's inputs
        "calibration_features": 6, "denoised_features": 2,
        # the multi-condition and the denoised classifier read the new feature files' mixtures and separations
        "soundnet_features": 2, "train_music2vec": 2, "fit_no_harm": 6,
        **TEST_SIDE_JOBS,
    }
    # The mixture plans, the audio, the SoundNet features of clean music and the clean classifier stay.


def test_other_test_snrs_rerun_only_the_test_side_and_train_nothing(completed_test_run):
    change = write_config(completed_test_run, "snr.yaml", {"mixing": {"test_snr_db": [-5, 0]}})
    plan = dry_run(completed_test_run, change)
    assert plan == {"plan_mixtures": 2, "stft_segments": 2, **TEST_SIDE_JOBS}  # the test split of each variant
    # the no-harm weights were fitted on the calibration set: they stay


def test_a_changed_script_reruns_the_rules_that_use_it_and_their_downstream_only(completed_test_run, tmp_path):
    workdir = copy_run(completed_test_run, tmp_path / "run")
    script = workdir / "workflow/scripts/bss_metrics.py"
    script.write_text(script.read_text() + "\n# a changed script\n")
    assert dry_run(workdir) == {"bss_metrics": 20, "separation_summary": 1, "report": 1}
    # With timestamps as the only trigger, neither code nor parameters count (README: rerun triggers).
    assert dry_run(workdir, options=("--rerun-triggers", "mtime")) == {}
    change = write_config(workdir, "lr.yaml", {"music2vec": {"training": {"learning_rate": 0.0005}}})
    assert dry_run(workdir, change, options=("--rerun-triggers", "mtime")) == {}
