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

Two training modes (``Music2VecSettings.mode``):

* ``frozen``: SoundNet's pretrained weights stay fixed; the conv7 frames of every clip
  are computed once (:func:`write_feature_cache`, an HDF5 file) and the head trains on
  them, which is fast on a CPU.
* ``finetune``: the original study's setup: SoundNet conv1-conv7 and the head train
  together on the audio. BatchNorm keeps SoundNet's pretrained running statistics (eval
  mode; its scale and shift still train), so a clip's features do not depend on the
  other clips of its batch. conv8 and conv8_2 are not used.

Training conditions: ``clean`` (the clean music clips) and ``mixture`` (the training
and validation mixtures of every noise variant, 8 kHz, brought to 22050 Hz exactly as
the separation stage writes its classifier copies). Early stopping on the validation
loss of the same conditions keeps the best epoch.

Determinism and resume follow :mod:`danet_music2vec.training`: every random choice of an
epoch comes from generators seeded by (seed, epoch), a checkpoint is written atomically
after every epoch and resumed only when its fingerprint (settings, class names, input
data) matches, so a killed run resumes to the same final weights as an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence
from tqdm import tqdm

from .audio import load_audio
from .checkpoints import load_checkpoint, save_state, training_device
from .features import SegmentStore
from .fileio import atomic_path
from .soundnet import CHANNELS, SAMPLE_RATE, SoundNet8, embed, load_soundnet, min_samples, prepare_waveform

MODES = ("frozen", "finetune")
CONDITIONS = ("clean", "mixture")
POOLINGS = ("mean", "last")
LAYER = "conv7"
TRUNK_LAYERS = ("conv1", "conv2", "conv3", "conv4", "conv5", "conv6", "conv7")  # fine-tuned in finetune mode
MODEL_FORMAT = "music2vec-1"
CACHE_FORMAT = "music2vec-features-1"
ITEM_COLUMNS = ("id", "music_id", "label", "split", "snr_db", "condition", "audio_path", "store_path", "store_index")
CLASSIFY_BATCH = 32  # clips per forward pass of a head when classifying
HISTORY_COLUMNS = ("epoch", "train_loss", "valid_loss", "valid_accuracy", "seconds", "best")
PREDICTION_COLUMNS = ("id", "music_id", "label", "snr_db", "predicted")  # then prob_<genre> per genre
_STRING = h5py.string_dtype("utf-8")


# ----------------------------------------------------------------------------- settings


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


# ----------------------------------------------------------------------------- model


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


