"""Deep Attractor Network (Chen, Luo & Mesgarani 2017) for music/noise separation.

A stacked BLSTM maps the normalised log magnitude of a mixture to a K-dimensional
embedding of every time-frequency bin. An attractor per source is the mean embedding of
the bins that source dominates; each bin's mask is the softmax over sources of its
similarity to the attractors. Source 0 is music and source 1 is noise, fixed roles.

In training the attractors come from the ideal binary mask; at inference there is no
reference, so they come from k-means on the embeddings (the original study) or are the
mean attractors over the training set (the paper's fixed-attractor mode).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn

MUSIC, NOISE = 0, 1
NB_SOURCES = 2
LOG_EPS = 1e-4  # the original study's log(|X| + 1e-4)
ATTRACTOR_MODES = ("kmeans", "fixed")


@dataclass(frozen=True)
class DanetConfig:
    """Architecture; stored in the checkpoint so a model file is self-describing."""

    n_bins: int = 129
    layers: int = 2
    units: int = 128
    embedding_dim: int = 20
    dropout: float = 0.0


class DANet(nn.Module):
    """BLSTM embedding network with input normalisation and training-set attractors.

    Buffers ``input_mean``/``input_std`` (per bin, from the training mixtures) and
    ``fixed_attractors`` (NB_SOURCES, K) travel with the weights.
    """

    def __init__(self, config: DanetConfig) -> None:
        super().__init__()
        self.config = config
        self.blstm = nn.LSTM(
            config.n_bins, config.units, num_layers=config.layers, batch_first=True,
            bidirectional=True, dropout=config.dropout if config.layers > 1 else 0.0,
        )
        self.embed = nn.Linear(2 * config.units, config.n_bins * config.embedding_dim)
        self.register_buffer("input_mean", torch.zeros(config.n_bins))
        self.register_buffer("input_std", torch.ones(config.n_bins))
        self.register_buffer("fixed_attractors", torch.zeros(NB_SOURCES, config.embedding_dim))

    def forward(self, mix_magnitude: torch.Tensor) -> torch.Tensor:
        """(batch, frames, bins) linear magnitude -> (batch, frames, bins, K) embeddings."""
        features = (log_magnitude(mix_magnitude) - self.input_mean) / self.input_std
        hidden, _ = self.blstm(features)
        batch, frames, _ = mix_magnitude.shape
        return self.embed(hidden).reshape(batch, frames, self.config.n_bins, self.config.embedding_dim)

    def state(self) -> dict:
        """Everything needed to rebuild the model: config and tensors."""
        return {"config": asdict(self.config), "state_dict": self.state_dict()}

    @classmethod
    def from_state(cls, state: dict) -> "DANet":
        model = cls(DanetConfig(**state["config"]))
        model.load_state_dict(state["state_dict"])
        return model


def log_magnitude(magnitude: torch.Tensor) -> torch.Tensor:
    return torch.log(magnitude + LOG_EPS)


def ideal_binary_mask(source_magnitudes: torch.Tensor) -> torch.Tensor:
    """(batch, frames, bins, S) magnitudes -> one-hot (…, S) of the loudest source per bin."""
    winner = source_magnitudes.argmax(dim=-1)
    return nn.functional.one_hot(winner, source_magnitudes.shape[-1]).to(source_magnitudes.dtype)


def active_bins(mix_magnitude: torch.Tensor, threshold_db: float) -> torch.Tensor:
    """1.0 for bins within ``threshold_db`` of their segment's loudest bin, else 0.0.

    Silent bins carry no source information; leaving them out keeps them from pulling
    every attractor towards the same point.
    """
    peak = mix_magnitude.flatten(1).amax(dim=1).reshape(-1, *([1] * (mix_magnitude.dim() - 1)))
    return (mix_magnitude > peak * 10.0 ** (-threshold_db / 20.0)).to(mix_magnitude.dtype)


def attractors_from_mask(embeddings: torch.Tensor, assignment: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Weighted mean embedding per source.

    Args:
        embeddings: (batch, frames, bins, K).
        assignment: (batch, frames, bins, S) source membership (e.g. the ideal binary mask).
        weight: (batch, frames, bins) 0/1 weight of each bin.

    Returns:
        (batch, S, K). A source with no weighted bin gets the zero attractor.
    """
    member = assignment * weight.unsqueeze(-1)
    total = torch.einsum("btfs,btfk->bsk", member, embeddings)
    count = member.sum(dim=(1, 2)).unsqueeze(-1)
    return total / count.clamp_min(1e-8)


