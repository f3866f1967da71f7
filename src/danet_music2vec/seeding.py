"""Seeds derived from the config's seed: every random choice of the pipeline starts here.

A derived seed depends on the names of what it seeds (a clip id, an epoch, a member of an
ensemble), never on positions or on which other items exist, so adding clips, SNRs or heads
leaves the others' choices unchanged.
"""

from __future__ import annotations

import zlib

import numpy as np


def stable_hash(text: str) -> int:
    """A hash of ``text`` that, unlike ``hash()``, is the same in every process."""
    return zlib.crc32(text.encode("utf-8"))


def seed_torch(seed: int, epoch: int) -> None:
    """Seed torch's global generator for one epoch of a training (0: before the first)."""
    # Imported here: the mixture plans and the noise world need seeds, not torch, whose import
    # costs each of their jobs about 1.4 s.
    import torch

    torch.manual_seed(int(np.random.default_rng([seed, epoch, 1]).integers(2**62)))


def clip_seed(seed: int, mix_id: str) -> int:
    """Seed of one mixture's random choices (the k-means subsample), from its id alone.

    Not from its position in the file: adding SNRs or clips must not change the others.
    """
    return int(np.random.default_rng([seed, stable_hash(mix_id)]).integers(2**31))


def member_seed(seed: int, member: int) -> int:
    """Seed of an ensemble's member: the settings' own seed for the first, derived ones after it."""
    return seed if member == 0 else int(np.random.default_rng([seed, member]).integers(2**31 - 1))
