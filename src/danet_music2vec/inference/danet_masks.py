"""Blind DANet masks for a whole clip: half-overlapping windows, one pair of attractors per
clip (k-means over its active bins, or the training-set attractors), Hann cross-fades."""

from __future__ import annotations

import numpy as np
import torch

from ..models.attractors import active_bins, kmeans_attractors, masks_from_attractors
from ..models.danet import NB_SOURCES, DANet

ATTRACTOR_MODES = ("kmeans", "fixed")


def window_starts(n_frames: int, window: int, hop: int) -> list[int]:
    """Window starts covering ``n_frames``; the last window ends at the last frame."""
    if n_frames <= window:
        return [0]
    starts = list(range(0, n_frames - window, hop))
    return starts + [n_frames - window]


def cut_windows(spec: torch.Tensor, window: int) -> tuple[torch.Tensor, list[int]]:
    """Half-overlapping windows (n_windows, window, bins) of a (frames, bins) clip.

    A clip shorter than one window is zero-padded to it.
    """
    n_frames = spec.shape[0]
    if n_frames < window:
        padded = torch.zeros(window, *spec.shape[1:], dtype=spec.dtype)
        padded[:n_frames] = spec
        return padded.unsqueeze(0), [0]
    starts = window_starts(n_frames, window, max(1, window // 2))
    return torch.stack([spec[s: s + window] for s in starts]), starts


def crossfade(window_values: torch.Tensor, starts: list[int], n_frames: int) -> torch.Tensor:
    """Join per-window values (n_windows, window, ...) into (n_frames, ...) with Hann cross-fades.

    The original cut clips into 0.8 s pieces and butted them together, with clicks at
    the joins; weighting each window by a Hann shape leaves no seam.
    """
    window = window_values.shape[1]
    # Hann weights without the zero end points, so every frame has positive total weight.
    fade = torch.hann_window(window + 2, periodic=False, dtype=window_values.dtype)[1:-1]
    fade = fade.reshape(-1, *([1] * (window_values.dim() - 2)))
    length = max(n_frames, starts[-1] + window)
    total = torch.zeros(length, *window_values.shape[2:], dtype=window_values.dtype)
    norm = torch.zeros(length, *([1] * (window_values.dim() - 2)), dtype=window_values.dtype)
    for start, values in zip(starts, window_values):
        total[start: start + window] += fade * values
        norm[start: start + window] += fade
    return (total / norm)[:n_frames]


def clip_attractors(
    model: DANet, embeddings: torch.Tensor, weight: torch.Tensor, *, mode: str, max_points: int, seed: int
) -> torch.Tensor:
    """Blind attractors (S, K) for a whole clip, from its window embeddings.

    ``fixed``: the training-set mean attractors. ``kmeans``: k-means over the active
    bins of the whole clip, so one pair of attractors serves all its windows and the
    music label cannot flip between windows; a seeded subsample bounds the cost.

    Args:
        embeddings: (n_windows, window, bins, K).
        weight: (n_windows, window, bins) active bins.
    """
    if mode not in ATTRACTOR_MODES:
        raise ValueError(f"unknown attractor mode {mode!r}; allowed: {', '.join(ATTRACTOR_MODES)}")
    if mode == "fixed":
        return model.fixed_attractors.clone()
    points = embeddings.reshape(-1, embeddings.shape[-1])[weight.reshape(-1) > 0]
    if points.shape[0] < NB_SOURCES:
        return model.fixed_attractors.clone()
    if points.shape[0] > max_points:
        rng = np.random.default_rng(seed)
        points = points[torch.from_numpy(np.sort(rng.choice(points.shape[0], max_points, replace=False)))]
    points = points.reshape(1, -1, 1, points.shape[-1])
    return kmeans_attractors(points, torch.ones(points.shape[:3]), model.fixed_attractors, n_iter=20)[0]


@torch.no_grad()
def separate_masks(
    model: DANet, mix_magnitude: torch.Tensor, *, window: int, attractors: str, threshold_db: float,
    max_points: int = 50_000, seed: int = 0,
) -> torch.Tensor:
    """Blind masks (frames, bins, S) for a whole clip's mixture magnitude (frames, bins)."""
    windows, starts = cut_windows(mix_magnitude, window)
    embeddings = model(windows)
    # Activity relative to the whole clip, not to each window.
    weight, _ = cut_windows(active_bins(mix_magnitude.unsqueeze(0), threshold_db)[0], window)
    centres = clip_attractors(model, embeddings, weight, mode=attractors, max_points=max_points, seed=seed)
    masks = masks_from_attractors(embeddings, centres)
    return crossfade(masks, starts, mix_magnitude.shape[0])