def batch_attractors(embeddings: torch.Tensor, assignment: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """One attractor per source (S, K) for a whole batch: its segments pooled into one.

    Per-segment attractors let every segment put music and noise anywhere in the
    embedding space; attractors shared by many segments make the space the same for
    all of them, which is what blind k-means or fixed attractors rely on at inference.
    Arguments as for ``attractors_from_mask``.
    """
    return attractors_from_mask(embeddings.reshape(1, -1, *embeddings.shape[2:]),
                                assignment.reshape(1, -1, *assignment.shape[2:]),
                                weight.reshape(1, -1, weight.shape[-1]))[0]


def masks_from_attractors(embeddings: torch.Tensor, attractors: torch.Tensor) -> torch.Tensor:
    """Softmax over sources of each bin's dot product with each attractor.

    Args:
        embeddings: (batch, frames, bins, K).
        attractors: (batch, S, K) or (S, K) shared by the batch.

    Returns:
        (batch, frames, bins, S) masks that sum to one over sources.
    """
    if attractors.dim() == 2:
        attractors = attractors.unsqueeze(0).expand(embeddings.shape[0], -1, -1)
    return torch.softmax(torch.einsum("btfk,bsk->btfs", embeddings, attractors), dim=-1)


def kmeans_attractors(
    embeddings: torch.Tensor, weight: torch.Tensor, reference: torch.Tensor, n_iter: int = 10
) -> torch.Tensor:
    """Per-item k-means (Lloyd) attractors, labelled by the nearest reference attractors.

    Starting from the reference (training-time) attractors ties cluster 0 to music and
    cluster 1 to noise; a final check swaps them when the other pairing is closer, so
    the labels never depend on the data's order. Differentiable, so it also serves the
    original study's k-means epochs in training.

    Args:
        embeddings: (batch, frames, bins, K).
        weight: (batch, frames, bins) bins that take part.
        reference: (S, K) fixed attractors (music, noise).

    Returns:
        (batch, S, K).
    """
    batch = embeddings.shape[0]
    points = embeddings.reshape(batch, -1, embeddings.shape[-1])
    w = weight.reshape(batch, -1, 1)
    centres = reference.unsqueeze(0).expand(batch, -1, -1).clone()
    for _ in range(n_iter):
        distance = torch.cdist(points, centres)  # (batch, points, S)
        nearest = nn.functional.one_hot(distance.argmin(dim=-1), centres.shape[1]).to(points.dtype) * w
        count = nearest.sum(dim=1).unsqueeze(-1)
        updated = torch.einsum("bps,bpk->bsk", nearest, points) / count.clamp_min(1e-8)
        # An empty cluster keeps its previous centre instead of collapsing to zero.
        centres = torch.where(count > 0, updated, centres)
    return label_by_reference(centres, reference)


def label_by_reference(centres: torch.Tensor, reference: torch.Tensor) -> torch.Tensor:
    """Order two centres (batch, 2, K) so that centre 0 is nearer the music reference."""
    straight = (centres - reference).norm(dim=-1).sum(dim=-1)
    crossed = (centres.flip(1) - reference).norm(dim=-1).sum(dim=-1)
    swap = (crossed < straight).reshape(-1, 1, 1)
    return torch.where(swap, centres.flip(1), centres)


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
