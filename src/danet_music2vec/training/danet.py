"""DANet training on a feature file, validated on another, through the shared epoch loop
(:mod:`danet_music2vec.training.loop`): seeded, checkpointed every epoch, resumable, with early
stopping."""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from tqdm import tqdm

from ..data.features import SOURCES, SegmentStore
from ..fileio import atomic_path
from ..models.attractors import (
    active_bins, attractors_from_mask, attractors_from_sums, ideal_binary_mask, kmeans_attractors,
    masks_from_attractors, member_sums, music_mask_from_hidden,
)
from ..models.danet import NB_SOURCES, DANet, DanetConfig
from ..seeding import seed_torch
from .checkpoints import discard_checkpoint, run_fingerprint, save_state, training_device
from .loop import run_epochs
from .losses import TARGETS, music_mask_loss, separation_loss

HISTORY_COLUMNS = ("epoch", "train_loss", "valid_loss", "seconds", "kmeans_attractors", "best")
LR_SCHEDULES = ("constant", "cosine")


@dataclass(frozen=True)
class TrainSettings:
    """What a training run depends on besides its data; hashed into the checkpoint."""

    model: DanetConfig = field(default_factory=DanetConfig)
    target: str = "magnitude"
    kmeans_epochs: int = 0  # last epochs trained with k-means attractors (the original: 5 of 20)
    threshold_db: float = 40.0
    batch_size: int = 32
    learning_rate: float = 1e-3
    lr_schedule: str = "constant"  # or "cosine": decays to 0 over max_epochs, per step
    max_epochs: int = 10
    patience: int = 3
    grad_clip: float = 5.0
    block_segments: int = 512
    dynamic_mixing: bool = True  # remix music with other segments' noise each epoch
    remix_gain_db: float = 5.0  # and a random noise gain within +-this
    # Noise augmentation with dynamic mixing (0: off): a random smooth EQ over frequency and a
    # random smooth gain curve over time (each within +-this many dB), and the share of segments
    # whose noise is the sum of two segments' noises.
    noise_eq_db: float = 0.0
    noise_gain_curve_db: float = 0.0
    noise_mix_share: float = 0.0
    # A random time stretch and a random frequency scaling of each noise segment, by a factor
    # within 1/(1 + this) .. 1 + this (0: none): the same source faster or slower, higher or lower.
    noise_stretch: float = 0.0
    noise_pitch: float = 0.0
    shared_attractor_weight: float = 0.0  # share of the loss with one attractor pair for the whole batch
    seed: int = 0

    def __post_init__(self) -> None:
        if self.target not in TARGETS:
            raise ValueError(f"target must be one of {', '.join(TARGETS)}, got {self.target!r}")
        if self.lr_schedule not in LR_SCHEDULES:
            raise ValueError(f"lr_schedule must be one of {', '.join(LR_SCHEDULES)}, got {self.lr_schedule!r}")
        if not 0.0 <= self.shared_attractor_weight <= 1.0:
            raise ValueError(f"shared_attractor_weight must be in 0..1, got {self.shared_attractor_weight}")
        # k-means epochs start from the attractors of an earlier epoch, so one plain epoch comes first.
        if not 0 <= self.kmeans_epochs < self.max_epochs:
            raise ValueError(f"kmeans_epochs must be in 0..max_epochs-1 ({self.max_epochs - 1}), got {self.kmeans_epochs}")

    @classmethod
    def from_dict(cls, values: dict) -> "TrainSettings":
        values = dict(values)
        values["model"] = DanetConfig(**values.get("model", {}))
        return cls(**values)


def fingerprint(settings: TrainSettings, *feature_files: str | os.PathLike) -> str:
    """Hash of the settings and of the feature files' config hashes: what a checkpoint is valid for."""
    parts = [json.dumps(asdict(settings), sort_keys=True)]
    for path in feature_files:
        with SegmentStore(path) as store:
            parts.append(str(store.attrs.get("config_hash", "")))
    return run_fingerprint(*parts)


