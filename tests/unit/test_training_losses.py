"""training.losses: both objectives on hand-made tensors, an unknown target refused, the stored
losses of fixed masks, and the music-mask form of the loss equal to the two-mask one."""

from __future__ import annotations

import math

import pytest
import torch

from danet_music2vec.models.danet import LOG_EPS
from danet_music2vec.training.losses import TARGETS, music_mask_loss, separation_loss


def test_magnitude_loss_is_the_mse_of_the_masked_linear_mixture():
    # One item, one frame, two bins; mixture magnitudes 2 and 4.
    mix = torch.tensor([[[2.0, 4.0]]])
    sources = torch.tensor([[[[1.5, 0.5], [1.0, 3.0]]]])
    masks = torch.tensor([[[[0.5, 0.5], [0.25, 0.75]]]])
    # estimates (1, 1) and (1, 3): errors 0.5, 0.5, 0, 0 -> mean of squares 0.125
    assert separation_loss(masks, mix, sources, "magnitude").item() == pytest.approx(0.125)
    perfect = sources / mix.unsqueeze(-1)
    assert separation_loss(perfect, mix, sources, "magnitude").item() == pytest.approx(0.0, abs=1e-12)


def test_log_magnitude_loss_masks_the_log_mixture_against_log_targets():
    mix = torch.tensor([[[1.0, math.e]]])
    sources = torch.tensor([[[[1.0, 0.0], [1.0, 1.0]]]])
    masks = torch.tensor([[[[1.0, 0.0], [0.5, 0.5]]]])
    log = lambda x: math.log(x + LOG_EPS)  # noqa: E731
    estimates = [1.0 * log(1.0), 0.0, 0.5 * log(math.e), 0.5 * log(math.e)]
    targets = [log(1.0), log(0.0), log(1.0), log(1.0)]
    expected = sum((e - t) ** 2 for e, t in zip(estimates, targets)) / 4
    assert separation_loss(masks, mix, sources, "log_magnitude").item() == pytest.approx(expected, rel=1e-6)
    assert TARGETS == ("magnitude", "log_magnitude")


def test_both_objectives_are_finite_on_silent_bins():
    masks = torch.full((1, 2, 3, 2), 0.5)
    mix = torch.zeros(1, 2, 3)
    sources = torch.zeros(1, 2, 3, 2)
    for target in ("magnitude", "log_magnitude"):
        assert torch.isfinite(separation_loss(masks, mix, sources, target))
    with pytest.raises(ValueError, match="unknown target 'db'"):
        separation_loss(masks, mix, sources, "db")


# --------------------------------------------------------------------------- regression vector


def test_losses_of_fixed_masks_match_the_stored_values():
    from regression import vectors

    stored = vectors.load(vectors.DANET_FILE)
    outputs = vectors.loss_outputs(stored["oracle_masks"], stored)
    for target in TARGETS:
        vectors.assert_close(outputs[f"loss_{target}"], stored[f"loss_{target}"], f"separation_loss({target!r})")



@pytest.mark.parametrize("target", TARGETS)
def test_the_music_mask_loss_is_the_separation_loss_of_the_two_masks(target):
    torch.manual_seed(4)
    mix = torch.rand(3, 7, 11, dtype=torch.float64)
    sources = torch.rand(3, 7, 11, 2, dtype=torch.float64)
    sources[0, 0, 0] = 0.0  # a silent bin: log targets at LOG_EPS
    music = torch.rand(3, 7, 11, dtype=torch.float64)
    stacked = torch.stack([music, 1.0 - music], dim=-1)
    torch.testing.assert_close(music_mask_loss(music, mix, sources, target), separation_loss(stacked, mix, sources, target),
                               rtol=1e-12, atol=0)
    with pytest.raises(ValueError, match="unknown target 'db'"):
        music_mask_loss(music, mix, sources, "db")


def test_music_mask_losses_of_the_stored_masks_match_the_stored_values():
    from regression import vectors

    stored = vectors.load(vectors.DANET_FILE)
    mix = torch.from_numpy(stored["mix_magnitude"])
    sources = torch.from_numpy(stored["source_magnitudes"])
    music = torch.from_numpy(stored["oracle_masks"][..., 0])
    for target in TARGETS:
        vectors.assert_close(music_mask_loss(music, mix, sources, target).numpy(), stored[f"loss_{target}"],
                             f"music_mask_loss({target!r})")
