"""Attractors and masks of the DANet, shared by training and inference.

An attractor per source is the mean embedding of the bins that source dominates; each
bin's mask is the softmax over sources of its similarity to the attractors. In training
the attractors come from the ideal binary mask; at inference there is no reference, so
they come from k-means on the embeddings (the original study) or are the mean attractors
over the training set (the paper's fixed-attractor mode).

Two forms of the same arithmetic. On embeddings V (batch, frames, bins, K), as the paper
writes it. And on the BLSTM's hidden states h (batch, frames, H) with the embedding layer
V[t, f] = W[f] h[t] + b[f], which never builds V: an attractor is a sum over bins of
W[f] (sum over frames of h), a mask logit is h[t] . (W[f] a) + b[f] . a. That is about five
times fewer operations per training step than through V (docs/benchmarks.md). With two
sources the softmax over sources is the logistic of the logit difference, so one logit
per bin is enough.
"""

from __future__ import annotations

import torch
from torch import nn


def ideal_binary_mask(source_magnitudes: torch.Tensor) -> torch.Tensor:
    """(batch, frames, bins, S) magnitudes -> one-hot (…, S) of the loudest source per bin.

    A tie goes to the first source, as argmax gives it; with two sources that is one comparison.
    """
    if source_magnitudes.shape[-1] == 2:
        first = (source_magnitudes[..., 0] >= source_magnitudes[..., 1]).to(source_magnitudes.dtype)
        return torch.stack([first, 1.0 - first], dim=-1)
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
    # The assignments (argmin) carry no gradient, so only the last step's means do: the earlier
    # steps run without autograd's bookkeeping, the same values at a fraction of a k-means
    # training epoch's time and memory.
    # A step that leaves every centre as it was is a fixed point: all later steps give the same
    # centres bit for bit, so stopping there changes nothing but the time.
    with torch.no_grad():
        for _ in range(n_iter - 1):
            updated = _lloyd_step(points, w, centres)
            converged = torch.equal(updated, centres)
            centres = updated
            if converged:
                break
    return label_by_reference(_lloyd_step(points, w, centres), reference)


def _lloyd_step(points: torch.Tensor, w: torch.Tensor, centres: torch.Tensor) -> torch.Tensor:
    """One k-means step: points (batch, P, K) weighted by w (batch, P, 1) -> centres (batch, S, K)."""
    # The nearest centre minimises |c|^2 - 2 p.c (the squared distance less |p|^2, which is the
    # same for every centre): one batched product, where cdist spent a quarter of a k-means
    # training step on the full distances.
    scores = (centres * centres).sum(dim=-1).unsqueeze(1) - 2.0 * torch.bmm(points, centres.transpose(1, 2))
    nearest = nn.functional.one_hot(scores.argmin(dim=-1), centres.shape[1]).to(points.dtype) * w
    count = nearest.sum(dim=1).unsqueeze(-1)
    updated = torch.einsum("bps,bpk->bsk", nearest, points) / count.clamp_min(1e-8)
    # An empty cluster keeps its previous centre instead of collapsing to zero.
    return torch.where(count > 0, updated, centres)


def label_by_reference(centres: torch.Tensor, reference: torch.Tensor) -> torch.Tensor:
    """Order two centres (batch, 2, K) so that centre 0 is nearer the music reference."""
    straight = (centres - reference).norm(dim=-1).sum(dim=-1)
    crossed = (centres.flip(1) - reference).norm(dim=-1).sum(dim=-1)
    swap = (crossed < straight).reshape(-1, 1, 1)
    return torch.where(swap, centres.flip(1), centres)


def member_sums(hidden: torch.Tensor, member: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Hidden states summed over the frames each source owns, per bin: what attractors need of h.

    Args:
        hidden: (batch, frames, H) BLSTM outputs.
        member: (batch, frames, bins, S) weighted source membership (assignment x weight).

    Returns:
        ``sums`` (batch, S, bins, H) and ``counts`` (batch, S, bins).
    """
    batch, frames, bins, sources = member.shape
    # One batched matrix product: (batch, bins * S, frames) @ (batch, frames, H).
    sums = torch.bmm(member.reshape(batch, frames, bins * sources).transpose(1, 2), hidden)
    sums = sums.reshape(batch, bins, sources, -1).transpose(1, 2)
    return sums, member.sum(dim=1).transpose(1, 2)


def attractors_from_sums(sums: torch.Tensor, counts: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor,
                         pooled: bool = False) -> torch.Tensor:
    """Mean embedding per source from :func:`member_sums`, as :func:`attractors_from_mask` gives it.

    Args:
        sums, counts: (batch, S, bins, H) and (batch, S, bins).
        weight, bias: the embedding layer, (bins, K, H) and (bins, K).
        pooled: one attractor pair for the whole batch (as :func:`batch_attractors`).

    Returns:
        (batch, S, K), or (S, K) when ``pooled``. A source with no weighted bin gets zero.
    """
    if pooled:
        sums, counts = sums.sum(dim=0, keepdim=True), counts.sum(dim=0, keepdim=True)
    batch, sources, bins, width = sums.shape
    # sum over bins and hidden units of sums[b, s, f, h] W[f, k, h], as one matrix product
    total = sums.reshape(batch * sources, bins * width) @ weight.transpose(1, 2).reshape(bins * width, -1)
    total = total.reshape(batch, sources, -1) + counts @ bias
    attractors = total / counts.sum(dim=-1).unsqueeze(-1).clamp_min(1e-8)
    return attractors[0] if pooled else attractors


def music_mask_from_hidden(hidden: torch.Tensor, attractors: torch.Tensor, weight: torch.Tensor,
                           bias: torch.Tensor) -> torch.Tensor:
    """The music mask of :func:`masks_from_attractors` for two sources, from hidden states.

    softmax(V . a)[music] = sigmoid(V . (a_music - a_noise)), and V . d = h . (W d) + b . d.

    Args:
        hidden: (batch, frames, H).
        attractors: (batch, 2, K), or (2, K) shared by the batch.
        weight, bias: the embedding layer, (bins, K, H) and (bins, K).

    Returns:
        (batch, frames, bins); the noise mask is one minus it.
    """
    difference = attractors[..., 0, :] - attractors[..., 1, :]
    bins, k, width = weight.shape
    if difference.dim() == 1:  # shared by the batch: one projection for every item
        projection = (difference @ weight.transpose(0, 1).reshape(k, bins * width)).reshape(bins, width)
        return torch.sigmoid(hidden @ projection.T + bias @ difference)
    projection = (difference @ weight.transpose(0, 1).reshape(k, bins * width)).reshape(-1, bins, width)
    offset = difference @ bias.T  # (batch, bins)
    return torch.sigmoid(torch.bmm(hidden, projection.transpose(1, 2)) + offset.unsqueeze(1))