def _magnitudes(block: dict[str, np.ndarray], device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """Mixture magnitude (n, frames, bins) and stacked source magnitudes (n, frames, bins, 2)."""
    mix = torch.from_numpy(np.abs(block["mixture"])).to(device)
    sources = torch.from_numpy(np.stack([np.abs(block["music"]), np.abs(block["noise"])], axis=-1)).to(device)
    return mix, sources


def input_statistics(store: SegmentStore, block_segments: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-bin mean and standard deviation of the mixtures' log magnitude (padding frames left out)."""
    total = total_sq = None
    count = 0
    for start, stop in store.blocks(block_segments):
        mix = np.abs(store.read(start, stop, ("mixture",))["mixture"]).reshape(-1, store.attrs["n_bins"])
        mix = mix[mix.sum(axis=1) > 0]
        logs = np.log(mix.astype(np.float64) + 1e-4)
        total = logs.sum(0) if total is None else total + logs.sum(0)
        total_sq = (logs**2).sum(0) if total_sq is None else total_sq + (logs**2).sum(0)
        count += logs.shape[0]
    if count == 0:
        raise ValueError(f"{store.path}: no non-silent frames to normalise with")
    mean = total / count
    std = np.sqrt(np.maximum(total_sq / count - mean**2, 1e-8))
    return torch.from_numpy(mean).float(), torch.from_numpy(std).float()


def _batches(store: SegmentStore, settings: TrainSettings, rng: np.random.Generator | None):
    """Batches of segments; shuffled blocks and shuffled segments within a block when ``rng``.

    With ``rng`` and dynamic mixing, each music segment meets the noise of another
    segment of its block at a random gain: the STFT is linear, so the new mixture is
    the sum of the stored spectra, and every epoch sees mixtures it has not seen.
    """
    remix = rng is not None and settings.dynamic_mixing
    for start, stop in store.blocks(settings.block_segments, rng):
        # a remixed block's mixture is summed anew, so the stored one is not read
        block = store.read(start, stop, ("music", "noise") if remix else SOURCES)
        n = stop - start
        if remix:
            gains = 10.0 ** (rng.uniform(-settings.remix_gain_db, settings.remix_gain_db, n) / 20.0)
            noise = block["noise"][rng.permutation(n)] * gains.astype(np.float32).reshape(-1, 1, 1)
            noise = augment_noise(noise, block["noise"], settings, rng)
            block = {"music": block["music"], "noise": noise, "mixture": block["music"] + noise}
        order = rng.permutation(n) if rng is not None else np.arange(n)
        for first in range(0, len(order), settings.batch_size):
            index = np.sort(order[first: first + settings.batch_size])
            yield {name: values[index] for name, values in block.items()}


def _smooth_curves(rng: np.random.Generator, count: int, length: int, knots: int) -> np.ndarray:
    """(count, length) random curves in -1..1, smooth: linear between ``knots`` random values."""
    values = rng.uniform(-1.0, 1.0, (count, knots))
    grid = np.linspace(0, knots - 1, length)
    return np.stack([np.interp(grid, np.arange(knots), v) for v in values])


def augment_noise(noise: np.ndarray, pool: np.ndarray, settings: TrainSettings,
                  rng: np.random.Generator) -> np.ndarray:
    """Noise segments (n, frames, bins) complex, augmented as the settings ask (unchanged when all are 0).

    The STFT is linear, so a filter is a gain per bin, a level change a gain per frame and the
    sum of two noises the sum of their spectra: each augmentation is exact on the spectra.
    ``pool`` holds the block's noises the second noise of a sum is drawn from.
    """
    n, frames, bins = noise.shape
    if settings.noise_eq_db > 0:  # a random recording chain: a smooth gain over frequency
        eq_db = settings.noise_eq_db * _smooth_curves(rng, n, bins, 6)
        noise = noise * (10.0 ** (eq_db / 20.0)).astype(np.float32)[:, None, :]
    if settings.noise_gain_curve_db > 0:  # the source moving, the wind picking up
        curve_db = settings.noise_gain_curve_db * _smooth_curves(rng, n, frames, 4)
        noise = noise * (10.0 ** (curve_db / 20.0)).astype(np.float32)[:, :, None]
    if settings.noise_mix_share > 0:  # two noises at once, the second 0..6 dB below the first
        chosen = np.flatnonzero(rng.random(n) < settings.noise_mix_share)
        others = rng.integers(0, len(pool), chosen.size)
        level = (10.0 ** (-rng.uniform(0.0, 6.0, chosen.size) / 20.0)).astype(np.float32)
        noise = noise.copy()
        noise[chosen] += pool[others] * level[:, None, None]
    if settings.noise_stretch > 0:  # faster or slower, from a random frame where the span fits
        factors = _factors(rng, n, settings.noise_stretch)
        offsets = rng.uniform(0.0, 1.0, n) * np.maximum((frames - 1) * (1.0 - factors), 0.0)
        noise = resample_axis(noise, factors, axis=1, offsets=offsets, fold=True)
    if settings.noise_pitch > 0:  # higher or lower
        noise = resample_axis(noise, _factors(rng, n, settings.noise_pitch), axis=2)
    return noise.astype(np.complex64, copy=False)


def _factors(rng: np.random.Generator, count: int, spread: float) -> np.ndarray:
    """(count,) factors log-uniform in 1/(1 + spread) .. 1 + spread."""
    return np.exp(rng.uniform(-np.log1p(spread), np.log1p(spread), count))


def resample_axis(spectra: np.ndarray, factors: np.ndarray, *, axis: int, offsets: np.ndarray | None = None,
                  fold: bool = False) -> np.ndarray:
    """Complex spectra (n, frames, bins) resampled along frames (``axis=1``) or bins (``axis=2``).

    Item i's output position j reads input position ``offsets[i] + j * factors[i]``. Over frames
    that is a time stretch (a factor above one plays faster); over bins a frequency scaling (a
    factor below one moves the noise up). Positions past the end fold back with ``fold`` (a
    triangle wave, so every output frame reads real noise), and are silent without it (bins
    above the top). Magnitudes are interpolated linearly and each output keeps the phase of
    its nearest input position: interpolating complex values would cancel them, and the
    phase of a noise does not shape the mixture's magnitude statistics.
    """
    moved = np.moveaxis(spectra, axis, 1)  # (n, length, other)
    n, length, _ = moved.shape
    start = np.zeros(n) if offsets is None else offsets
    positions = start[:, None] + np.arange(length)[None, :] * factors[:, None]  # (n, length)
    if fold:
        period = 2.0 * (length - 1)
        positions = np.mod(positions, period)
        positions = np.where(positions > length - 1, period - positions, positions)
    inside = positions <= length - 1
    positions = np.minimum(positions, length - 1)
    low = np.floor(positions).astype(np.int64)
    high = np.minimum(low + 1, length - 1)
    frac = (positions - low).astype(np.float32)[:, :, None]
    rows = np.arange(n)[:, None]
    magnitude = np.abs(moved)
    interpolated = (1.0 - frac) * magnitude[rows, low] + frac * magnitude[rows, high]
    nearest = np.where(frac[:, :, 0] < 0.5, low, high)
    phase = moved[rows, nearest] / np.maximum(magnitude[rows, nearest], 1e-12)
    out = (interpolated * phase * inside[:, :, None]).astype(np.complex64)
    return np.moveaxis(out, 1, axis)


def _batch_loss(model: DANet, batch: dict, settings: TrainSettings, device: torch.device,
                kmeans: bool) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Loss of one batch, and its ideal-binary-mask attractors and their bin counts.

    With ideal-binary-mask attractors (the segment's own or the batch's) the attractors and
    masks come from the BLSTM's hidden states, without the (batch, frames, bins, K)
    embeddings; k-means epochs cluster the embeddings themselves.
    """
    mix, sources, weight, assignment, counts = _ideal_assignment(batch, settings, device)
    if kmeans:
        embeddings = model(mix)
        oracle = attractors_from_mask(embeddings, assignment, weight)
        attractors = kmeans_attractors(embeddings, weight, model.fixed_attractors)
        loss = separation_loss(masks_from_attractors(embeddings, attractors), mix, sources, settings.target)
        return loss, oracle.detach(), counts.detach()
    hidden, sums, bin_counts = _hidden_member_sums(model, mix, assignment, weight)
    layer = model.embedding_layer()
    oracle = attractors_from_sums(sums, bin_counts, *layer)
    shared_weight = settings.shared_attractor_weight
    loss = torch.zeros((), device=mix.device)
    if shared_weight < 1.0:
        music_mask = music_mask_from_hidden(hidden, oracle, *layer)
        loss = (1.0 - shared_weight) * music_mask_loss(music_mask, mix, sources, settings.target)
    if shared_weight > 0.0:
        shared = attractors_from_sums(sums, bin_counts, *layer, pooled=True)
        music_mask = music_mask_from_hidden(hidden, shared, *layer)
        loss = loss + shared_weight * music_mask_loss(music_mask, mix, sources, settings.target)
    return loss, oracle.detach(), counts.detach()


def _ideal_assignment(batch: dict, settings: TrainSettings, device: torch.device):
    """A batch's mixture and source magnitudes, its active bins (batch, frames, bins), the ideal
    binary mask (…, S) and each source's count of active bins (batch, S)."""
    mix, sources = _magnitudes(batch, device)
    weight = active_bins(mix, settings.threshold_db)
    assignment = ideal_binary_mask(sources)
    return mix, sources, weight, assignment, (assignment * weight.unsqueeze(-1)).sum(dim=(1, 2))


def _hidden_member_sums(model: DANet, mix: torch.Tensor, assignment: torch.Tensor, weight: torch.Tensor):
    """The BLSTM's hidden states of a batch and their sums over each source's active bins
    (:func:`~danet_music2vec.models.attractors.member_sums`)."""
    hidden = model.hidden(mix)
    return (hidden, *member_sums(hidden, assignment * weight.unsqueeze(-1)))


@torch.no_grad()
def mean_training_attractors(model: DANet, store: SegmentStore, settings: TrainSettings,
                             device: torch.device) -> torch.Tensor:
    """The mean ideal-binary-mask attractors (S, K) over a store's stored mixtures, float64.

    What a validation pass over the store returns as its attractors, bit for bit, without
    computing masks and a loss.
    """
    model.train(False)
    sums = torch.zeros(NB_SOURCES, model.config.embedding_dim, dtype=torch.float64)
    counts = torch.zeros(NB_SOURCES, dtype=torch.float64)
    layer = model.embedding_layer()
    for batch in _batches(store, settings, None):
        mix, _, weight, assignment, count = _ideal_assignment(batch, settings, device)
        _, member, bin_counts = _hidden_member_sums(model, mix, assignment, weight)
        sums += torch.einsum("bs,bsk->sk", count, attractors_from_sums(member, bin_counts, *layer)).double().cpu()
        counts += count.sum(0).double().cpu()
    return _weighted_attractor_mean(sums, counts, model.fixed_attractors.double().cpu())


def learning_rate_at(settings: TrainSettings, progress: float) -> float:
    """Learning rate after ``progress`` (0..1) of the ``max_epochs`` planned steps.

    A function of the step alone, so a resumed run follows the same schedule.
    """
    if settings.lr_schedule == "cosine":
        return settings.learning_rate * 0.5 * (1.0 + math.cos(math.pi * min(max(progress, 0.0), 1.0)))
    return settings.learning_rate


def _weighted_attractor_mean(total: torch.Tensor, count: torch.Tensor, previous: torch.Tensor) -> torch.Tensor:
    """Mean attractor per source; a source never seen keeps its previous value."""
    mean = total / count.clamp_min(1e-8).unsqueeze(-1)
    return torch.where(count.unsqueeze(-1) > 0, mean, previous)


def _run_epoch(model: DANet, store: SegmentStore, settings: TrainSettings, device: torch.device,
               optimizer: torch.optim.Optimizer | None, epoch: int, kmeans: bool,
               log_every: float = 10.0) -> tuple[float, torch.Tensor]:
    """One pass; trains when ``optimizer`` is given. Returns mean loss and mean attractors."""
    training = optimizer is not None
    model.train(training)
    rng = np.random.default_rng([settings.seed, epoch]) if training else None
    sums = torch.zeros(2, model.config.embedding_dim, dtype=torch.float64)
    counts = torch.zeros(2, dtype=torch.float64)
    loss_sum, n_batches = 0.0, 0
    n_total = sum(-(-(stop - start) // settings.batch_size) for start, stop in store.blocks(settings.block_segments))
    progress = tqdm(total=n_total, desc=f"epoch {epoch} {'train' if training else 'valid'}",
                    mininterval=log_every, miniters=1, ascii=True)
    with torch.set_grad_enabled(training):
        for batch in _batches(store, settings, rng):
            loss, oracle, count = _batch_loss(model, batch, settings, device, kmeans)
            if training:
                for group in optimizer.param_groups:
                    group["lr"] = learning_rate_at(settings, ((epoch - 1) * n_total + n_batches) / (settings.max_epochs * n_total))
                optimizer.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), settings.grad_clip)
                optimizer.step()
            sums += torch.einsum("bs,bsk->sk", count, oracle).double().cpu()
            counts += count.sum(0).double().cpu()
            loss_sum += loss.item()
            n_batches += 1
            progress.update(1)
    progress.close()
    if not np.isfinite(loss_sum):
        raise FloatingPointError(f"epoch {epoch}: the loss is not finite; lower the learning rate")
    return loss_sum / max(n_batches, 1), _weighted_attractor_mean(sums, counts, model.fixed_attractors.double().cpu())


class _DanetTraining:
    """One DANet run for :func:`danet_music2vec.training.loop.run_epochs`."""

    def __init__(self, model: DANet, optimizer: torch.optim.Optimizer, train: SegmentStore, valid: SegmentStore,
                 settings: TrainSettings, device: torch.device) -> None:
        self.model, self.optimizer, self.train, self.valid = model, optimizer, train, valid
        self.settings, self.device = settings, device

    def start(self) -> None:
        mean, std = input_statistics(self.train, self.settings.block_segments)
        self.model.input_mean.copy_(mean)
        self.model.input_std.copy_(std)

    def load(self, state: dict) -> None:
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])

    def state(self) -> dict:
        return {"model": self.model.state_dict(), "optimizer": self.optimizer.state_dict()}

    def epoch(self, epoch: int) -> dict:
        settings = self.settings
        kmeans = epoch > settings.max_epochs - settings.kmeans_epochs
        train_loss, attractors = _run_epoch(self.model, self.train, settings, self.device, self.optimizer, epoch, kmeans)
        self.model.fixed_attractors.copy_(attractors.float())
        valid_loss, _ = _run_epoch(self.model, self.valid, settings, self.device, None, epoch, False)
        return {"train_loss": train_loss, "valid_loss": valid_loss, "kmeans_attractors": kmeans}

    def snapshot(self) -> dict:
        return {k: v.detach().cpu().clone() for k, v in self.model.state_dict().items()}

    def describe(self, row: dict) -> str:
        return f"epoch {row['epoch']}: train {row['train_loss']:.6g} valid {row['valid_loss']:.6g}{' (best)' if row['best'] else ''}"


