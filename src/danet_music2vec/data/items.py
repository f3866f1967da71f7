"""What the genre classifier reads: item tables of clips and mixtures, and their audio at 22050 Hz.

An item is one clip to train on or classify (ITEM_COLUMNS): clean music (a file of the
manifest), a mixture (a waveform in a DANet feature file, brought to 22050 Hz exactly as the
separation stage writes its classifier copies) or a separation method's music output.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..audio import classifier_input, load_audio, observation_added
from ..models.soundnet import SAMPLE_RATE
from .features import SegmentStore
from .splitting import usable_with_splits

# audio_gain: set for a separation method's stored 8 kHz estimate (the gain it was stored with),
# empty for a clip read at its own rate.
# mix_weight: the share of the mixture (the feature file's, store_path/store_index) added back to
# the estimate, for a no-harm output; empty otherwise.
ITEM_COLUMNS = ("id", "music_id", "label", "split", "snr_db", "condition", "audio_path", "audio_gain", "mix_weight",
                "store_path", "store_index")


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


def item_table(rows: dict) -> pd.DataFrame:
    table = pd.DataFrame(rows)
    for column in ITEM_COLUMNS:
        if column not in table:
            table[column] = "" if column in ("audio_path", "store_path") else (-1 if column == "store_index" else np.nan)
    return table[list(ITEM_COLUMNS)].reset_index(drop=True)


def clean_items(manifest_csv: str | os.PathLike, splits_csv: str | os.PathLike,
                splits: Sequence[str] = ("train", "valid", "test")) -> pd.DataFrame:
    """Usable clean music clips of ``splits`` (ITEM_COLUMNS; snr_db empty)."""
    table = usable_with_splits(manifest_csv, splits_csv)
    table = table.loc[table["usable"].astype(bool) & table["split"].isin(splits)].sort_values("clip_id")
    return item_table({"id": table["clip_id"].astype(str), "music_id": table["clip_id"].astype(str),
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
    return item_table(pd.concat(tables, ignore_index=True).to_dict("list")) if tables else item_table({})


def separated_items(separation_dir: str | os.PathLike, manifest_csv: str | os.PathLike,
                    condition: str = "separated", features: str | os.PathLike | None = None,
                    split: str = "test", mix_weights: Sequence[float] | None = None) -> pd.DataFrame:
    """The music outputs of one separation method (``index.csv``: ``music_path``, ``music_gain``,
    ``mix_weight``), each item read from the 8 kHz estimate.

    Args:
        features: the feature file of the separated mixtures; needed where a mixture is added
            back (a no-harm output, or ``mix_weights``).
        mix_weights: the estimates again at each of these weights of the mixture (ids
            ``<mix_id>@<weight>``), instead of the index's own weight.
    """
    separation_dir = Path(separation_dir)
    index_csv = separation_dir / "index.csv"
    if not index_csv.is_file():
        raise FileNotFoundError(f"{index_csv}: separation index not found")
    index = pd.read_csv(index_csv, dtype={"mix_id": str, "music_id": str})
    weights = index["mix_weight"].astype(float) if "mix_weight" in index else pd.Series(0.0, index=index.index)
    positions = None
    if features is not None:
        with SegmentStore(features) as store:
            table = store.mixtures()
        position = {m: i for i, m in enumerate(table["mix_id"])}
        absent = sorted(set(index["mix_id"]) - set(position))
        if absent:
            raise ValueError(f"{index_csv}: mixtures not in {features}: {absent[:5]}")
        positions = [position[m] for m in index["mix_id"]]
    elif (weights > 0).any() or mix_weights is not None:
        raise ValueError(f"{index_csv}: estimates with the mixture added back need the feature file")
    base = {"music_id": index["music_id"], "label": _labels(manifest_csv, index["music_id"], str(index_csv)),
            "split": split, "snr_db": index["snr_db"].astype(float), "condition": condition,
            "audio_path": [str((separation_dir / p).resolve()) for p in index["music_path"]],
            "audio_gain": index["music_gain"].astype(float),
            "store_path": str(features) if features is not None else "",
            "store_index": positions if positions is not None else -1}
    if mix_weights is None:
        return item_table({"id": index["mix_id"], **base, "mix_weight": weights})
    parts = [item_table({"id": [f"{m}@{w:g}" for m in index["mix_id"]], **base, "mix_weight": float(w)})
             for w in mix_weights]
    return pd.concat(parts, ignore_index=True)


def check_audio_exists(items: pd.DataFrame) -> None:
    """Raise FileNotFoundError naming every missing audio or feature file of ``items``."""
    paths = [p for p in items["audio_path"].tolist() + items["store_path"].tolist() if p]
    missing = sorted({p for p in paths if not Path(p).is_file()})
    if missing:
        shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        raise FileNotFoundError(f"audio of {len(missing)} item(s) not found: {shown}")


class AudioReader:
    """Audio of an item at 22050 Hz: a clip file, a separation method's 8 kHz estimate, or a
    mixture waveform of a feature file; whatever comes from 8 kHz goes through the same
    classifier copy (:func:`~danet_music2vec.audio.classifier_input`)."""

    def __init__(self) -> None:
        self._stores: dict[str, SegmentStore] = {}

    def read(self, item: pd.Series | dict) -> np.ndarray:
        gain = item.get("audio_gain", np.nan)
        if gain is not None and np.isfinite(float(gain)):
            estimate, rate = load_audio(item["audio_path"])
            estimate = estimate / np.float32(gain)
            weight = item.get("mix_weight", np.nan)
            if weight is not None and np.isfinite(float(weight)) and float(weight) > 0.0:
                estimate = observation_added(estimate, self._mixture(item), float(weight))
            return classifier_input(estimate, rate)
        if item["store_path"]:
            store = self._store(str(item["store_path"]))
            return classifier_input(self._mixture(item), int(store.attrs["sample_rate"]))
        audio, _ = load_audio(item["audio_path"], sample_rate=SAMPLE_RATE)
        return audio

    def _store(self, path: str) -> SegmentStore:
        if path not in self._stores:
            self._stores[path] = SegmentStore(path)
        return self._stores[path]

    def _mixture(self, item: pd.Series | dict) -> np.ndarray:
        """The item's mixture (8 kHz) from its feature file."""
        return self._store(str(item["store_path"])).waveforms(int(item["store_index"]))["mixture"]

    def close(self) -> None:
        for store in self._stores.values():
            store.close()
        self._stores.clear()

    def __enter__(self) -> "AudioReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