def soundnet_fingerprint(soundnet: SoundNet8) -> str:
    """Short hash of a SoundNet's weights: ties features and models to the weights they came from."""
    digest = hashlib.sha256()
    for key, value in sorted(soundnet.state_dict().items()):
        digest.update(key.encode())
        digest.update(value.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()[:16]


def _trunk_state(soundnet: SoundNet8) -> dict[str, torch.Tensor]:
    return {k: v.detach().cpu().clone() for k, v in soundnet.state_dict().items() if k.split(".")[0] in TRUNK_LAYERS}


def _trunk_parameters(soundnet: SoundNet8) -> list[nn.Parameter]:
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
        padded, lengths = _pad([torch.from_numpy(np.asarray(f, dtype=np.float32)) for f in frames])
        with torch.inference_mode():
            probabilities = [torch.softmax(head(padded, lengths).double(), dim=-1) for head in self.heads]
            return torch.stack(probabilities).mean(dim=0).numpy()

    def predict_proba(self, audio: np.ndarray) -> np.ndarray:
        """Probabilities (classes,) of one clip (mono, 22050 Hz, [-1, 1])."""
        return self.predict_frames([self.frames(audio)])[0]


def _pad(frames: Sequence[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
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


# ----------------------------------------------------------------------------- items and audio


def _manifest(manifest_csv: str | os.PathLike) -> pd.DataFrame:
    manifest = pd.read_csv(manifest_csv, dtype={"source": str, "clip_id": str, "label": str})
    return manifest.loc[manifest["usable"].astype(bool)]


def class_names_from_manifest(manifest_csv: str | os.PathLike) -> list[str]:
    """The genres of the usable music clips, sorted: the classifier's classes."""
    return sorted(_manifest(manifest_csv)["label"].unique())


def check_class_names(model_classes: Sequence[str], data_classes: Sequence[str], model_name: str = "the model") -> None:
    """Raise ValueError unless the model's classes are the data's genres, in order."""
    if list(model_classes) != list(data_classes):
        raise ValueError(f"{model_name} classifies {list(model_classes)}, but the data's genres are {list(data_classes)}")


def _labels(manifest_csv: str | os.PathLike, music_ids: Iterable[str], source: str) -> list[str]:
    labels = dict(zip(*(_manifest(manifest_csv)[c] for c in ("clip_id", "label"))))
    unknown = sorted({m for m in music_ids if m not in labels})
    if unknown:
        raise ValueError(f"{source}: music ids not among the usable clips of {manifest_csv}: {unknown[:5]}")
    return [labels[m] for m in music_ids]


def _items(rows: dict) -> pd.DataFrame:
    table = pd.DataFrame(rows)
    for column in ITEM_COLUMNS:
        if column not in table:
            table[column] = "" if column in ("audio_path", "store_path") else (-1 if column == "store_index" else np.nan)
    return table[list(ITEM_COLUMNS)].reset_index(drop=True)


def clean_items(manifest_csv: str | os.PathLike, splits_csv: str | os.PathLike,
                splits: Sequence[str] = ("train", "valid", "test")) -> pd.DataFrame:
    """Usable clean music clips of ``splits`` (ITEM_COLUMNS; snr_db empty)."""
    from .splitting import usable_with_splits

    table = usable_with_splits(manifest_csv, splits_csv)
    table = table.loc[table["usable"].astype(bool) & table["split"].isin(splits)].sort_values("clip_id")
    return _items({"id": table["clip_id"].astype(str), "music_id": table["clip_id"].astype(str),
                   "label": table["label"].astype(str), "split": table["split"], "snr_db": np.nan,
                   "condition": "clean", "audio_path": table["path"].astype(str)})


def mixture_items(stores: Iterable[str | os.PathLike], manifest_csv: str | os.PathLike) -> pd.DataFrame:
    """The mixtures of DANet feature files (results/features/{variant}/{split}.h5).

    ``id`` is ``<variant>/<mix_id>`` (mix ids repeat across variants).
    """
    tables = []
    for path in stores:
        with SegmentStore(path) as store:
            mixtures, attrs = store.mixtures(), store.attrs
        tables.append(pd.DataFrame({
            "id": [f"{attrs['variant']}/{m}" for m in mixtures["mix_id"]], "music_id": mixtures["music_id"].astype(str),
            "label": _labels(manifest_csv, mixtures["music_id"].astype(str), str(path)),
            "split": str(attrs["split"]), "snr_db": mixtures["snr_db"].astype(float), "condition": "mixture",
            "store_path": str(path), "store_index": np.arange(len(mixtures)),
        }))
    return _items(pd.concat(tables, ignore_index=True).to_dict("list")) if tables else _items({})


def separated_items(separation_dir: str | os.PathLike, manifest_csv: str | os.PathLike,
                    condition: str = "separated") -> pd.DataFrame:
    """The music outputs of one separation method (``index.csv``, ``music_22050_path``)."""
    separation_dir = Path(separation_dir)
    index_csv = separation_dir / "index.csv"
    if not index_csv.is_file():
        raise FileNotFoundError(f"{index_csv}: separation index not found")
    index = pd.read_csv(index_csv, dtype={"mix_id": str, "music_id": str})
    return _items({"id": index["mix_id"], "music_id": index["music_id"],
                   "label": _labels(manifest_csv, index["music_id"], str(index_csv)), "split": "test",
                   "snr_db": index["snr_db"].astype(float), "condition": condition,
                   "audio_path": [str(separation_dir / p) for p in index["music_22050_path"]]})


def check_audio_exists(items: pd.DataFrame) -> None:
    """Raise FileNotFoundError naming every missing audio or feature file of ``items``."""
    paths = [p for p in items["audio_path"].tolist() + items["store_path"].tolist() if p]
    missing = sorted({p for p in paths if not Path(p).is_file()})
    if missing:
        shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        raise FileNotFoundError(f"audio of {len(missing)} item(s) not found: {shown}")


class AudioReader:
    """Audio of an item at 22050 Hz: a file, or a mixture waveform of a feature file."""

    def __init__(self) -> None:
        self._stores: dict[str, SegmentStore] = {}

    def read(self, item: pd.Series | dict) -> np.ndarray:
        if item["store_path"]:
            from .separation import classifier_copy

            path = str(item["store_path"])
            if path not in self._stores:
                self._stores[path] = SegmentStore(path)
            store = self._stores[path]
            mixture = store.waveforms(int(item["store_index"]))["mixture"]
            # Exactly what the separation stage writes for the classifier, 16-bit PCM included.
            audio, _ = classifier_copy(mixture, int(store.attrs["sample_rate"]))
            return _pcm16(audio)
        audio, _ = load_audio(item["audio_path"], sample_rate=SAMPLE_RATE)
        return audio

    def close(self) -> None:
        for store in self._stores.values():
            store.close()
        self._stores.clear()

    def __enter__(self) -> "AudioReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _pcm16(audio: np.ndarray) -> np.ndarray:
    """The audio after a 16-bit PCM wav write and read (an in-memory round trip through libsndfile)."""
    import io

    import soundfile as sf

    buffer = io.BytesIO()
    sf.write(buffer, audio, SAMPLE_RATE, subtype="PCM_16", format="WAV")
    buffer.seek(0)
    return sf.read(buffer, dtype="float32")[0]


# ----------------------------------------------------------------------------- feature cache


def _file_digest(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_feature_cache(items: pd.DataFrame, out: str | os.PathLike, soundnet: SoundNet8, *,
                        progress: bool = True) -> pd.DataFrame:
    """SoundNet conv7 frames (last frame dropped) of every item, in one HDF5 file (atomic).

    Layout: ``frames`` (total frames, 1024) float32; ``items/<column>`` per ITEM_COLUMNS plus
    ``first_frame`` and ``n_frames``; attributes ``format``, ``layer``,
    ``soundnet_fingerprint``, ``content_hash`` (of the items and frames) and
    ``seconds_per_clip`` (mean SoundNet time).

    Returns:
        The items with ``first_frame``, ``n_frames`` and ``seconds`` (feature time per item).
    """
    check_audio_exists(items)
    items = items.reset_index(drop=True)
    digest = hashlib.sha256()
    firsts, counts, seconds = [], [], []
    total = 0
    dim = CHANNELS[LAYER]
    with atomic_path(out) as tmp, h5py.File(tmp, "w") as h5, AudioReader() as reader:
        frames_ds = h5.create_dataset("frames", shape=(0, dim), maxshape=(None, dim), dtype=np.float32,
                                      chunks=(64, dim), compression="lzf")
        rows = tqdm(items.iterrows(), total=len(items), desc="SoundNet features", mininterval=10,
                    ascii=True, disable=not progress)
        for _, item in rows:
            audio = reader.read(item)
            started = time.perf_counter()
            frames = clip_frames(soundnet, audio)
            seconds.append(time.perf_counter() - started)
            frames_ds.resize(total + frames.shape[0], axis=0)
            frames_ds[total:] = frames
            digest.update(frames.tobytes())
            firsts.append(total)
            counts.append(frames.shape[0])
            total += frames.shape[0]
        table = items.assign(first_frame=firsts, n_frames=counts)
        digest.update(table.to_csv(index=False).encode())
        for column in table.columns:
            values = table[column]
            if values.dtype == object or pd.api.types.is_string_dtype(values):
                h5.create_dataset(f"items/{column}", data=values.astype(str).tolist(), dtype=_STRING)
            else:
                h5.create_dataset(f"items/{column}", data=values.to_numpy())
        h5.attrs.update({"format": CACHE_FORMAT, "layer": LAYER, "last_frame_dropped": True,
                         "sample_rate": SAMPLE_RATE, "soundnet_fingerprint": soundnet_fingerprint(soundnet),
                         "content_hash": digest.hexdigest()[:16],
                         "seconds_per_clip": float(np.mean(seconds)) if seconds else 0.0})
    return table.assign(seconds=seconds)


def read_feature_cache(path: str | os.PathLike) -> tuple[pd.DataFrame, list[np.ndarray], dict]:
    """Items, their frames (one (n_frames, 1024) array each) and the attributes of a cache."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: SoundNet feature file not found")
    with h5py.File(path, "r") as h5:
        attrs = dict(h5.attrs)
        if attrs.get("format") != CACHE_FORMAT:
            raise ValueError(f"{path}: not a music2vec feature file ({CACHE_FORMAT})")
        group = h5["items"]
        table = pd.DataFrame({key: group[key].asstr()[:] if group[key].dtype.kind in "OS" else group[key][:]
                              for key in group.keys()})
        frames = h5["frames"][:]
    table["store_path"] = table["store_path"].fillna("") if "store_path" in table else ""
    arrays = [frames[f: f + n] for f, n in zip(table["first_frame"], table["n_frames"])]
    return table, arrays, attrs


# ----------------------------------------------------------------------------- training data


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
    items = _items(pd.concat(tables, ignore_index=True).to_dict("list")) if tables else _items({})
    return TrainingData(items, frames, "frozen:" + ",".join(hashes), next(iter(fingerprints), None))


def audio_training_data(items: pd.DataFrame) -> TrainingData:
    """Train and valid items read from their audio (finetune mode); identity from the files' bytes."""
    items = items.loc[items["split"].isin(["train", "valid"])].reset_index(drop=True)
    check_audio_exists(items)
    digest = hashlib.sha256(items.drop(columns=["audio_path", "store_path"]).to_csv(index=False).encode())
    for path in sorted(set(p for p in items["audio_path"].tolist() + items["store_path"].tolist() if p)):
        digest.update(_file_digest(path).encode())
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


# ----------------------------------------------------------------------------- training


def fingerprint(settings: Music2VecSettings, class_names: Sequence[str], data: TrainingData,
                soundnet_print: str) -> str:
    """What a checkpoint is valid for: settings, classes, input data, SoundNet weights."""
    parts = [json.dumps(asdict(settings), sort_keys=True), json.dumps(list(class_names)), data.identity, soundnet_print]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _seed_torch(seed: int, epoch: int) -> None:
    torch.manual_seed(int(np.random.default_rng([seed, epoch, 1]).integers(2**62)))


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
            frames, lengths = _pad([torch.from_numpy(self.data.frames[r]) for r in rows])
            return frames.to(self.device), lengths
        items = self.data.items
        with torch.set_grad_enabled(grad):
            return _pad([clip_frames_grad(self.soundnet, self.reader.read(items.iloc[r])) for r in rows])

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


def member_seed(seed: int, member: int) -> int:
    """Seed of an ensemble's member: the settings' own seed for the first, derived ones after it."""
    return seed if member == 0 else int(np.random.default_rng([seed, member]).integers(2**31 - 1))


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
    if settings.ensemble == 1:
        return _train_head(data, settings, class_names, model_out=model_out, history_out=history_out,
                           checkpoint=checkpoint, soundnet_weights=soundnet_weights, threads=threads,
                           device=device, stop_after_epoch=stop_after_epoch)
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
            history = _train_head(data, member_settings, class_names, model_out=member_model,
                                  history_out=folder / f"head{member}_history.csv",
                                  checkpoint=folder / f"head{member}.pt",
                                  soundnet_weights=soundnet_weights, threads=threads, device=device,
                                  stop_after_epoch=stop_after_epoch)
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
    return frame


def _train_head(
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
    """One head of :func:`train_music2vec` (its arguments), from its checkpoint if there is one."""
    torch.set_num_threads(threads)
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
    checkpoint = Path(checkpoint)
    stamp = fingerprint(settings, class_names, data, soundnet_print)

    device_ = training_device(device)
    _seed_torch(settings.seed, 0)
    head = GenreHead(settings.head_config(len(class_names))).to(device_)
    params: list[nn.Parameter] = list(head.parameters())
    groups = [{"params": list(head.parameters()), "lr": settings.learning_rate}]
    if finetune:
        for p in soundnet.parameters():
            p.requires_grad_(False)
        trunk = _trunk_parameters(soundnet)
        for p in trunk:
            p.requires_grad_(True)
        soundnet.to(device_).eval()  # pretrained BatchNorm statistics throughout
        groups.append({"params": trunk, "lr": settings.soundnet_learning_rate})
        params += trunk
    optimizer = torch.optim.Adam(groups)
    inputs = _Inputs(data, soundnet if finetune else None, device_)
    try:
        state = load_checkpoint(checkpoint, stamp)
        if state is None:
            if finetune:
                with torch.inference_mode(), AudioReader() as reader:
                    train_frames = [clip_frames(soundnet, reader.read(data.items.iloc[r])) for r in index["train"]]
            else:
                train_frames = [data.frames[r] for r in index["train"]]
            mean, std = _input_statistics(train_frames)
            head.input_mean.copy_(mean)
            head.input_std.copy_(std)
            history: list[dict] = []
            best_loss, best_state, bad_epochs = float("inf"), None, 0
        else:
            head.load_state_dict(state["head"])
            if finetune:
                soundnet.load_state_dict(state["trunk"], strict=False)
            optimizer.load_state_dict(state["optimizer"])
            history, best_loss, best_state, bad_epochs = (state["history"], state["best_loss"], state["best_state"],
                                                          state["bad_epochs"])
            print(f"resuming from {checkpoint} after epoch {len(history)}")
        for epoch in range(len(history) + 1, settings.max_epochs + 1):
            if bad_epochs >= settings.patience:
                break
            started = time.perf_counter()
            _seed_torch(settings.seed, epoch)
            train_loss, _ = _run_epoch(head, inputs, index["train"], labels, settings, optimizer, params, epoch)
            valid_loss, valid_accuracy = _run_epoch(head, inputs, index["valid"], labels, settings, None, params, epoch)
            improved = valid_loss < best_loss
            if improved:
                best_loss, bad_epochs = valid_loss, 0
                best_state = {"head": {k: v.detach().cpu().clone() for k, v in head.state_dict().items()},
                              "trunk": _trunk_state(soundnet) if finetune else None}
            else:
                bad_epochs += 1
            history.append({"epoch": epoch, "train_loss": train_loss, "valid_loss": valid_loss,
                            "valid_accuracy": valid_accuracy, "seconds": round(time.perf_counter() - started, 3),
                            "best": improved})
            print(f"epoch {epoch}: train loss {train_loss:.4f}, valid loss {valid_loss:.4f}, "
                  f"valid accuracy {valid_accuracy:.3f}{' (best)' if improved else ''}")
            save_state(checkpoint, {
                "fingerprint": stamp, "head": {k: v.cpu() for k, v in head.state_dict().items()},
                "trunk": _trunk_state(soundnet) if finetune else None,
                "optimizer": optimizer.state_dict(), "history": history, "best_loss": best_loss,
                "best_state": best_state, "bad_epochs": bad_epochs,
            })
            if stop_after_epoch is not None and epoch >= stop_after_epoch:
                return pd.DataFrame(history, columns=list(HISTORY_COLUMNS))
    finally:
        inputs.close()
    frame = pd.DataFrame(history, columns=list(HISTORY_COLUMNS))
    final = {"format": MODEL_FORMAT, "mode": settings.mode, "class_names": class_names,
             "head_config": asdict(head.config), "head": best_state["head"], "trunk": best_state["trunk"],
             "soundnet_fingerprint": soundnet_print, "settings": asdict(settings), "fingerprint": stamp,
             "history": frame.to_dict("list")}
    save_state(model_out, final)
    with atomic_path(history_out) as tmp:
        frame.to_csv(tmp, index=False)
    return frame


def plot_history(history: pd.DataFrame, title: str, out: str | os.PathLike) -> None:
    """Training and validation loss and validation accuracy per epoch, the kept epoch marked
    (an ensemble's heads in turn, each with its own curves)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    accuracy = ax.twinx()
    heads = list(history.groupby("head")) if "head" in history else [(None, history)]
    for i, (_, part) in enumerate(heads):
        first = i == 0
        ax.plot(part["epoch"], part["train_loss"], marker="o", color="tab:blue", alpha=0.7,
                label="train loss" if first else None)
        ax.plot(part["epoch"], part["valid_loss"], marker="o", color="tab:orange", alpha=0.7,
                label="validation loss" if first else None)
        best = part.loc[part["valid_loss"].idxmin()]
        ax.axvline(best["epoch"], color="grey", linestyle=":", alpha=0.7,
                   label=(f"kept (epoch {int(best['epoch'])})" if len(heads) == 1 else "kept epoch per head") if first else None)
        accuracy.plot(part["epoch"], part["valid_accuracy"], color="tab:green", marker=".", alpha=0.7,
                      label="validation accuracy" if first else None)
    ax.set_xlabel("epoch")
    ax.set_ylabel("cross-entropy")
    accuracy.set_ylim(0, 1)
    accuracy.set_ylabel("accuracy")
    lines = ax.get_legend_handles_labels()
    more = accuracy.get_legend_handles_labels()
    ax.legend(lines[0] + more[0], lines[1] + more[1], fontsize="small")
    ax.set_title(title if len(heads) == 1 else f"{title}, {len(heads)} heads")
    fig.tight_layout()
    with atomic_path(out) as tmp:
        fig.savefig(tmp, format="png", dpi=100)
    plt.close(fig)


# ----------------------------------------------------------------------------- classification


def classify_items(classifier: GenreClassifier, items: pd.DataFrame, *, progress: bool = True) -> pd.DataFrame:
    """Predictions for every item: PREDICTION_COLUMNS, then ``prob_<genre>`` per class.

    Raises:
        FileNotFoundError: an item's audio is missing (every missing file named), before
            anything is computed.
        ValueError: an item's genre is not among the classifier's classes.
    """
    return classify_items_with([classifier], items, progress=progress)[0]


def classify_items_with(classifiers: Sequence[GenreClassifier], items: pd.DataFrame, *,
                        progress: bool = True) -> list[pd.DataFrame]:
    """:func:`classify_items` for several classifiers, one table each, reading each clip once.

    Classifiers with the same SoundNet weights (all of them in frozen mode) share each clip's
    conv7 frames, so SoundNet runs once per clip and distinct set of weights.
    """
    check_audio_exists(items)
    _check_labels(classifiers, items, "items")
    prints = [c.soundnet_print for c in classifiers]
    trunks = {stamp: classifiers[prints.index(stamp)] for stamp in prints}
    frames: dict[str, list[np.ndarray]] = {stamp: [] for stamp in trunks}
    with AudioReader() as reader:
        rows = tqdm(items.to_dict("records"), total=len(items), desc="classify", mininterval=10, ascii=True,
                    disable=not progress)
        for item in rows:
            audio = reader.read(item)
            for stamp, owner in trunks.items():
                frames[stamp].append(owner.frames(audio))
    return [_prediction_table(c, items, frames[stamp]) for c, stamp in zip(classifiers, prints)]


def classify_cached_with(classifiers: Sequence[GenreClassifier], feature_file: str | os.PathLike, *,
                         splits: Sequence[str] | None = None) -> list[pd.DataFrame]:
    """Predictions of frozen-mode classifiers from a SoundNet feature file (no audio is read).

    The same tables as :func:`classify_items_with` on the file's items (those of ``splits``, if
    given), since the file holds the frames SoundNet gives for that audio.

    Raises:
        FileNotFoundError / ValueError: the file is missing or not a feature file (named).
        ValueError: a classifier was fine-tuned, or the file's features come from other
            SoundNet weights than a classifier's (file and both fingerprints named), or an
            item's genre is unknown to a classifier.
    """
    table, frames, attrs = read_feature_cache(feature_file)
    for classifier in classifiers:
        if classifier.mode != "frozen":
            raise ValueError(f"{feature_file}: cached features cannot feed a {classifier.mode}-mode classifier "
                             "(its SoundNet layers were trained); classify the audio instead")
        if attrs["soundnet_fingerprint"] != classifier.soundnet_print:
            raise ValueError(f"{feature_file}: features of SoundNet weights {attrs['soundnet_fingerprint']}, "
                             f"but the classifier uses weights {classifier.soundnet_print}")
    if splits is not None:
        keep = table["split"].isin(splits).to_numpy()
        table, frames = table.loc[keep].reset_index(drop=True), [f for f, k in zip(frames, keep) if k]
    _check_labels(classifiers, table, str(feature_file))
    return [_prediction_table(c, table, frames) for c in classifiers]


def _check_labels(classifiers: Sequence[GenreClassifier], items: pd.DataFrame, source: str) -> None:
    for classifier in classifiers:
        unknown = sorted(set(items["label"]) - set(classifier.class_names))
        if unknown:
            raise ValueError(f"{source}: items have genres {unknown} that the classifier does not know "
                             f"({list(classifier.class_names)})")


def _prediction_table(classifier: GenreClassifier, items: pd.DataFrame, frames: Sequence[np.ndarray]) -> pd.DataFrame:
    """PREDICTION_COLUMNS and ``prob_<genre>`` per class for ``items`` given their conv7 frames."""
    # The heads read the clips in batches (packed sequences: padding does not change a clip's output).
    batches = [classifier.predict_frames(frames[i: i + CLASSIFY_BATCH]) for i in range(0, len(items), CLASSIFY_BATCH)]
    probs = np.concatenate(batches) if batches else np.zeros((0, len(classifier.class_names)))
    table = pd.DataFrame({"id": items["id"].to_numpy(), "music_id": items["music_id"].to_numpy(),
                          "label": items["label"].to_numpy(), "snr_db": items["snr_db"].to_numpy(dtype=float),
                          "predicted": np.asarray(classifier.class_names)[probs.argmax(1)]})
    for j, name in enumerate(classifier.class_names):
        table[f"prob_{name}"] = probs[:, j]
    return table


def write_predictions(table: pd.DataFrame, out: str | os.PathLike) -> None:
    """Write a predictions table atomically (snr_db empty for clean music)."""
    with atomic_path(out) as tmp:
        table.to_csv(tmp, index=False)
