"""Deep Attractor Network (Chen, Luo & Mesgarani 2017) for music/noise separation: the network.

A stacked BLSTM maps the normalised log magnitude of a mixture to a K-dimensional
embedding of every time-frequency bin. Source 0 is music and source 1 is noise, fixed
roles. The attractor and mask arithmetic shared by training and inference is in
:mod:`danet_music2vec.models.attractors`; blind whole-clip separation in
:mod:`danet_music2vec.inference.danet_masks`.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from torch import nn

MUSIC, NOISE = 0, 1
NB_SOURCES = 2
LOG_EPS = 1e-4  # the original study's log(|X| + 1e-4)


@dataclass(frozen=True)
class DanetConfig:
    """Architecture; stored in the checkpoint so a model file is self-describing."""

    n_bins: int = 129
    layers: int = 2
    units: int = 128
    embedding_dim: int = 20
    dropout: float = 0.0


class DANet(nn.Module):
    """BLSTM embedding network with input normalisation and training-set attractors.

    Buffers ``input_mean``/``input_std`` (per bin, from the training mixtures) and
    ``fixed_attractors`` (NB_SOURCES, K) travel with the weights.
    """

    def __init__(self, config: DanetConfig) -> None:
        super().__init__()
        self.config = config
        self.blstm = nn.LSTM(
            config.n_bins, config.units, num_layers=config.layers, batch_first=True,
            bidirectional=True, dropout=config.dropout if config.layers > 1 else 0.0,
        )
        self.embed = nn.Linear(2 * config.units, config.n_bins * config.embedding_dim)
        self.register_buffer("input_mean", torch.zeros(config.n_bins))
        self.register_buffer("input_std", torch.ones(config.n_bins))
        self.register_buffer("fixed_attractors", torch.zeros(NB_SOURCES, config.embedding_dim))

    def hidden(self, mix_magnitude: torch.Tensor) -> torch.Tensor:
        """(batch, frames, bins) linear magnitude -> (batch, frames, 2 * units) BLSTM outputs."""
        features = (log_magnitude(mix_magnitude) - self.input_mean) / self.input_std
        hidden, _ = self.blstm(features)
        return hidden

    def embedding_layer(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The linear embedding layer as weights (bins, K, 2 * units) and bias (bins, K).

        Embeddings are linear in the hidden states, V[t, f] = W[f] h[t] + b[f], so what is
        linear in V (attractors, mask logits) can be computed from h without V
        (:mod:`danet_music2vec.models.attractors`).
        """
        n_bins, k = self.config.n_bins, self.config.embedding_dim
        return self.embed.weight.reshape(n_bins, k, -1), self.embed.bias.reshape(n_bins, k)

    def forward(self, mix_magnitude: torch.Tensor) -> torch.Tensor:
        """(batch, frames, bins) linear magnitude -> (batch, frames, bins, K) embeddings."""
        hidden = self.hidden(mix_magnitude)
        batch, frames, _ = mix_magnitude.shape
        return self.embed(hidden).reshape(batch, frames, self.config.n_bins, self.config.embedding_dim)

    def state(self) -> dict:
        """Everything needed to rebuild the model: config and tensors."""
        return {"config": asdict(self.config), "state_dict": self.state_dict()}

    @classmethod
    def from_state(cls, state: dict) -> "DANet":
        model = cls(DanetConfig(**state["config"]))
        model.load_state_dict(state["state_dict"])
        return model


def log_magnitude(magnitude: torch.Tensor) -> torch.Tensor:
    return torch.log(magnitude + LOG_EPS)


def load_danet(path: str | os.PathLike) -> DANet:
    """A trained model file, loaded without unpickling arbitrary objects."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such DANet model file")
    state = torch.load(path, map_location="cpu", weights_only=True)
    try:
        model = DANet.from_state(state)
    except (KeyError, RuntimeError, TypeError) as error:
        raise ValueError(f"{path}: not a DANet model file of this version ({error})") from error
    model.eval()
    return model
