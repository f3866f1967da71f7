"""training.danet: the settings, a real training on real feature files (it learns, is seeded, stops
early, resumes after a kill to the same weights, ignores a checkpoint of other settings).

The feature files and the trained model are session fixtures of tests/unit/conftest.py."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest
import torch
from builders import DANET_SMALL as SMALL
from builders import train_small_danet as train

from danet_music2vec.models.danet import load_danet
from danet_music2vec.training.danet import TrainSettings, fingerprint, learning_rate_at


@pytest.fixture
def feature_files(danet_feature_files) -> dict[str, Path]:
    return danet_feature_files


@pytest.fixture
def trained(danet_trained) -> Path:
    return danet_trained


def test_cosine_schedule_decays_to_zero_and_bad_settings_are_refused():
    cosine = TrainSettings(learning_rate=0.002, lr_schedule="cosine")
    assert [learning_rate_at(cosine, p) for p in (0.0, 0.5, 1.0)] == pytest.approx([0.002, 0.001, 0.0])
    assert learning_rate_at(TrainSettings(learning_rate=0.002), 0.7) == 0.002
    with pytest.raises(ValueError, match="lr_schedule"):
        TrainSettings(lr_schedule="linear")
    with pytest.raises(ValueError, match="shared_attractor_weight"):
        TrainSettings(shared_attractor_weight=1.5)


def test_training_writes_model_history_and_learns(trained):
    history = pd.read_csv(trained / "history.csv")
    assert history["epoch"].tolist() == [1, 2, 3]
    assert history["valid_loss"].iloc[-1] < history["valid_loss"].iloc[0]
    assert np.isfinite(history[["train_loss", "valid_loss"]].to_numpy()).all()
    model = load_danet(trained / "model.pt")
    assert model.config.units == 24 and model.config.n_bins == 129
    # The stored input statistics and mean attractors are real, not the initial zeros/ones.
    assert model.input_std.min() > 0 and not torch.allclose(model.input_std, torch.ones(129))
    assert model.fixed_attractors.abs().sum() > 0


def test_same_seed_same_weights(feature_files, trained, tmp_path):
    train(feature_files, tmp_path)
    first = load_danet(trained / "model.pt").state_dict()
    second = load_danet(tmp_path / "model.pt").state_dict()
    for key in first:
        torch.testing.assert_close(first[key], second[key], rtol=0, atol=0, msg=key)


def test_early_stopping_keeps_the_best_epoch(feature_files, tmp_path):
    settings = TrainSettings(**{**asdict(SMALL), "model": SMALL.model, "learning_rate": 0.5, "max_epochs": 6, "patience": 1})
    history = train(feature_files, tmp_path, settings)
    assert len(history) < 6  # a diverging learning rate stops after one epoch without improvement
    assert history["best"].iloc[-1] == False  # noqa: E712


TRAIN_SCRIPT = """
import sys
from pathlib import Path
from danet_music2vec.training.danet import TrainSettings, train_danet
from danet_music2vec.models.danet import DanetConfig
import json
settings = json.loads(sys.argv[1])
settings["model"] = DanetConfig(**settings["model"])
out = Path(sys.argv[2])
train_danet(sys.argv[3], sys.argv[4], TrainSettings(**settings), model_out=out / "model.pt",
            history_out=out / "history.csv", checkpoint=out / "checkpoint.pt")
"""


def test_a_killed_training_resumes_to_the_same_weights(feature_files, trained, tmp_path):
    settings = json.dumps(asdict(SMALL))
    args = [sys.executable, "-c", TRAIN_SCRIPT, settings, str(tmp_path), str(feature_files["train"]), str(feature_files["valid"])]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    checkpoint = tmp_path / "checkpoint.pt"
    deadline = time.monotonic() + 120
    while not checkpoint.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)  # the first epoch is saved; the second is under way
    process.wait()
    assert checkpoint.exists() and not (tmp_path / "model.pt").exists()
    done = torch.load(checkpoint, weights_only=True)["history"]
    assert 1 <= len(done) < 3
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    resumed = load_danet(tmp_path / "model.pt").state_dict()
    uninterrupted = load_danet(trained / "model.pt").state_dict()
    for key in uninterrupted:
        torch.testing.assert_close(resumed[key], uninterrupted[key], rtol=0, atol=0, msg=key)
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "history.csv").drop(columns="seconds"),
                                  pd.read_csv(trained / "history.csv").drop(columns="seconds"))


def test_a_checkpoint_for_other_settings_is_not_resumed(feature_files, trained, tmp_path, capsys):
    (tmp_path / "checkpoint.pt").write_bytes((trained / "checkpoint.pt").read_bytes())
    other = TrainSettings(**{**asdict(SMALL), "model": SMALL.model, "max_epochs": 1})
    history = train(feature_files, tmp_path, other)
    assert len(history) == 1
    assert "made for other settings" in capsys.readouterr().out


def test_settings_refuse_an_unknown_target_and_too_many_kmeans_epochs_and_round_trip():
    with pytest.raises(ValueError, match="target must be one of magnitude, log_magnitude, got 'db'"):
        TrainSettings(target="db")
    with pytest.raises(ValueError, match=r"kmeans_epochs must be in 0..max_epochs-1 \(3\), got 4"):
        TrainSettings(max_epochs=4, kmeans_epochs=4)
    assert TrainSettings.from_dict(json.loads(json.dumps(asdict(SMALL)))) == SMALL


def test_the_fingerprint_follows_the_settings_and_the_feature_files_config_hashes(feature_files, tmp_path):
    stamp = fingerprint(SMALL, feature_files["train"], feature_files["valid"])
    assert fingerprint(SMALL, feature_files["train"], feature_files["valid"]) == stamp and len(stamp) == 16
    assert fingerprint(replace(SMALL, learning_rate=1e-3), feature_files["train"], feature_files["valid"]) != stamp
    other = tmp_path / "valid.h5"
    other.write_bytes(feature_files["valid"].read_bytes())
    with h5py.File(other, "r+") as h5:  # features of another config
        h5.attrs["config_hash"] = "other"
    assert fingerprint(SMALL, feature_files["train"], other) != stamp
