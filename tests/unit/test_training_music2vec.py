"""training.music2vec: frozen training beats chance and keeps the best epoch, resumes after a kill to
the same weights, ignores a checkpoint of other settings, leaves no checkpoint once finished;
ensembles (a stopped one resumes its head and keeps finished ones), multi-condition training and
finetune mode.

The pinned SoundNet weights, the synthetic music, its cache, the trained head and ensemble and a
separation folder are session fixtures of tests/unit/conftest.py."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import soundfile as sf
import torch
from builders import M2V_ENSEMBLE as ENSEMBLE
from builders import M2V_GENRES as GENRES
from builders import M2V_SMALL as SMALL
from builders import train_small_music2vec as train

from danet_music2vec.data.features import StftParams, write_features
from danet_music2vec.data.items import clean_items, mixture_items, separated_items
from danet_music2vec.inference.embeddings import write_feature_cache
from danet_music2vec.inference.prediction import classify_items
from danet_music2vec.models import soundnet as sn
from danet_music2vec.models.music2vec import load_classifier
from danet_music2vec.plots import plot_music2vec_history as plot_history
from danet_music2vec.seeding import member_seed
from danet_music2vec.training.music2vec import (
    HISTORY_COLUMNS, Music2VecSettings, audio_training_data, train_music2vec,
)


@pytest.fixture
def data(m2v_data) -> dict[str, Path]:
    return m2v_data


@pytest.fixture
def cache(m2v_cache) -> Path:
    return m2v_cache


@pytest.fixture
def trained(m2v_trained) -> Path:
    return m2v_trained


@pytest.fixture
def ensemble(m2v_ensemble) -> Path:
    return m2v_ensemble


@pytest.fixture
def separated(m2v_separated) -> Path:
    return m2v_separated


@pytest.fixture
def weights(soundnet_weights_file) -> Path:
    return soundnet_weights_file


@pytest.fixture
def soundnet(m2v_soundnet) -> sn.SoundNet8:
    return m2v_soundnet



def test_frozen_training_beats_chance_and_keeps_the_best_epoch(trained, cache, tmp_path):
    history = pd.read_csv(trained / "history.csv")
    assert tuple(history.columns) == HISTORY_COLUMNS and len(history) == SMALL.max_epochs
    best = history.loc[history["valid_loss"].idxmin()]
    # Chance is 1/3 of the 6 validation clips, and a cross-entropy of ln 3 = 1.10.
    assert best["valid_accuracy"] >= 0.5 and best["valid_loss"] < 0.75, history.to_string()
    assert history["train_loss"].iloc[-1] < history["train_loss"].iloc[0]
    state = torch.load(trained / "model.pt", weights_only=True)
    assert state["class_names"] == list(GENRES) and state["mode"] == "frozen" and state["trunk"] is None
    assert state["history"]["epoch"] == history["epoch"].tolist()
    plot_history(history, "test", tmp_path / "loss.png")
    assert (tmp_path / "loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


TRAIN_SCRIPT = """
import json, sys
from pathlib import Path
from danet_music2vec.training.music2vec import Music2VecSettings, frozen_training_data, train_music2vec
settings = Music2VecSettings.from_dict(json.loads(sys.argv[1]))
out = Path(sys.argv[2])
train_music2vec(frozen_training_data([sys.argv[3]]), settings, json.loads(sys.argv[4]), model_out=out / "model.pt",
                history_out=out / "history.csv", checkpoint=out / "checkpoint.pt", threads=1)
