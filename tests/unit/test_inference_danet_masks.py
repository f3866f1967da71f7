"""inference.danet_masks: half-overlapping windows cross-faded without seams, and blind attractors
for a whole clip."""

from __future__ import annotations

import pytest
import torch

from danet_music2vec.inference.danet_masks import (
    clip_attractors, crossfade, cut_windows, separate_masks, window_starts,
)
from danet_music2vec.models.danet import DANet, DanetConfig


def small_model() -> DANet:
    torch.manual_seed(0)
    model = DANet(DanetConfig(n_bins=9, layers=1, units=4, embedding_dim=3)).eval()
    model.fixed_attractors.copy_(torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))
    return model


def test_crossfaded_windows_equal_the_whole_clip_for_a_framewise_mask():
    """A mask that depends on each frame alone must come out identical to the whole-clip mask:
    the windowing adds nothing, so it leaves no seam."""
    spec = torch.rand(437, 9)
    windows, starts = cut_windows(spec, 100)
    assert starts[0] == 0 and starts[-1] == 337 and windows.shape == (len(starts), 100, 9)
    framewise = torch.sigmoid(3 * windows - 1)
    torch.testing.assert_close(crossfade(framewise, starts, 437), torch.sigmoid(3 * spec - 1))
    short = torch.rand(40, 9)
    windows, starts = cut_windows(short, 100)
    assert starts == [0] and windows.shape == (1, 100, 9)
    torch.testing.assert_close(crossfade(windows, starts, 40), short)


def test_window_starts_cover_the_clip_and_the_last_window_ends_at_its_end():
    assert window_starts(100, 100, 50) == [0] == window_starts(40, 100, 50)
    assert window_starts(250, 100, 50) == [0, 50, 100, 150]
    assert window_starts(260, 100, 50) == [0, 50, 100, 150, 160]


def test_clip_attractors_fixed_kmeans_and_too_few_points():
    model = small_model()
    embeddings = torch.zeros(1, 4, 3, 3)  # (windows, frames, bins, K)
    embeddings[0, :2, :, 0] = 2.0  # music-like points near the music attractor
    embeddings[0, 2:, :, 1] = 3.0  # noise-like points
    weight = torch.ones(1, 4, 3)
    fixed = clip_attractors(model, embeddings, weight, mode="fixed", max_points=100, seed=0)
    torch.testing.assert_close(fixed, model.fixed_attractors)
    found = clip_attractors(model, embeddings, weight, mode="kmeans", max_points=100, seed=0)
    torch.testing.assert_close(found, torch.tensor([[2.0, 0.0, 0.0], [0.0, 3.0, 0.0]]))
    # A subsample of 4 of the 12 points, seeded: the same seed, the same attractors.
    sub = [clip_attractors(model, embeddings, weight, mode="kmeans", max_points=4, seed=s) for s in (7, 7)]
    torch.testing.assert_close(sub[0], sub[1], rtol=0, atol=0)
    one_bin = torch.zeros(1, 4, 3)
    one_bin[0, 0, 0] = 1.0  # fewer active bins than sources: the training attractors
    torch.testing.assert_close(clip_attractors(model, embeddings, one_bin, mode="kmeans", max_points=100, seed=0),
                               model.fixed_attractors)
    with pytest.raises(ValueError, match="unknown attractor mode 'oracle'; allowed: kmeans, fixed"):
        clip_attractors(model, embeddings, weight, mode="oracle", max_points=100, seed=0)


@pytest.mark.parametrize("frames", [30, 100, 237])
def test_blind_masks_of_a_whole_clip_have_its_shape_and_sum_to_one(frames):
    masks = separate_masks(small_model(), torch.rand(frames, 9), window=100, attractors="kmeans", threshold_db=40)
    assert masks.shape == (frames, 9, 2)
    torch.testing.assert_close(masks.sum(-1), torch.ones(frames, 9))
