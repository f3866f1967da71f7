"""Mixtures of music and environmental noise at a controlled SNR.

The original study added the STFTs of music and noise at whatever level each file
had. Here the music-to-noise SNR is set, noise clips are looped or cropped to the
music length from a seeded offset, and a plan (music id, noise ids, offsets, SNR)
makes every mixture reproducible before any audio is decoded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..seeding import stable_hash
from .datasets import SPLITS


class MixingError(ValueError):
    """A mixture that cannot be made as asked (silent input, empty noise pool)."""




def plan_mixtures(
    music: pd.DataFrame,
    noise: pd.DataFrame,
    *,
    n_noises: int,
    snr_db_by_split: dict[str, list[float]],
    seed: int,
    unseen_share: float = 0.5,
) -> pd.DataFrame:
    """Choose noise clips and offsets for every music clip; one row per (clip, SNR).

    Music of a split is mixed only with noise of the same split. Each music clip's
    choices come from its own generator, seeded by (seed, n_noises, clip id), so a
    plan row does not depend on which other clips exist; the same noises and offsets
    serve every SNR of a clip, so an SNR sweep changes nothing but the level.

    Where a split's noise holds both classes seen in training and held-out ones (the noise
    table's ``heldout`` column), each music clip draws all its noises from the held-out
    classes with probability ``unseen_share``, else from the seen ones, and the row says
    which (``noise_classes``: ``unseen`` or ``seen``).

    Args:
        music: usable music clips: clip_id, split.
        noise: usable noise clips: clip_id, split, label, duration_s, optionally heldout.
        n_noises: noise clips summed into one noise target (1 or 2 in the study).
        snr_db_by_split: SNRs (dB) per split; splits left out are not planned.

    Returns:
        Columns mix_id, split, music_id, snr_db, noise_ids, noise_offsets_s (the last
        two ';'-joined so the CSV stays one row per mixture) and noise_classes.
    """
    rows = []
    for split in SPLITS:
        if split not in snr_db_by_split:
            continue  # a plan per split: the others are planned by their own jobs
        clips = music.loc[music["split"] == split].sort_values("clip_id")
        if clips.empty:
            continue
        pool = noise.loc[noise["split"] == split].sort_values("clip_id").reset_index(drop=True)
        heldout = pool["heldout"].astype(bool) if "heldout" in pool else pd.Series(False, index=pool.index)
        groups = {"seen": pool.loc[~heldout].reset_index(drop=True), "unseen": pool.loc[heldout].reset_index(drop=True)}
        for name, group in groups.items():
            if len(group) and len(group) < n_noises:
                raise MixingError(f"split {split!r} has {len(group)} usable {name}-class noise clips; "
                                  f"{n_noises} are needed per mixture")
        if len(pool) < n_noises:
            raise MixingError(
                f"split {split!r} has {len(pool)} usable noise clips; {n_noises} are needed per mixture"
            )
        for music_id in clips["clip_id"]:
            rng = np.random.default_rng([seed, n_noises, stable_hash(music_id)])
            group = "unseen" if len(groups["seen"]) == 0 else "seen"
            if len(groups["seen"]) and len(groups["unseen"]):
                group = "unseen" if rng.random() < unseen_share else "seen"
            chosen_pool = groups[group]
            chosen = _choose_noises(chosen_pool, n_noises, rng)
            offsets = [float(rng.uniform(*_active_part(chosen_pool, i))) for i in chosen]
            for snr in snr_db_by_split[split]:
                rows.append({
                    "mix_id": f"{music_id}+snr{snr:g}",
                    "split": split,
                    "music_id": music_id,
                    "snr_db": float(snr),
                    "noise_ids": ";".join(chosen_pool.loc[chosen, "clip_id"]),
                    "noise_offsets_s": ";".join(f"{o:.6f}" for o in offsets),
                    "noise_classes": group,
                })
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)


PLAN_COLUMNS = ["mix_id", "split", "music_id", "snr_db", "noise_ids", "noise_offsets_s", "noise_classes"]


def plan_mixture_set(
    music: pd.DataFrame,
    noise: pd.DataFrame,
    *,
    name: str,
    source_split: str,
    snr_db: list[float],
    max_clips: int,
    n_noises: int,
    seed: int,
    unseen_share: float = 0.5,
) -> pd.DataFrame:
    """Mixtures of one split's music and noise at other SNRs, under another name (``split`` column).

    The calibration set (validation music at the SNRs the no-harm stage is fitted at) and the
    denoiser-training set (training music at those SNRs) are such sets. A seeded subset of at
    most ``max_clips`` music clips (0: all) is mixed; each keeps the noises and offsets it has in
    :func:`plan_mixtures`, so only the level differs from the split's own mixtures.
    """
    clips = sorted(music.loc[music["split"] == source_split, "clip_id"])
    if 0 < max_clips < len(clips):
        chosen = np.random.default_rng([seed, stable_hash(name)]).choice(len(clips), size=max_clips, replace=False)
        clips = [clips[i] for i in sorted(chosen)]
    plan = plan_mixtures(music.loc[music["clip_id"].isin(clips)], noise, n_noises=n_noises,
                         snr_db_by_split={source_split: snr_db}, seed=seed, unseen_share=unseen_share)
    return plan.assign(split=name)


def _choose_noises(pool: pd.DataFrame, n_noises: int, rng: np.random.Generator) -> list[int]:
    """Distinct clips, from distinct categories while the pool has enough of them."""
    labels = pool["label"].unique()
    if len(labels) >= n_noises:
        picked_labels = rng.choice(labels, size=n_noises, replace=False)
        return [int(rng.choice(np.flatnonzero(pool["label"].to_numpy() == label))) for label in picked_labels]
    return [int(i) for i in rng.choice(len(pool), size=n_noises, replace=False)]


def _active_part(pool: pd.DataFrame, row: int) -> tuple[float, float]:
    if "active_start_s" in pool.columns:
        return float(pool.at[row, "active_start_s"]), float(pool.at[row, "active_end_s"])
    return 0.0, float(pool.at[row, "duration_s"])


def loop_to_length(noise: np.ndarray, n_samples: int, offset: int) -> np.ndarray:
    """Noise of exactly ``n_samples``, read circularly from ``offset``.

    Args:
        noise: (nb_samples_noise,).
    """
    if noise.size == 0:
        raise MixingError("noise clip holds no samples")
    return np.take(noise, (offset + np.arange(n_samples)) % noise.size)


def power(audio: np.ndarray) -> float:
    return float(np.mean(np.square(audio, dtype=np.float64)))


def measured_snr_db(music: np.ndarray, noise: np.ndarray) -> float:
    """10 log10 of the music power over the noise power."""
    return 10.0 * np.log10(power(music) / power(noise))


@dataclass
class Mixture:
    """One mixture: waveforms of shape (nb_samples,) and the gain applied to each noise clip."""

    mixture: np.ndarray
    music: np.ndarray
    noise: np.ndarray
    noise_gains: list[float]


def mix_at_snr(
    music: np.ndarray, noises: list[np.ndarray], offsets: list[int], snr_db: float, *, name: str = "mixture"
) -> Mixture:
    """Add noise to music at a music-to-noise SNR.

    Each noise clip is looped to the music's length from its offset and brought to
    unit power, so with two noises neither drowns the other; their sum is then
    scaled to the requested SNR. The music keeps its level.

    Args:
        music: (nb_samples,).
        noises: clips of any length (nb_samples_i,).
        offsets: start sample in each noise clip.
        name: used in error messages (the mixture id).
    """
    music_power = power(music)
    if music_power <= 0.0:
        raise MixingError(f"{name}: the music is silent, so no SNR can be set")
    looped = [loop_to_length(n, music.size, o).astype(np.float64) for n, o in zip(noises, offsets)]
    unit_gains = []
    for clip in looped:
        clip_power = power(clip)
        if clip_power <= 0.0:
            raise MixingError(f"{name}: a noise clip is silent over the chosen span")
        unit_gains.append(1.0 / np.sqrt(clip_power))
    total = sum(g * c for g, c in zip(unit_gains, looped))
    scale = np.sqrt(music_power / (power(total) * 10.0 ** (snr_db / 10.0)))
    noise = (scale * total).astype(np.float32)
    music = music.astype(np.float32)
    return Mixture(
        mixture=music + noise, music=music, noise=noise, noise_gains=[float(scale * g) for g in unit_gains]
    )