"""


def test_a_killed_training_resumes_to_the_same_weights(cache, trained, tmp_path):
    args = [sys.executable, "-c", TRAIN_SCRIPT, json.dumps(asdict(SMALL)), str(tmp_path), str(cache),
            json.dumps(list(GENRES))]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    checkpoint = tmp_path / "checkpoint.pt"
    deadline = time.monotonic() + 60
    while not checkpoint.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert checkpoint.exists() and not (tmp_path / "model.pt").exists()
    assert 1 <= len(torch.load(checkpoint, weights_only=True)["history"]) < SMALL.max_epochs
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert not checkpoint.exists()  # finished: the model file holds what was kept
    resumed = torch.load(tmp_path / "model.pt", weights_only=True)["head"]
    uninterrupted = torch.load(trained / "model.pt", weights_only=True)["head"]  # same config, in this process
    for key in uninterrupted:
        torch.testing.assert_close(resumed[key], uninterrupted[key], rtol=0, atol=0, msg=key)
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "history.csv").drop(columns="seconds"),
                                  pd.read_csv(trained / "history.csv").drop(columns="seconds"))


def test_a_checkpoint_for_other_settings_is_not_resumed(cache, trained, tmp_path, capsys):
    assert not (trained / "checkpoint.pt").exists()  # a finished training leaves none
    history = train([cache], tmp_path, stop_after_epoch=1)
    assert len(history) == 1 and (tmp_path / "checkpoint.pt").is_file()
    capsys.readouterr()
    history = train([cache], tmp_path, Music2VecSettings(**{**asdict(SMALL), "max_epochs": 2}))
    assert len(history) == 2
    assert "made for other settings" in capsys.readouterr().out
    assert not (tmp_path / "checkpoint.pt").exists()


def test_an_ensemble_averages_heads_trained_as_single_models_from_its_member_seeds(ensemble, cache, weights, data,
                                                                                   tmp_path):
    seeds = [member_seed(ENSEMBLE.seed, k) for k in range(3)]
    assert seeds[0] == ENSEMBLE.seed and len(set(seeds)) == 3
    state = torch.load(ensemble / "model.pt", weights_only=True)
    assert len(state["heads"]) == 3 and state["member_seeds"] == seeds
    history = pd.read_csv(ensemble / "history.csv")
    assert history["head"].tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2] and history["epoch"].tolist() == [1, 2, 3] * 3
    plot_history(history, "ensemble", tmp_path / "loss.png")
    assert (tmp_path / "loss.png").read_bytes().startswith(b"\x89PNG")
    items = clean_items(data["manifest"], data["splits"], splits=("test",))
    singles = []
    for seed in seeds:
        out = tmp_path / f"seed{seed}"
        train([cache], out, replace(ENSEMBLE, ensemble=1, seed=seed))
        singles.append(classify_items(load_classifier(out / "model.pt", weights), items, progress=False))
    together = classify_items(load_classifier(ensemble / "model.pt", weights), items, progress=False)
    mean = np.mean([t.filter(like="prob_").to_numpy() for t in singles], axis=0)
    np.testing.assert_allclose(together.filter(like="prob_").to_numpy(), mean, rtol=0, atol=1e-12)
    assert not np.allclose(singles[0].filter(like="prob_"), singles[1].filter(like="prob_"))


def test_a_stopped_ensemble_resumes_its_head_and_reuses_finished_ones(ensemble, cache, tmp_path, capsys):
    heads = tmp_path / "checkpoint_heads"
    assert not (ensemble / "checkpoint_heads").exists() and not (ensemble / "checkpoint.pt").exists()
    # Stopped after head 0's last epoch, before it was marked finished.
    history = train([cache], tmp_path, ENSEMBLE, stop_after_epoch=ENSEMBLE.max_epochs)
    assert len(history) == ENSEMBLE.max_epochs and not (tmp_path / "model.pt").exists()
    assert sorted(p.name for p in heads.iterdir()) == ["head0.pt"]
    capsys.readouterr()
    # Run again, stopped after one epoch of head 1: head 0 resumes, finds itself done, and is kept.
    history = train([cache], tmp_path, ENSEMBLE, stop_after_epoch=1)
    assert f"resuming from {heads / 'head0.pt'} after epoch {ENSEMBLE.max_epochs}" in capsys.readouterr().out
    assert len(history) == 1 and not (tmp_path / "model.pt").exists()
    assert sorted(p.name for p in heads.iterdir()) == ["head0_history.csv", "head0_model.pt", "head1.pt"]
    # The whole run: head 0 trained before, head 1 resumed, head 2 from scratch.
    train([cache], tmp_path, ENSEMBLE)
    output = capsys.readouterr().out
    assert output.count("trained before") == 1 and f"resuming from {heads / 'head1.pt'} after epoch 1" in output
    resumed = torch.load(tmp_path / "model.pt", weights_only=True)["heads"]
    uninterrupted = torch.load(ensemble / "model.pt", weights_only=True)["heads"]
    for mine, theirs in zip(resumed, uninterrupted, strict=True):
        for key in theirs:
            torch.testing.assert_close(mine[key], theirs[key], rtol=0, atol=0, msg=key)
    # Finished: the heads' folder is discarded, the model file holds every head.
    assert not heads.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["history.csv", "model.pt"]


def test_an_ensemble_needs_frozen_mode():
    with pytest.raises(ValueError, match="ensemble of 3 heads needs frozen mode"):
        Music2VecSettings(mode="finetune", ensemble=3)


def test_multi_condition_training_reads_the_variants_mixtures(data, cache, soundnet, tmp_path):
    manifest = pd.read_csv(data["manifest"]).merge(pd.read_csv(data["splits"]), on="clip_id")
    rng = np.random.default_rng(1)
    noise_path = tmp_path / "noise.wav"
    sf.write(noise_path, (0.1 * rng.standard_normal(44100 * 5)).astype(np.float32), 44100)
    stores = []
    for split in ("train", "valid"):
        clips = manifest.loc[manifest["split"] == split]
        plan = pd.DataFrame({"mix_id": clips["clip_id"] + "+snr0", "split": split, "music_id": clips["clip_id"],
                             "snr_db": 0.0, "noise_ids": "n0", "noise_offsets_s": "0.5"})
        stores.append(tmp_path / f"{split}.h5")
        write_features(stores[-1], plan, dict(zip(clips["clip_id"], clips["path"])), {"n0": str(noise_path)},
                       params=StftParams(), attrs={"variant": "noise1", "split": split, "config_hash": "t"})
    items = mixture_items(stores, data["manifest"])
    assert len(items) == 21 and items["id"].str.startswith("noise1/").all() and (items["condition"] == "mixture").all()
    write_feature_cache(items, tmp_path / "mixture_noise1_features.h5", soundnet, progress=False)
    settings = Music2VecSettings(**{**asdict(SMALL), "max_epochs": 2, "training_conditions": ("clean", "mixture")})
    history = train([cache, tmp_path / "mixture_noise1_features.h5"], tmp_path, settings)
    assert len(history) == 2
    with pytest.raises(ValueError, match="'mixture' has no items"):
        train([cache], tmp_path / "clean_only", settings)


def test_finetune_mode_trains_soundnet_too_and_classifies(data, weights, soundnet, separated, tmp_path):
    items = clean_items(data["manifest"], data["splits"])
    settings = Music2VecSettings(**{**asdict(SMALL), "mode": "finetune", "max_epochs": 2})
    history = train_music2vec(audio_training_data(items), settings, list(GENRES), soundnet_weights=weights,
                              model_out=tmp_path / "model.pt", history_out=tmp_path / "history.csv",
                              checkpoint=tmp_path / "checkpoint.pt")
    assert len(history) == 2
    classifier = load_classifier(tmp_path / "model.pt", weights)
    assert classifier.mode == "finetune"
    pretrained = soundnet.state_dict()
    changed = [k for k, v in classifier.soundnet.state_dict().items() if not torch.equal(v, pretrained[k])]
    assert "conv1.conv.weight" in changed and "conv7.bn.weight" in changed
    assert not any(k.startswith("conv8") for k in changed)
    assert all("running" not in k for k in changed)  # BatchNorm statistics stay pretrained
    table = classify_items(classifier, separated_items(separated, data["manifest"]), progress=False)
    np.testing.assert_allclose(table.filter(like="prob_").sum(axis=1), 1.0, rtol=1e-9)
