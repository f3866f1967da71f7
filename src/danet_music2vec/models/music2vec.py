"""music2vec: genre classification with pretrained SoundNet conv7 features and an LSTM head.

The head follows the original study: LSTM(200) x 2 over SoundNet conv7 frames, then
dense 400, dense 100 and one output per genre (softmax). The original flattened the
LSTM outputs, which needs every clip padded to one length (675808 samples, 22 conv7
frames); here the LSTM outputs are pooled over time instead (``pooling``): ``mean`` (the
default) averages the last LSTM layer's outputs over a clip's frames, ``last`` takes
its final state. So clips of any length can be trained on and classified unpadded.
Hidden dense layers use ReLU; the head's inputs are centred per channel and scaled by
one standard deviation over all channels, statistics of the training frames (stored in
the model).

Frames: one conv7 frame covers 32768 samples (about 1.49 s at 22050 Hz; a 10 s clip
gives 8 frames, 30 s gives 21). The LAST conv7 frame of a clip is always dropped
(:func:`drop_last_frame`): SoundNet never trained it (it is half made of zero padding)
and its values are outliers (mean about 0.8 against about 0.001 elsewhere). A clip with
a single frame (shorter than about 2.2 s) keeps it.

A model file (:data:`MODEL_FORMAT`, written by :mod:`danet_music2vec.training.music2vec`)
holds the heads of an ensemble, the class names and, in finetune mode, the trained SoundNet
layers; :func:`load_classifier` rebuilds a :class:`GenreClassifier` from it and the
pretrained SoundNet weights.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

from .soundnet import CHANNELS, SoundNet8, embed, load_soundnet, min_samples, prepare_waveform, soundnet_fingerprint

POOLINGS = ("mean", "last")
LAYER = "conv7"
TRUNK_LAYERS = ("conv1", "conv2", "conv3", "conv4", "conv5", "conv6", "conv7")  # fine-tuned in finetune mode
MODEL_FORMAT = "music2vec-1"


@dataclass(frozen=True)
class HeadConfig:
    """Shape of the classifier head; ``n_classes`` comes from the data."""

    n_classes: int
    input_dim: int = CHANNELS[LAYER]
    lstm_units: int = 200
    lstm_layers: int = 2
    dense_units: tuple[int, ...] = (400, 100)
    dropout: float = 0.0
    pooling: str = "mean"

    def __post_init__(self) -> None:
        if self.pooling not in POOLINGS:
            raise ValueError(f"pooling must be one of {', '.join(POOLINGS)}, got {self.pooling!r}")
        if self.n_classes < 2:
            raise ValueError(f"a classifier needs at least 2 classes, got {self.n_classes}")
        object.__setattr__(self, "dense_units", tuple(int(u) for u in self.dense_units))


class GenreHead(nn.Module):
    """Standardise, LSTM x N, pool over time, dense layers: logits per genre.

    ``forward(frames, lengths)``: frames (batch, time, input_dim) padded at the end,
    lengths (batch,) the valid frames of each item (>= 1). Returns (batch, n_classes).
    """

    def __init__(self, config: HeadConfig) -> None:
        super().__init__()
        self.config = config
        self.register_buffer("input_mean", torch.zeros(config.input_dim))
        self.register_buffer("input_std", torch.ones(config.input_dim))
        self.lstm = nn.LSTM(config.input_dim, config.lstm_units, num_layers=config.lstm_layers, batch_first=True,
                            dropout=config.dropout if config.lstm_layers > 1 else 0.0)
        layers: list[nn.Module] = []
        width = config.lstm_units
        for units in config.dense_units:
            layers += [nn.Linear(width, units), nn.ReLU(), nn.Dropout(config.dropout)]
            width = units
        layers.append(nn.Linear(width, config.n_classes))
        self.dense = nn.Sequential(*layers)

    def forward(self, frames: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        if frames.dim() != 3 or frames.shape[-1] != self.config.input_dim:
            raise ValueError(f"expected frames (batch, time, {self.config.input_dim}), got {tuple(frames.shape)}")
        lengths = torch.as_tensor(lengths, dtype=torch.long).cpu()
        if lengths.shape != (frames.shape[0],) or int(lengths.min()) < 1 or int(lengths.max()) > frames.shape[1]:
            raise ValueError(f"lengths must be (batch,) values in 1..{frames.shape[1]}, got {lengths.tolist()}")
        x = (frames - self.input_mean) / self.input_std
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        outputs, (hidden, _) = self.lstm(packed)
        if self.config.pooling == "last":
            pooled = hidden[-1]  # the last layer's state after each item's last valid frame
        else:
            padded, _ = pad_packed_sequence(outputs, batch_first=True, total_length=frames.shape[1])
            mask = (torch.arange(frames.shape[1]).unsqueeze(0) < lengths.unsqueeze(1)).to(padded)
            pooled = (padded * mask.unsqueeze(-1)).sum(1) / lengths.to(padded).unsqueeze(1)
        return self.dense(pooled)


def drop_last_frame(frames: np.ndarray | torch.Tensor) -> np.ndarray | torch.Tensor:
    """All conv7 frames but the last (the untrained outlier); a single frame is kept."""
    return frames[:-1] if frames.shape[0] > 1 else frames


def clip_frames(soundnet: SoundNet8, audio: np.ndarray) -> np.ndarray:
    """The conv7 frames the head reads for one clip: (frames, 1024) float32, last frame dropped.

    ``audio``: mono float at 22050 Hz in [-1, 1]. No gradient (see :func:`clip_frames_grad`).
    """
    return np.ascontiguousarray(drop_last_frame(embed(soundnet, audio, layer=LAYER)))


def clip_frames_grad(soundnet: SoundNet8, audio: np.ndarray) -> torch.Tensor:
    """As :func:`clip_frames`, as a tensor that carries gradients to SoundNet (finetune mode).

    The model's BatchNorm layers must be in eval mode (pretrained running statistics).
    """
    x = prepare_waveform(audio).to(next(soundnet.parameters()).device)
    needed = min_samples(LAYER)
    if x.shape[-1] < needed:  # as embed(): tile a short clip
        x = x.repeat(1, 1, -(-needed // x.shape[-1]))[..., :needed]
    return drop_last_frame(soundnet(x, layer=LAYER)[0].T)


def trunk_state(soundnet: SoundNet8) -> dict[str, torch.Tensor]:
    return {k: v.detach().cpu().clone() for k, v in soundnet.state_dict().items() if k.split(".")[0] in TRUNK_LAYERS}


def trunk_parameters(soundnet: SoundNet8) -> list[nn.Parameter]:
    return [p for name, p in soundnet.named_parameters() if name.split(".")[0] in TRUNK_LAYERS]


class GenreClassifier:
    """A trained head with its SoundNet: class probabilities for whole clips.

    Build it with :func:`load_classifier`.
    """

    def __init__(self, heads: GenreHead | Sequence[GenreHead], class_names: Sequence[str], soundnet: SoundNet8,
                 mode: str, soundnet_print: str | None = None) -> None:
        self.heads = [h.eval() for h in ([heads] if isinstance(heads, GenreHead) else heads)]
        self.class_names = tuple(class_names)
        self.soundnet = soundnet.eval()
        self.mode = mode
        # :func:`soundnet_fingerprint` of ``soundnet`` (its weights are fixed from here on)
        self.soundnet_print = soundnet_print or soundnet_fingerprint(soundnet)

    def frames(self, audio: np.ndarray) -> np.ndarray:
        return clip_frames(self.soundnet, audio)

    def predict_frames(self, frames: Sequence[np.ndarray]) -> np.ndarray:
        """Probabilities (items, classes) for clips given as conv7 frames (an ensemble's mean)."""
        padded, lengths = pad_frames([torch.from_numpy(np.asarray(f, dtype=np.float32)) for f in frames])
        with torch.inference_mode():
            probabilities = [torch.softmax(head(padded, lengths).double(), dim=-1) for head in self.heads]
            return torch.stack(probabilities).mean(dim=0).numpy()

    def predict_proba(self, audio: np.ndarray) -> np.ndarray:
        """Probabilities (classes,) of one clip (mono, 22050 Hz, [-1, 1])."""
        return self.predict_frames([self.frames(audio)])[0]


def pad_frames(frames: Sequence[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    lengths = torch.tensor([f.shape[0] for f in frames], dtype=torch.long)
    return pad_sequence(list(frames), batch_first=True), lengths


def load_classifier(model_path: str | os.PathLike, soundnet_weights: str | os.PathLike) -> GenreClassifier:
    """A trained music2vec model file and the pretrained SoundNet weights it was trained from.

    Raises:
        FileNotFoundError: either file is missing.
        ValueError: not a music2vec model file, or trained from other SoundNet weights
            (both files named).
    """
    model_path = Path(model_path)
    if not model_path.is_file():
        raise FileNotFoundError(f"{model_path}: no such music2vec model file")
    soundnet = load_soundnet(soundnet_weights)
    state = torch.load(model_path, map_location="cpu", weights_only=True)
    if not isinstance(state, dict) or state.get("format") != MODEL_FORMAT:
        raise ValueError(f"{model_path}: not a music2vec model file ({MODEL_FORMAT})")
    found = soundnet_fingerprint(soundnet)
    if found != state["soundnet_fingerprint"]:
        raise ValueError(
            f"{model_path} was trained from SoundNet weights {state['soundnet_fingerprint']}, "
            f"but {soundnet_weights} holds weights {found}"
        )
    config = state["head_config"]
    heads = []
    for head_state in state.get("heads") or [state["head"]]:
        heads.append(GenreHead(HeadConfig(**{**config, "dense_units": tuple(config["dense_units"])})))
        heads[-1].load_state_dict(head_state)
    if state.get("trunk") is not None:  # finetune mode: the trained SoundNet layers
        missing, unexpected = soundnet.load_state_dict(state["trunk"], strict=False)
        if unexpected or any(k.split(".")[0] in TRUNK_LAYERS for k in missing):
            raise ValueError(f"{model_path}: SoundNet layers do not match (missing {missing}, unexpected {unexpected})")
        found = None  # the fine-tuned weights have a print of their own
    return GenreClassifier(heads, state["class_names"], soundnet, state["mode"], found)
