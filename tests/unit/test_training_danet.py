"""training.danet: the settings, a real training on real feature files (it learns, is seeded, stops
early, resumes after a kill to the same weights, ignores a checkpoint of other settings, leaves no
checkpoint once finished), and the hidden-state loss equal to the embeddings' in value and gradient.

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
    # A finished training keeps its model and history; its checkpoint is gone (the model holds it).
    assert sorted(p.name for p in trained.iterdir()) == ["history.csv", "model.pt"]
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
    resume = subprocess.run(args, check=True, capture_output=True, text=True)
    assert f"resuming from {checkpoint} after epoch {len(done)}" in resume.stdout
    assert not checkpoint.exists()  # finished: the checkpoint is discarded
    resumed = load_danet(tmp_path / "model.pt").state_dict()
    uninterrupted = load_danet(trained / "model.pt").state_dict()
    for key in uninterrupted:
        torch.testing.assert_close(resumed[key], uninterrupted[key], rtol=0, atol=0, msg=key)
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "history.csv").drop(columns="seconds"),
                                  pd.read_csv(trained / "history.csv").drop(columns="seconds"))


def test_a_stopped_training_keeps_its_checkpoint_and_one_for_other_settings_is_not_resumed(feature_files, tmp_path,
                                                                                           capsys):
    history = train(feature_files, tmp_path, stop_after_epoch=1)
    assert len(history) == 1 and (tmp_path / "checkpoint.pt").is_file() and not (tmp_path / "model.pt").exists()
    capsys.readouterr()
    other = TrainSettings(**{**asdict(SMALL), "model": SMALL.model, "max_epochs": 1})
    history = train(feature_files, tmp_path, other)
    assert len(history) == 1
    output = capsys.readouterr().out
    assert "made for other settings" in output and "resuming from" not in output
    assert (tmp_path / "model.pt").is_file() and not (tmp_path / "checkpoint.pt").exists()


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


# --------------------------------------------------------------------------- the hidden-state loss


def embedding_path_loss(model, batch, settings, device, kmeans):
    """The loss of one batch as computed before hidden-state training: every bin's embedding,
    attractors of the ideal binary masks (per segment and pooled over the batch), softmax masks."""
    from danet_music2vec.models.attractors import (
        active_bins, attractors_from_mask, batch_attractors, ideal_binary_mask, kmeans_attractors,
        masks_from_attractors,
    )
    from danet_music2vec.training.danet import _magnitudes
    from danet_music2vec.training.losses import separation_loss

    mix, sources = _magnitudes(batch, device)
    embeddings = model(mix)
    weight = active_bins(mix, settings.threshold_db)
    assignment = ideal_binary_mask(sources)
    oracle = attractors_from_mask(embeddings, assignment, weight)
    shared_weight = 0.0 if kmeans else settings.shared_attractor_weight
    loss = torch.zeros(())
    if shared_weight < 1.0:
        attractors = kmeans_attractors(embeddings, weight, model.fixed_attractors) if kmeans else oracle
        loss = (1.0 - shared_weight) * separation_loss(masks_from_attractors(embeddings, attractors), mix, sources,
                                                       settings.target)
    if shared_weight > 0.0:
        shared = batch_attractors(embeddings, assignment, weight)
        loss = loss + shared_weight * separation_loss(masks_from_attractors(embeddings, shared), mix, sources,
                                                      settings.target)
    return loss, oracle


@pytest.mark.parametrize("target", ["magnitude", "log_magnitude"])
@pytest.mark.parametrize(("shared_weight", "kmeans"), [(0.0, False), (0.5, False), (1.0, False), (0.5, True)])
def test_the_hidden_state_loss_equals_the_embeddings_loss_in_value_and_gradient(feature_files, target, shared_weight,
                                                                                 kmeans):
    from danet_music2vec.data.features import SegmentStore
    from danet_music2vec.models.danet import DANet
    from danet_music2vec.training.danet import _batch_loss

    settings = replace(SMALL, target=target, shared_attractor_weight=shared_weight)
    torch.manual_seed(3)
    model = DANet(replace(settings.model, n_bins=129))
    model.fixed_attractors.copy_(torch.randn(2, settings.model.embedding_dim))
    with SegmentStore(feature_files["train"]) as store:
        batch = store.read(0, 4)
    device = torch.device("cpu")
    results = {}
    for name, compute in (("hidden", _batch_loss), ("embeddings", embedding_path_loss)):
        model.zero_grad()
        loss, oracle, *_ = compute(model, batch, settings, device, kmeans)
        loss.backward()
        results[name] = (loss.detach(), oracle.detach(), [p.grad.clone() for p in model.parameters()])
    (loss, oracle, grads), (loss_e, oracle_e, grads_e) = results["hidden"], results["embeddings"]
    torch.testing.assert_close(loss, loss_e, rtol=1e-6, atol=0)
    torch.testing.assert_close(oracle, oracle_e, rtol=1e-5, atol=1e-6)
    # Every parameter's gradient within float32 rounding of the embeddings' (up to 9e-7 relative in norm
    # measured; 1e-5 leaves room for another CPU's summation order).
    for (name, _), grad, grad_e in zip(model.named_parameters(), grads, grads_e, strict=True):
        error = float((grad - grad_e).norm() / grad_e.norm().clamp_min(1e-30))
        assert error < 1e-5, (name, error)


def test_the_fixed_attractors_are_a_validation_pass_attractors_over_the_training_file(feature_files, trained):
    from danet_music2vec.data.features import SegmentStore
    from danet_music2vec.training.danet import _run_epoch, mean_training_attractors

    model = load_danet(trained / "model.pt")
    settings = replace(SMALL, model=replace(SMALL.model, n_bins=model.config.n_bins))
    device = torch.device("cpu")
    with SegmentStore(feature_files["train"]) as store:
        _, pass_attractors = _run_epoch(model, store, settings, device, None, 0, False)
        attractors = mean_training_attractors(model, store, settings, device)
    # the same sums in the same order as a loss pass, without its masks: equal bit for bit
    assert attractors.dtype == torch.float64 and attractors.shape == (2, settings.model.embedding_dim)
    assert torch.equal(attractors, pass_attractors)
    assert torch.equal(attractors.float(), model.fixed_attractors)
    assert not torch.allclose(attractors[0], attractors[1])
