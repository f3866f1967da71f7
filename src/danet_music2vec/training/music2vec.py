"""Training of the music2vec genre classifier (an ensemble of heads) through the shared epoch
loop (:mod:`danet_music2vec.training.loop`).

Two training modes (``Music2VecSettings.mode``):

* ``frozen``: SoundNet's pretrained weights stay fixed; the conv7 frames of every clip
  are computed once (:func:`danet_music2vec.inference.embeddings.write_feature_cache`, an
  HDF5 file) and the head trains on them, which is fast on a CPU.
* ``finetune``: the original study's setup: SoundNet conv1-conv7 and the head train
  together on the audio. BatchNorm keeps SoundNet's pretrained running statistics (eval
  mode; its scale and shift still train), so a clip's features do not depend on the
  other clips of its batch. conv8 and conv8_2 are not used.

Training conditions: ``clean`` (the clean music clips) and ``mixture`` (the training
and validation mixtures of every noise variant, 8 kHz, brought to 22050 Hz exactly as
the separation stage writes its classifier copies). Early stopping on the validation
loss of the same conditions keeps the best epoch.

Determinism and resume are the shared loop's: every random choice of an epoch comes from
generators seeded by (seed, epoch), a checkpoint is written atomically after every epoch and
resumed only when its fingerprint (settings, class names, input data) matches, so a killed run
resumes to the same final weights as an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from torch import nn
from torch.nn import functional as F
from tqdm import tqdm

from ..data.items import AudioReader, check_audio_exists, item_table
from ..fileio import atomic_path
from ..inference.embeddings import file_digest, read_feature_cache
from ..methods import TRAINING_CONDITIONS
from ..models.music2vec import (
    MODEL_FORMAT, POOLINGS, GenreHead, HeadConfig, clip_frames, clip_frames_grad, pad_frames, trunk_parameters,
    trunk_state,
)
from ..models.soundnet import SoundNet8, load_soundnet, soundnet_fingerprint
from ..seeding import member_seed, seed_torch
from .checkpoints import discard_checkpoint, run_fingerprint, save_state, training_device
from .loop import run_epochs

MODES = ("frozen", "finetune")
CONDITIONS = TRAINING_CONDITIONS
HISTORY_COLUMNS = ("epoch", "train_loss", "valid_loss", "valid_accuracy", "seconds", "best")


@dataclass(frozen=True)
class Music2VecSettings:
    """What a training run depends on besides its data; hashed into the checkpoint."""

    mode: str = "frozen"
    training_conditions: tuple[str, ...] = ("clean",)
    lstm_units: int = 200
    lstm_layers: int = 2
    dense_units: tuple[int, ...] = (400, 100)
    dropout: float = 0.2
    pooling: str = "mean"
    batch_size: int = 16
    learning_rate: float = 1e-3
    soundnet_learning_rate: float = 1e-4  # finetune mode: SoundNet conv1-conv7
    max_epochs: int = 40
    patience: int = 8
    grad_clip: float = 5.0
    ensemble: int = 1  # heads trained from member seeds, class probabilities averaged (frozen mode)
    seed: int = 0

    def __post_init__(self) -> None:
        if self.ensemble < 1:
            raise ValueError(f"ensemble must be at least 1, got {self.ensemble}")
        if self.ensemble > 1 and self.mode != "frozen":
            raise ValueError(f"an ensemble of {self.ensemble} heads needs frozen mode: in {self.mode} mode every head "
                             "would fine-tune its own SoundNet")
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {self.mode!r}")
        conditions = tuple(self.training_conditions)
        unknown = [c for c in conditions if c not in CONDITIONS]
        if not conditions or unknown or len(set(conditions)) != len(conditions):
            raise ValueError(f"training_conditions must be distinct values of {CONDITIONS}, got {list(conditions)}")
        object.__setattr__(self, "training_conditions", conditions)
        object.__setattr__(self, "dense_units", tuple(int(u) for u in self.dense_units))
        if self.pooling not in POOLINGS:
            raise ValueError(f"pooling must be one of {', '.join(POOLINGS)}, got {self.pooling!r}")

    @classmethod
    def from_dict(cls, values: dict) -> "Music2VecSettings":
        return cls(**dict(values))

    def head_config(self, n_classes: int) -> HeadConfig:
        return HeadConfig(n_classes=n_classes, lstm_units=self.lstm_units, lstm_layers=self.lstm_layers,
                          dense_units=self.dense_units, dropout=self.dropout, pooling=self.pooling)


@dataclass
class TrainingData:
    """Training and validation items with their inputs (cached frames or audio)."""

    items: pd.DataFrame  # train and valid rows (ITEM_COLUMNS)
    frames: list[np.ndarray] | None  # frozen mode: one array per item; None: read the audio
    identity: str  # hash of the inputs, part of the checkpoint fingerprint
    soundnet_fingerprint: str | None = None  # of the weights the frames came from (frozen)


def frozen_training_data(feature_files: Iterable[str | os.PathLike]) -> TrainingData:
    """Train and valid items of SoundNet feature caches (all made from the same weights)."""
    tables, frames, hashes, fingerprints = [], [], [], set()
    for path in feature_files:
        table, arrays, attrs = read_feature_cache(path)
        keep = table["split"].isin(["train", "valid"]).to_numpy()
        tables.append(table.loc[keep])
        frames += [a for a, k in zip(arrays, keep) if k]
        hashes.append(str(attrs["content_hash"]))
        fingerprints.add(str(attrs["soundnet_fingerprint"]))
    if len(fingerprints) > 1:
        raise ValueError(f"feature files made from different SoundNet weights: {sorted(fingerprints)}")
    items = item_table(pd.concat(tables, ignore_index=True).to_dict("list")) if tables else item_table({})
    return TrainingData(items, frames, "frozen:" + ",".join(hashes), next(iter(fingerprints), None))


def audio_training_data(items: pd.DataFrame) -> TrainingData:
    """Train and valid items read from their audio (finetune mode); identity from the files' bytes."""
    items = items.loc[items["split"].isin(["train", "valid"])].reset_index(drop=True)
    check_audio_exists(items)
    digest = hashlib.sha256(items.drop(columns=["audio_path", "store_path"]).to_csv(index=False).encode())
    for path in sorted(set(p for p in items["audio_path"].tolist() + items["store_path"].tolist() if p)):
        digest.update(file_digest(path).encode())
    return TrainingData(items, None, "audio:" + digest.hexdigest()[:16])


