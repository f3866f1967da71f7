"""The epoch loop both trainings share: seeded, checkpointed after every epoch, resumable,
with early stopping on the validation loss.

Every random choice of an epoch (data order, dropout, remixing) is drawn from generators
seeded by (seed, epoch), so an epoch gives the same result whether the run started at epoch 1
or resumed from a checkpoint after a kill: a resumed run reaches the same weights as an
uninterrupted one. The checkpoint holds the last epoch's state and the best epoch's weights.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..seeding import seed_torch
from .checkpoints import load_checkpoint, save_state


class Trainable(Protocol):
    """What :func:`run_epochs` needs of a training."""

    def start(self) -> None:
        """Prepare a run from scratch (e.g. input statistics of the training data)."""

    def load(self, state: dict) -> None:
        """Restore the model and optimizer from :meth:`state` of a checkpoint."""

    def state(self) -> dict:
        """The model and optimizer state to checkpoint after an epoch."""

    def epoch(self, epoch: int) -> dict:
        """Train one epoch and validate: the history row's values, ``valid_loss`` among them."""

    def snapshot(self) -> Any:
        """A copy of the weights to keep when this epoch is the best so far."""

    def describe(self, row: dict) -> str:
        """The log line of a finished epoch."""


@dataclass
class Progress:
    """Where a run stands: its history (one row per epoch) and its best epoch."""

    history: list[dict] = field(default_factory=list)
    best_loss: float = math.inf
    best_state: Any = None
    bad_epochs: int = 0
    finished: bool = False


def run_epochs(trainable: Trainable, *, max_epochs: int, patience: int, seed: int,
               checkpoint: str | os.PathLike, fingerprint: str, stop_after_epoch: int | None = None) -> Progress:
    """Train until ``max_epochs`` or ``patience`` epochs without a better validation loss.

    Resumes from ``checkpoint`` when it was made for ``fingerprint`` (else starts afresh).
    ``stop_after_epoch`` ends the run after that epoch with ``finished`` False (tests).
    Each history row is ``epoch``, the trainable's values, ``seconds`` and ``best``.
    """
    saved = load_checkpoint(checkpoint, fingerprint)
    if saved is None:
        trainable.start()
        progress = Progress()
    else:
        trainable.load(saved["model"])
        progress = Progress(saved["history"], saved["best_loss"], saved["best_state"], saved["bad_epochs"])
        print(f"resuming from {checkpoint} after epoch {len(progress.history)}")
    for epoch in range(len(progress.history) + 1, max_epochs + 1):
        if progress.bad_epochs >= patience:
            break
        started = time.perf_counter()
        seed_torch(seed, epoch)
        row = trainable.epoch(epoch)
        improved = row["valid_loss"] < progress.best_loss
        if improved:
            progress.best_loss, progress.bad_epochs = row["valid_loss"], 0
            progress.best_state = trainable.snapshot()
        else:
            progress.bad_epochs += 1
        progress.history.append({"epoch": epoch, **row, "seconds": round(time.perf_counter() - started, 3),
                                 "best": improved})
        print(trainable.describe(progress.history[-1]))
        save_state(checkpoint, {
            "fingerprint": fingerprint, "model": trainable.state(), "history": progress.history,
            "best_loss": progress.best_loss, "best_state": progress.best_state, "bad_epochs": progress.bad_epochs,
        })
        if stop_after_epoch is not None and epoch >= stop_after_epoch:
            return progress
    progress.finished = True
    return progress
