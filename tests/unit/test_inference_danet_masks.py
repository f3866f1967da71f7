"""inference.danet_masks: overlapping windows cross-faded without seams, blind attractors for a
whole clip from its hidden states (k-means on the embeddings of a bounded subsample of active bins),
and masks equal to those of the full embeddings."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from danet_music2vec.inference.danet_masks import (
    clip_attractors, crossfade, cut_windows, embeddings_at, hop_for, separate_masks, window_starts,
)
from danet_music2vec.models.attractors import active_bins, kmeans_attractors, masks_from_attractors
from danet_music2vec.models.danet import DANet, DanetConfig


def small_model() -> DANet:
    torch.manual_seed(0)
    model = DANet(DanetConfig(n_bins=9, layers=1, units=4, embedding_dim=3)).eval()
    model.fixed_attractors.copy_(torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))
    return model


@pytest.mark.parametrize("overlap, hop", [(0.5, 50), (0.25, 75), (0.0, 100)])
def test_crossfaded_windows_equal_the_whole_clip_for_a_framewise_mask(overlap, hop):
    """A mask that depends on each frame alone must come out identical to the whole-clip mask:
    the windowing adds nothing, so it leaves no seam, at any overlap."""
    spec = torch.rand(437, 9)
    windows, starts = cut_windows(spec, 100, overlap)
    assert starts[0] == 0 and starts[-1] == 337 and windows.shape == (len(starts), 100, 9)
    assert starts[:-1] == list(range(0, 337, hop))
    framewise = torch.sigmoid(3 * windows - 1)
    torch.testing.assert_close(crossfade(framewise, starts, 437), torch.sigmoid(3 * spec - 1))
    short = torch.rand(40, 9)
    windows, starts = cut_windows(short, 100)
    assert starts == [0] and windows.shape == (1, 100, 9)
    torch.testing.assert_close(crossfade(windows, starts, 40), short)


def test_the_hop_follows_the_overlap_and_an_overlap_outside_zero_to_one_is_refused():
    assert [hop_for(100, overlap) for overlap in (0.0, 0.25, 0.5, 0.99)] == [100, 75, 50, 1]
    for overlap in (1.0, -0.1):
        with pytest.raises(ValueError, match="overlap"):
            hop_for(100, overlap)


def test_window_starts_cover_the_clip_and_the_last_window_ends_at_its_end():
    assert window_starts(100, 100, 50) == [0] == window_starts(40, 100, 50)
    assert window_starts(250, 100, 50) == [0, 50, 100, 150]
    assert window_starts(260, 100, 50) == [0, 50, 100, 150, 160]


def identity_embedding_model() -> DANet:
    """3 bins, K = 3, H = 6 hidden units whose embedding layer is V[t, f] = h[t, :3] for every bin:
    the embeddings of a bin are the first three hidden units of its frame."""
    torch.manual_seed(0)
    model = DANet(DanetConfig(n_bins=3, layers=1, units=3, embedding_dim=3)).eval()
    model.fixed_attractors.copy_(torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))
    with torch.no_grad():
        weight = torch.zeros(3, 3, 6)
        weight[:, :, :3] = torch.eye(3)
        model.embed.weight.copy_(weight.reshape(9, 6))
        model.embed.bias.zero_()
    return model


def test_clip_attractors_fixed_kmeans_and_too_few_points():
    model = identity_embedding_model()
    hidden = torch.zeros(1, 4, 6)  # (windows, frames, H)
    hidden[0, :2, 0] = 2.0  # frames 0-1: every bin's embedding (2, 0, 0), near the music attractor
    hidden[0, 2:, 1] = 3.0  # frames 2-3: (0, 3, 0), noise-like
    hidden[0, :, 3:] = 7.0  # hidden units the embedding layer ignores
    weight = torch.ones(1, 4, 3)
    fixed = clip_attractors(model, hidden, weight, mode="fixed", max_points=100, seed=0)
    torch.testing.assert_close(fixed, model.fixed_attractors)
    found = clip_attractors(model, hidden, weight, mode="kmeans", max_points=100, seed=0)
    torch.testing.assert_close(found, torch.tensor([[2.0, 0.0, 0.0], [0.0, 3.0, 0.0]]))
    # A subsample of 4 of the 12 bins, seeded: the same seed, the same attractors.
    sub = [clip_attractors(model, hidden, weight, mode="kmeans", max_points=4, seed=s) for s in (7, 7)]
    torch.testing.assert_close(sub[0], sub[1], rtol=0, atol=0)
    one_bin = torch.zeros(1, 4, 3)
    one_bin[0, 0, 0] = 1.0  # fewer active bins than sources: the training attractors
    torch.testing.assert_close(clip_attractors(model, hidden, one_bin, mode="kmeans", max_points=100, seed=0),
                               model.fixed_attractors)
    with pytest.raises(ValueError, match="unknown attractor mode 'oracle'; allowed: kmeans, fixed"):
        clip_attractors(model, hidden, weight, mode="oracle", max_points=100, seed=0)


def test_embeddings_at_chosen_bins_are_those_of_the_full_forward_pass():
    model = small_model()
    mix = torch.rand(2, 30, 9)
    with torch.no_grad():
        full = model(mix)  # (2, 30, 9, 3)
        hidden = model.hidden(mix).reshape(-1, 8)  # 60 frames of H = 2 x 4
    flat = torch.tensor([0, 5, 9 * 7 + 2, 9 * 33 + 8, 9 * 59 + 4, 9 * 59 + 4])  # frame * bins + bin, a repeat too
    points = embeddings_at(model, hidden, flat, 9)
    expected = full.reshape(-1, 3)[flat]
    torch.testing.assert_close(points, expected, rtol=1e-5, atol=1e-6)


def test_embeddings_at_keeps_the_order_asked_whatever_order_the_bins_come_in():
    model = small_model()
    mix = torch.rand(2, 30, 9)
    with torch.no_grad():
        full = model(mix).reshape(-1, 3)
        hidden = model.hidden(mix).reshape(-1, 8)
    # bins interleaved, frames descending, repeats: grouping by bin must not reorder the result
    flat = torch.randperm(60 * 9, generator=torch.Generator().manual_seed(2))[:200]
    flat = torch.cat([flat, flat[:7].flip(0)])
    points = embeddings_at(model, hidden, flat, 9)
    torch.testing.assert_close(points, full[flat], rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(points[200:], points[:7].flip(0), rtol=0, atol=0)


def embedding_path_masks(model: DANet, mix: torch.Tensor, *, attractors: str, threshold_db: float,
                         max_points: int, seed: int) -> torch.Tensor:
    """Blind masks computed the way they were before hidden-state inference: every bin's embedding,
    k-means over the (subsampled) active ones, softmax masks of the embeddings."""
    windows, starts = cut_windows(mix, 100)
    embeddings = model(windows)
    weight, _ = cut_windows(active_bins(mix.unsqueeze(0), threshold_db)[0], 100)
    if attractors == "fixed":
        centres = model.fixed_attractors.clone()
    else:
        points = embeddings.reshape(-1, embeddings.shape[-1])[weight.reshape(-1) > 0]
        if points.shape[0] > max_points:
            rng = np.random.default_rng(seed)
            points = points[torch.from_numpy(np.sort(rng.choice(points.shape[0], max_points, replace=False)))]
        points = points.reshape(1, -1, 1, points.shape[-1])
        centres = kmeans_attractors(points, torch.ones(points.shape[:3]), model.fixed_attractors, n_iter=20)[0]
    return crossfade(masks_from_attractors(embeddings, centres), starts, mix.shape[0])


@pytest.mark.parametrize(("attractors", "max_points"), [("fixed", 50_000), ("kmeans", 50_000), ("kmeans", 300)])
def test_hidden_state_masks_equal_the_masks_of_the_embeddings(attractors, max_points):
    model = small_model()
    mix = torch.rand(237, 9) ** 3
    with torch.no_grad():
        expected = embedding_path_masks(model, mix, attractors=attractors, threshold_db=30, max_points=max_points,
                                        seed=4)
    masks = separate_masks(model, mix, window=100, attractors=attractors, threshold_db=30, max_points=max_points,
                           seed=4)
    torch.testing.assert_close(masks, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("frames", [30, 100, 237])
def test_blind_masks_of_a_whole_clip_have_its_shape_and_sum_to_one(frames):
    masks = separate_masks(small_model(), torch.rand(frames, 9), window=100, attractors="kmeans", threshold_db=40)
    assert masks.shape == (frames, 9, 2)
    torch.testing.assert_close(masks.sum(-1), torch.ones(frames, 9))
