"""Blind DANet masks for a whole clip: overlapping windows, one pair of attractors per clip
(k-means over its active bins, or the training-set attractors), Hann cross-fades."""

from __future__ import annotations

import numpy as np
import torch

from ..models.attractors import active_bins, kmeans_attractors, music_mask_from_hidden
from ..models.danet import NB_SOURCES, DANet

ATTRACTOR_MODES = ("kmeans", "fixed")


def window_starts(n_frames: int, window: int, hop: int) -> list[int]:
    """Window starts covering ``n_frames``; the last window ends at the last frame."""
    if n_frames <= window:
        return [0]
    starts = list(range(0, n_frames - window, hop))
    return starts + [n_frames - window]


def cut_windows(spec: torch.Tensor, window: int, overlap: float = 0.5) -> tuple[torch.Tensor, list[int]]:
    """Windows (n_windows, window, bins) of a (frames, bins) clip, each overlapping the next by
    ``overlap`` of a window (the last one ends at the clip's end, so it may overlap more).

    A clip shorter than one window is zero-padded to it.
    """
    n_frames = spec.shape[0]
    if n_frames < window:
        padded = torch.zeros(window, *spec.shape[1:], dtype=spec.dtype)
        padded[:n_frames] = spec
        return padded.unsqueeze(0), [0]
    starts = window_starts(n_frames, window, hop_for(window, overlap))
    return torch.stack([spec[s: s + window] for s in starts]), starts


def hop_for(window: int, overlap: float) -> int:
    """Frames between window starts for an ``overlap`` in [0, 1) of a window (at least one)."""
    if not 0.0 <= overlap < 1.0:
        raise ValueError(f"window overlap {overlap} must be at least 0 and below 1")
    return max(1, round(window * (1.0 - overlap)))


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
    model: DANet, hidden: torch.Tensor, weight: torch.Tensor, *, mode: str, max_points: int, seed: int
) -> torch.Tensor:
    """Blind attractors (S, K) for a whole clip, from its windows' hidden states.

    ``fixed``: the training-set mean attractors. ``kmeans``: k-means over the embeddings of
    the active bins of the whole clip, so one pair of attractors serves all its windows and
    the music label cannot flip between windows; a seeded subsample of at most
    ``max_points`` bins bounds the cost, and only those bins' embeddings are computed.

    Args:
        hidden: (n_windows, window, H) BLSTM outputs.
        weight: (n_windows, window, bins) active bins.
    """
    if mode not in ATTRACTOR_MODES:
        raise ValueError(f"unknown attractor mode {mode!r}; allowed: {', '.join(ATTRACTOR_MODES)}")
    if mode == "fixed":
        return model.fixed_attractors.clone()
    active = torch.nonzero(weight.reshape(-1) > 0).squeeze(1)
    if active.shape[0] < NB_SOURCES:
        return model.fixed_attractors.clone()
    if active.shape[0] > max_points:
        rng = np.random.default_rng(seed)
        active = active[torch.from_numpy(np.sort(rng.choice(active.shape[0], max_points, replace=False)))]
    points = embeddings_at(model, hidden.reshape(-1, hidden.shape[-1]), active, weight.shape[-1])
    points = points.reshape(1, -1, 1, points.shape[-1])
    return kmeans_attractors(points, torch.ones(points.shape[:3]), model.fixed_attractors, n_iter=20)[0]


def embeddings_at(model: DANet, hidden: torch.Tensor, flat_bins: torch.Tensor, n_bins: int) -> torch.Tensor:
    """Embeddings (P, K) of P time-frequency bins, given as flat indices frame * n_bins + bin.

    Args:
        hidden: (frames, H) BLSTM outputs of the frames the indices count.
    """
    weight, bias = model.embedding_layer()
    bins = flat_bins % n_bins
    # Grouped by bin (a stable sort keeps each bin's points in their order), one small product
    # per bin, V = h W[f]^T + b[f], on contiguous slices of one gather of the hidden states.
    order = torch.argsort(bins, stable=True)
    present, counts = torch.unique_consecutive(bins[order], return_counts=True)
    gathered = hidden[flat_bins[order] // n_bins]
    parts = [h @ weight[f].T + bias[f] for f, h in zip(present.tolist(), torch.split(gathered, counts.tolist()))]
    out = torch.empty(flat_bins.shape[0], weight.shape[1], dtype=hidden.dtype)
    out[order] = torch.cat(parts)
    return out


@torch.no_grad()
def separate_masks(
    model: DANet, mix_magnitude: torch.Tensor, *, window: int, attractors: str, threshold_db: float,
    max_points: int = 50_000, seed: int = 0, overlap: float = 0.5,
) -> torch.Tensor:
    """Blind masks (frames, bins, S) for a whole clip's mixture magnitude (frames, bins).

    The masks come from the BLSTM's hidden states and the attractors
    (:func:`~danet_music2vec.models.attractors.music_mask_from_hidden`), without the
    embeddings of every bin. ``overlap``: of consecutive windows, a fraction of a window.
    """
    windows, starts = cut_windows(mix_magnitude, window, overlap)
    hidden = model.hidden(windows)
    # Activity relative to the whole clip, not to each window.
    weight, _ = cut_windows(active_bins(mix_magnitude.unsqueeze(0), threshold_db)[0], window, overlap)
    centres = clip_attractors(model, hidden, weight, mode=attractors, max_points=max_points, seed=seed)
    music = music_mask_from_hidden(hidden, centres, *model.embedding_layer())
    return crossfade(torch.stack([music, 1.0 - music], dim=-1), starts, mix_magnitude.shape[0])
