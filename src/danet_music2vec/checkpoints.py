"""Training checkpoints: written atomically, resumed only when made for the same run."""

from __future__ import annotations

import os
from pathlib import Path

import torch

from .fileio import atomic_path


def load_checkpoint(path: str | os.PathLike, fingerprint: str) -> dict | None:
    """The checkpoint at ``path`` if it was made for ``fingerprint``, else None (said in the log)."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # a checkpoint cut short by a full disk is not resumable
        print(f"ignoring unreadable checkpoint {path}: {error}")
        return None
    if state.get("fingerprint") != fingerprint:
        print(f"ignoring checkpoint {path}: made for other settings or inputs")
        return None
    return state


def save_state(path: str | os.PathLike, state: dict) -> None:
    """``torch.save`` to a temporary name, then rename: a kill never leaves half a file."""
    with atomic_path(path) as tmp:
        torch.save(state, tmp)