def _select(data: TrainingData, settings: Music2VecSettings, class_names: Sequence[str]) -> dict[str, np.ndarray]:
    """Row indices of the train and valid items of the training conditions; checks labels."""
    items = data.items
    for condition in settings.training_conditions:
        if not (items["condition"] == condition).any():
            raise ValueError(f"training condition {condition!r} has no items in the training data")
    chosen = items["condition"].isin(settings.training_conditions)
    unknown = sorted(set(items.loc[chosen, "label"]) - set(class_names))
    if unknown:
        raise ValueError(f"training items have genres {unknown} that are not among the classes {list(class_names)}")
    index = {split: np.flatnonzero(chosen & (items["split"] == split)) for split in ("train", "valid")}
    for split, rows in index.items():
        if rows.size == 0:
            raise ValueError(f"no {split} items for the training conditions {list(settings.training_conditions)}")
    absent = sorted(set(class_names) - set(items.loc[index["train"], "label"]))
    if absent:
        raise ValueError(f"genres without training items: {absent}")
    return index


def fingerprint(settings: Music2VecSettings, class_names: Sequence[str], data: TrainingData,
                soundnet_print: str) -> str:
    """What a checkpoint is valid for: settings, classes, input data, SoundNet weights."""
    return run_fingerprint(json.dumps(asdict(settings), sort_keys=True), json.dumps(list(class_names)),
                           data.identity, soundnet_print)


