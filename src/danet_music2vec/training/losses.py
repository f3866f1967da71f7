"""Training objectives of the DANet.

``magnitude`` is the DANet paper's: masks multiply the linear mixture magnitude and
the loss is the MSE to each source's magnitude, so loud bins count most. ``log_magnitude``
is the original study's: masks multiply the log magnitude, targets are log magnitudes.
It is kept so that setup can be rerun and compared, not because it works: at inference
the masks multiply the linear spectrum, which the log objective never trained.
"""

from __future__ import annotations

import torch

from ..models.danet import log_magnitude

TARGETS = ("magnitude", "log_magnitude")


def separation_loss(
    masks: torch.Tensor, mix_magnitude: torch.Tensor, source_magnitudes: torch.Tensor, target: str
) -> torch.Tensor:
    """Mean squared error of the masked mixture against each source.

    Args:
        masks: (batch, frames, bins, S).
        mix_magnitude: (batch, frames, bins).
        source_magnitudes: (batch, frames, bins, S).
        target: ``magnitude`` or ``log_magnitude``.
    """
    if target == "magnitude":
        estimate = masks * mix_magnitude.unsqueeze(-1)
        return torch.mean((estimate - source_magnitudes) ** 2)
    if target == "log_magnitude":
        estimate = masks * log_magnitude(mix_magnitude).unsqueeze(-1)
        return torch.mean((estimate - log_magnitude(source_magnitudes)) ** 2)
    raise ValueError(f"unknown target {target!r}; allowed: {', '.join(TARGETS)}")


def music_mask_loss(music_mask: torch.Tensor, mix_magnitude: torch.Tensor, source_magnitudes: torch.Tensor,
                    target: str) -> torch.Tensor:
    """:func:`separation_loss` of the two masks (music, 1 - music), without stacking them.

    Args:
        music_mask: (batch, frames, bins).
        mix_magnitude: (batch, frames, bins).
        source_magnitudes: (batch, frames, bins, 2), music then noise.
        target: ``magnitude`` or ``log_magnitude``.
    """
    if target == "magnitude":
        mixture, music, noise = mix_magnitude, source_magnitudes[..., 0], source_magnitudes[..., 1]
    elif target == "log_magnitude":
        mixture = log_magnitude(mix_magnitude)
        music, noise = log_magnitude(source_magnitudes[..., 0]), log_magnitude(source_magnitudes[..., 1])
    else:
        raise ValueError(f"unknown target {target!r}; allowed: {', '.join(TARGETS)}")
    music_estimate = music_mask * mixture
    # The noise estimate (1 - m) x is x - m x: one product fewer.
    return 0.5 * (torch.mean((music_estimate - music) ** 2) + torch.mean((mixture - music_estimate - noise) ** 2))
