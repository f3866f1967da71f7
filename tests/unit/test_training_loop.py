"""training.loop: the epoch loop both trainings share, driven by a tiny fake Trainable (no model):
early stopping after ``patience``, the best epoch kept, a resumed run equal to an uninterrupted
one, a checkpoint of another fingerprint ignored."""

from __future__ import annotations

import pytest
import torch

from danet_music2vec.training.loop import run_epochs

# Validation loss per epoch: better, better, worse, worse, better, ...
LOSSES = {1: 1.0, 2: 0.5, 3: 0.6, 4: 0.7, 5: 0.4, 6: 0.45, 7: 0.3, 8: 0.35}


class Counter:
    """One weight; each epoch adds a draw of torch's global generator (seeded per epoch by the loop)."""

    def __init__(self) -> None:
        self.weight = torch.zeros(1)
        self.calls: list[str] = []

    def start(self) -> None:
        self.calls.append("start")
        self.weight = torch.full((1,), 10.0)

    def load(self, state: dict) -> None:
        self.calls.append("load")
        self.weight = state["weight"].clone()

    def state(self) -> dict:
        return {"weight": self.weight.clone()}

    def epoch(self, epoch: int) -> dict:
        self.calls.append(f"epoch {epoch}")
        self.weight = self.weight + torch.rand(1)
        return {"train_loss": float(self.weight), "valid_loss": LOSSES[epoch]}

    def snapshot(self) -> torch.Tensor:
        return self.weight.clone()

    def describe(self, row: dict) -> str:
        return f"epoch {row['epoch']}: {row['valid_loss']}"


def run(tmp_path, trainable=None, fingerprint="run-a", **kwargs):
    trainable = trainable or Counter()
    settings = {"max_epochs": 8, "patience": 2, "seed": 4} | kwargs
    progress = run_epochs(trainable, checkpoint=tmp_path / "checkpoint.pt", fingerprint=fingerprint, **settings)
    return trainable, progress


def without_seconds(history: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "seconds"} for row in history]


def test_training_stops_after_patience_epochs_without_a_better_validation_loss(tmp_path, capsys):
    trainable, progress = run(tmp_path)
    assert [row["epoch"] for row in progress.history] == [1, 2, 3, 4]  # epochs 3 and 4 were worse than 2
    assert [row["best"] for row in progress.history] == [True, True, False, False]
    assert progress.best_loss == 0.5 and progress.bad_epochs == 2 and progress.finished
    torch.testing.assert_close(progress.best_state, torch.tensor([progress.history[1]["train_loss"]]))
    assert trainable.calls == ["start", "epoch 1", "epoch 2", "epoch 3", "epoch 4"]
    assert set(progress.history[0]) == {"epoch", "train_loss", "valid_loss", "seconds", "best"}
    assert capsys.readouterr().out.splitlines() == ["epoch 1: 1.0", "epoch 2: 0.5", "epoch 3: 0.6", "epoch 4: 0.7"]


def test_training_runs_to_max_epochs_when_patience_allows(tmp_path):
    _, progress = run(tmp_path, patience=3)
    assert len(progress.history) == 8 and progress.finished and progress.best_loss == 0.3
    assert [row["best"] for row in progress.history] == [True, True, False, False, True, False, True, False]


def test_each_epoch_checkpoints_the_state_history_and_best_weights(tmp_path):
    trainable, progress = run(tmp_path, stop_after_epoch=3)
    assert not progress.finished and len(progress.history) == 3
    saved = torch.load(tmp_path / "checkpoint.pt", weights_only=True)
    assert saved["fingerprint"] == "run-a" and saved["bad_epochs"] == 1 and saved["best_loss"] == 0.5
    assert saved["history"] == progress.history
    torch.testing.assert_close(saved["model"]["weight"], trainable.weight)
    torch.testing.assert_close(saved["best_state"], progress.best_state)
    assert [p.name for p in tmp_path.iterdir()] == ["checkpoint.pt"]  # written atomically


@pytest.mark.parametrize("stop", [1, 3, 5])
def test_a_resumed_run_gives_the_history_and_weights_of_an_uninterrupted_one(tmp_path, stop, capsys):
    whole, uninterrupted = run(tmp_path / "whole", patience=3)
    _, first = run(tmp_path / "resumed", patience=3, stop_after_epoch=stop)
    assert len(first.history) == stop and not first.finished
    capsys.readouterr()
    again, resumed = run(tmp_path / "resumed", patience=3)
    assert f"after epoch {stop}" in capsys.readouterr().out
    assert again.calls[:2] == ["load", f"epoch {stop + 1}"]  # no fresh start, no epoch done twice
    assert without_seconds(resumed.history) == without_seconds(uninterrupted.history)
    torch.testing.assert_close(again.weight, whole.weight, rtol=0, atol=0)
    torch.testing.assert_close(resumed.best_state, uninterrupted.best_state, rtol=0, atol=0)
    assert resumed.finished and resumed.best_loss == uninterrupted.best_loss


def test_a_run_whose_patience_ran_out_before_the_kill_trains_no_further_epoch(tmp_path):
    _, first = run(tmp_path, stop_after_epoch=4)  # epoch 4 was the second without improvement
    again, resumed = run(tmp_path)
    assert again.calls == ["load"] and resumed.finished and resumed.history == first.history


def test_a_checkpoint_of_another_fingerprint_is_ignored(tmp_path, capsys):
    run(tmp_path, fingerprint="run-a", stop_after_epoch=3)
    capsys.readouterr()
    trainable, progress = run(tmp_path, fingerprint="run-b")
    assert "made for other settings or inputs" in capsys.readouterr().out
    assert trainable.calls[0] == "start" and progress.history[0]["epoch"] == 1
    _, reference = run(tmp_path / "fresh", fingerprint="run-b")
    assert without_seconds(progress.history) == without_seconds(reference.history)
    assert torch.load(tmp_path / "checkpoint.pt", weights_only=True)["fingerprint"] == "run-b"


def test_the_first_epoch_always_counts_as_an_improvement(tmp_path):
    class Diverging(Counter):
        def epoch(self, epoch: int) -> dict:
            return {**super().epoch(epoch), "valid_loss": 1e30 * epoch}

    _, progress = run(tmp_path, Diverging(), patience=1)
    assert [row["best"] for row in progress.history] == [True, False] and progress.best_loss == 1e30