def _input_statistics(frames: Iterable[np.ndarray]) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-channel mean of the frames, and one standard deviation over all channels.

    conv7 outputs are sparse (ReLU; about 99% zeros on music), so most channels have a
    tiny or zero spread of their own: dividing each by it would blow rare activations up
    into outliers. One shared scale keeps the channels' relative sizes.
    """
    total = None
    count = 0
    values: list[np.ndarray] = []
    for f in frames:
        f = np.asarray(f, dtype=np.float64)
        total = f.sum(0) if total is None else total + f.sum(0)
        count += f.shape[0]
        values.append(f)
    if count == 0:
        raise ValueError("no training frames to normalise with")
    mean = total / count
    spread = math.sqrt(sum(float(((f - mean) ** 2).sum()) for f in values) / (count * mean.size))
    std = np.full(mean.shape, max(spread, 1e-8))
    return torch.from_numpy(mean).float(), torch.from_numpy(std).float()


class _Inputs:
    """Conv7 frames of items: from the cache (frozen) or through SoundNet (finetune)."""

    def __init__(self, data: TrainingData, soundnet: SoundNet8 | None, device: torch.device) -> None:
        self.data = data
        self.soundnet = soundnet
        self.device = device
        self.reader = AudioReader() if data.frames is None else None

    def batch(self, rows: np.ndarray, grad: bool) -> tuple[torch.Tensor, torch.Tensor]:
        """Padded frames on the device, and the lengths (on the CPU, as packing wants them)."""
        if self.data.frames is not None:
            frames, lengths = pad_frames([torch.from_numpy(self.data.frames[r]) for r in rows])
            return frames.to(self.device), lengths
        items = self.data.items
        with torch.set_grad_enabled(grad):
            return pad_frames([clip_frames_grad(self.soundnet, self.reader.read(items.iloc[r])) for r in rows])

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()


def _run_epoch(head: GenreHead, inputs: _Inputs, rows: np.ndarray, labels: np.ndarray, settings: Music2VecSettings,
               optimizer: torch.optim.Optimizer | None, params: list[nn.Parameter], epoch: int
               ) -> tuple[float, float]:
    """One pass over ``rows``; trains when ``optimizer`` is given. Returns mean loss and accuracy."""
    training = optimizer is not None
    head.train(training)
    if training:
        rows = rows[np.random.default_rng([settings.seed, epoch]).permutation(rows.size)]
    loss_sum, correct = 0.0, 0
    progress = tqdm(total=-(-rows.size // settings.batch_size), desc=f"epoch {epoch} {'train' if training else 'valid'}",
                    mininterval=10, miniters=1, ascii=True)
    for first in range(0, rows.size, settings.batch_size):
        batch = rows[first: first + settings.batch_size]
        target = torch.from_numpy(labels[batch]).to(inputs.device)
        with torch.set_grad_enabled(training):
            frames, lengths = inputs.batch(batch, grad=training)
            logits = head(frames, lengths)
            loss = F.cross_entropy(logits, target)
        if training:
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, settings.grad_clip)
            optimizer.step()
        loss_sum += loss.item() * batch.size
        correct += int((logits.argmax(-1) == target).sum())
        progress.update(1)
    progress.close()
    if not math.isfinite(loss_sum):
        raise FloatingPointError(f"epoch {epoch}: the loss is not finite; lower the learning rate")
    return loss_sum / rows.size, correct / rows.size


def train_music2vec(
    data: TrainingData,
    settings: Music2VecSettings,
    class_names: Sequence[str],
    *,
    model_out: str | os.PathLike,
    history_out: str | os.PathLike,
    checkpoint: str | os.PathLike,
    soundnet_weights: str | os.PathLike | None = None,
    threads: int = 1,
    device: str | None = None,
    stop_after_epoch: int | None = None,
) -> pd.DataFrame:
    """Train the genre head (and in finetune mode SoundNet) with early stopping; resume a checkpoint.

    With ``settings.ensemble`` > 1, that many heads train one after another from
    :func:`member_seed` seeds, each as a run of its own (its checkpoint and finished model in
    the folder ``<checkpoint stem>_heads`` beside ``checkpoint``, so a killed ensemble resumes
    at the head it was training), and the model file holds them all; the classifier averages
    their class probabilities.

    Args:
        data: from :func:`frozen_training_data` (frozen mode) or :func:`audio_training_data`.
        class_names: the genres, in output order (:func:`class_names_from_manifest`).
        soundnet_weights: the pretrained weights (needed in finetune mode; in frozen mode
            optional, checked against the features' weights when given).
        device: where to train ("cuda", "cpu"); None: CUDA when a GPU is visible, else the CPU.
            The model file holds CPU tensors either way.
        stop_after_epoch: end the run after this epoch of the head being trained, without
            writing the outputs (tests).

    Returns:
        The history, one row per epoch (HISTORY_COLUMNS; an ensemble's with a ``head`` column first).
    """
    options = _RunOptions(soundnet_weights, threads, device, stop_after_epoch)
    if settings.ensemble == 1:
        return _train_head(data, settings, class_names, _RunFiles(model_out, history_out, checkpoint), options)
    checkpoint = Path(checkpoint)
    folder = checkpoint.with_name(f"{checkpoint.stem}_heads")  # made by the first head's first checkpoint
    members, histories = [], []
    for member in range(settings.ensemble):
        member_settings = replace(settings, ensemble=1, seed=member_seed(settings.seed, member))
        member_model = folder / f"head{member}_model.pt"
        # frozen mode: the head's SoundNet is the features' (the single-head run checks the weights)
        stamp = fingerprint(member_settings, class_names, data, str(data.soundnet_fingerprint))
        done = torch.load(member_model, map_location="cpu", weights_only=True) if member_model.is_file() else None
        if done is None or done.get("fingerprint") != stamp:
            print(f"head {member + 1} of {settings.ensemble} (seed {member_settings.seed})")
            files = _RunFiles(member_model, folder / f"head{member}_history.csv", folder / f"head{member}.pt")
            history = _train_head(data, member_settings, class_names, files, options)
            if stop_after_epoch is not None and not member_model.is_file():
                return history
            done = torch.load(member_model, map_location="cpu", weights_only=True)
        else:
            print(f"head {member + 1} of {settings.ensemble} (seed {member_settings.seed}): trained before, {member_model}")
        members.append(done)
        histories.append(pd.DataFrame(done["history"], columns=list(HISTORY_COLUMNS)).assign(head=member))
    frame = pd.concat(histories, ignore_index=True)[["head", *HISTORY_COLUMNS]]
    first = members[0]
    final = {**first, "heads": [m["head"] for m in members], "head": None, "settings": asdict(settings),
             "member_seeds": [m["settings"]["seed"] for m in members],
             "fingerprint": hashlib.sha256("".join(m["fingerprint"] for m in members).encode()).hexdigest()[:16],
             "history": frame.to_dict("list")}
    save_state(model_out, final)
    with atomic_path(history_out) as tmp:
        frame.to_csv(tmp, index=False)
    discard_checkpoint(folder)
    return frame


class _HeadTraining:
    """One head's run (and in finetune mode SoundNet's) for :func:`danet_music2vec.training.loop.run_epochs`."""

    def __init__(self, head: GenreHead, soundnet: SoundNet8 | None, optimizer: torch.optim.Optimizer,
                 params: list[nn.Parameter], inputs: _Inputs, data: TrainingData, index: dict[str, np.ndarray],
                 labels: np.ndarray, settings: Music2VecSettings) -> None:
        self.head, self.soundnet, self.optimizer, self.params = head, soundnet, optimizer, params
        self.inputs, self.data, self.index, self.labels, self.settings = inputs, data, index, labels, settings

    def start(self) -> None:
        if self.soundnet is not None:  # finetune: the frames SoundNet gives before any training
            with torch.inference_mode(), AudioReader() as reader:
                train_frames = [clip_frames(self.soundnet, reader.read(self.data.items.iloc[r]))
                                for r in self.index["train"]]
        else:
            train_frames = [self.data.frames[r] for r in self.index["train"]]
        mean, std = _input_statistics(train_frames)
        self.head.input_mean.copy_(mean)
        self.head.input_std.copy_(std)

    def load(self, state: dict) -> None:
        self.head.load_state_dict(state["head"])
        if self.soundnet is not None:
            self.soundnet.load_state_dict(state["trunk"], strict=False)
        self.optimizer.load_state_dict(state["optimizer"])

    def state(self) -> dict:
        return {"head": {k: v.cpu() for k, v in self.head.state_dict().items()},
                "trunk": trunk_state(self.soundnet) if self.soundnet is not None else None,
                "optimizer": self.optimizer.state_dict()}

    def epoch(self, epoch: int) -> dict:
        args = (self.head, self.inputs)
        train_loss, _ = _run_epoch(*args, self.index["train"], self.labels, self.settings, self.optimizer, self.params, epoch)
        valid_loss, valid_accuracy = _run_epoch(*args, self.index["valid"], self.labels, self.settings, None,
                                                self.params, epoch)
        return {"train_loss": train_loss, "valid_loss": valid_loss, "valid_accuracy": valid_accuracy}

    def snapshot(self) -> dict:
        return {"head": {k: v.detach().cpu().clone() for k, v in self.head.state_dict().items()},
                "trunk": trunk_state(self.soundnet) if self.soundnet is not None else None}

    def describe(self, row: dict) -> str:
        return (f"epoch {row['epoch']}: train loss {row['train_loss']:.4f}, valid loss {row['valid_loss']:.4f}, "
                f"valid accuracy {row['valid_accuracy']:.3f}{' (best)' if row['best'] else ''}")


@dataclass(frozen=True)
class _RunFiles:
    """Where one head's run writes: its model, history and checkpoint."""

    model: str | os.PathLike
    history: str | os.PathLike
    checkpoint: str | os.PathLike


@dataclass(frozen=True)
class _RunOptions:
    """How every head of a :func:`train_music2vec` call runs (its arguments of the same names)."""

    soundnet_weights: str | os.PathLike | None
    threads: int
    device: str | None
    stop_after_epoch: int | None


def _train_head(data: TrainingData, settings: Music2VecSettings, class_names: Sequence[str], files: _RunFiles,
                options: _RunOptions) -> pd.DataFrame:
    """One head of :func:`train_music2vec`, from its checkpoint if there is one."""
    soundnet_weights, device = options.soundnet_weights, options.device
    torch.set_num_threads(options.threads)
    class_names = list(class_names)
    finetune = settings.mode == "finetune"
    if finetune and data.frames is not None:
        raise ValueError("finetune mode trains on audio: use audio_training_data, not cached features")
    if not finetune and data.frames is None:
        raise ValueError("frozen mode trains on cached features: use frozen_training_data")
    soundnet = load_soundnet(soundnet_weights) if soundnet_weights is not None else None
    if finetune and soundnet is None:
        raise ValueError("finetune mode needs the SoundNet weights")
    soundnet_print = soundnet_fingerprint(soundnet) if soundnet is not None else str(data.soundnet_fingerprint)
    if not finetune and soundnet is not None and data.soundnet_fingerprint != soundnet_print:
        raise ValueError(f"the features were made from SoundNet weights {data.soundnet_fingerprint}, "
                         f"not from {soundnet_weights} ({soundnet_print})")
    index = _select(data, settings, class_names)
    labels = data.items["label"].map({name: i for i, name in enumerate(class_names)}).fillna(-1).to_numpy(np.int64)
    stamp = fingerprint(settings, class_names, data, soundnet_print)

    device_ = training_device(device)
    seed_torch(settings.seed, 0)
    head = GenreHead(settings.head_config(len(class_names))).to(device_)
    params: list[nn.Parameter] = list(head.parameters())
    groups = [{"params": list(head.parameters()), "lr": settings.learning_rate}]
    if finetune:
        for p in soundnet.parameters():
            p.requires_grad_(False)
        trunk = trunk_parameters(soundnet)
        for p in trunk:
            p.requires_grad_(True)
        soundnet.to(device_).eval()  # pretrained BatchNorm statistics throughout
        groups.append({"params": trunk, "lr": settings.soundnet_learning_rate})
        params += trunk
    optimizer = torch.optim.Adam(groups)
    inputs = _Inputs(data, soundnet if finetune else None, device_)
    try:
        training = _HeadTraining(head, soundnet if finetune else None, optimizer, params, inputs, data, index, labels,
                                 settings)
        progress = run_epochs(training, max_epochs=settings.max_epochs, patience=settings.patience, seed=settings.seed,
                              checkpoint=Path(files.checkpoint), fingerprint=stamp,
                              stop_after_epoch=options.stop_after_epoch)
    finally:
        inputs.close()
    frame = pd.DataFrame(progress.history, columns=list(HISTORY_COLUMNS))
    if not progress.finished:
        return frame
    best = progress.best_state
    final = {"format": MODEL_FORMAT, "mode": settings.mode, "class_names": class_names,
             "head_config": asdict(head.config), "head": best["head"], "trunk": best["trunk"],
             "soundnet_fingerprint": soundnet_print, "settings": asdict(settings), "fingerprint": stamp,
             "history": frame.to_dict("list")}
    save_state(files.model, final)
    with atomic_path(files.history) as tmp:
        frame.to_csv(tmp, index=False)
    discard_checkpoint(files.checkpoint)
    return frame
