"""What both trainings share besides their epoch loop: the device they run on, the fingerprint
of a run, and checkpoints written atomically and resumed only when made for the same run."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import torch

from ..fileio import atomic_path, remove_stale_temporaries


def training_device(device: str | None = None) -> torch.device:
    """``device``, or CUDA when a GPU is visible and the CPU otherwise; said in the log."""
    chosen = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
    print(f"training on {chosen}" + (f" ({torch.cuda.get_device_name(chosen)})" if chosen.type == "cuda" else ""))
    return chosen


def run_fingerprint(*parts: str) -> str:
    """Short hash of what a run depends on (settings, data identities): what its checkpoint is valid for."""
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def load_checkpoint(path: str | os.PathLike, fingerprint: str) -> dict | None:
    """The checkpoint at ``path`` if it was made for ``fingerprint``, else None (said in the log).
    Half-written temporaries of it that a killed run left are removed first."""
    path = Path(path)
    for stale in remove_stale_temporaries(path):
        print(f"removed {stale}, left by a killed write of the checkpoint")
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


def discard_checkpoint(path: str | os.PathLike) -> None:
    """Remove a finished run's checkpoint file or folder: its model file now holds what it kept."""
    path = Path(path)
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