def train_danet(
    train_file: str | os.PathLike,
    valid_file: str | os.PathLike,
    settings: TrainSettings,
    *,
    model_out: str | os.PathLike,
    history_out: str | os.PathLike,
    checkpoint: str | os.PathLike,
    threads: int = 1,
    device: str | None = None,
    stop_after_epoch: int | None = None,
) -> pd.DataFrame:
    """Train a DANet on a feature file, validating on another; resume from ``checkpoint``.

    The checkpoint (written atomically after every epoch) is resumed only when it was
    made for the same settings and feature files; otherwise training starts afresh.
    The best epoch by validation loss is kept; training stops after ``patience`` epochs
    without improvement. The final model carries the input statistics and the mean
    training attractors (for the fixed-attractor mode and to label k-means clusters).

    Args:
        stop_after_epoch: end the run after this epoch without writing the outputs (tests).

    Returns:
        The history, one row per epoch (HISTORY_COLUMNS).
    """
    torch.set_num_threads(threads)
    device_ = training_device(device)
    checkpoint = Path(checkpoint)
    stamp = fingerprint(settings, train_file, valid_file)
    with SegmentStore(train_file) as train, SegmentStore(valid_file) as valid:
        n_bins = int(train.attrs["n_bins"])
        if n_bins != settings.model.n_bins:
            settings = TrainSettings.from_dict({**asdict(settings), "model": {**asdict(settings.model), "n_bins": n_bins}})
        seed_torch(settings.seed, 0)
        model = DANet(settings.model).to(device_)
        # fused: one kernel for every parameter's update instead of a dozen per tensor
        optimizer = torch.optim.Adam(model.parameters(), lr=settings.learning_rate, fused=True)
        progress = run_epochs(_DanetTraining(model, optimizer, train, valid, settings, device_),
                              max_epochs=settings.max_epochs, patience=settings.patience, seed=settings.seed,
                              checkpoint=checkpoint, fingerprint=stamp, stop_after_epoch=stop_after_epoch)
        if not progress.finished:
            return pd.DataFrame(progress.history, columns=list(HISTORY_COLUMNS))
        model.load_state_dict(progress.best_state)
        # The fixed attractors of the model that is kept, measured over the whole training set.
        attractors = mean_training_attractors(model, train, settings, device_)
        model.fixed_attractors.copy_(attractors.float())
    frame = pd.DataFrame(progress.history, columns=list(HISTORY_COLUMNS))
    final = {**model.cpu().state(), "settings": asdict(settings), "fingerprint": stamp,
             "history": frame.to_dict("list")}
    save_state(model_out, final)
    with atomic_path(history_out) as tmp:
        frame.to_csv(tmp, index=False)
    discard_checkpoint(checkpoint)
    return frame
