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

from ..audio import classifier_input, load_audio
from ..models.soundnet import SAMPLE_RATE
from .features import SegmentStore
from .splitting import usable_with_splits

# audio_gain: set for a separation method's stored 8 kHz estimate (the gain it was stored with),
# empty for a clip read at its own rate.
ITEM_COLUMNS = ("id", "music_id", "label", "split", "snr_db", "condition", "audio_path", "audio_gain", "store_path",
                "store_index")


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
                    condition: str = "separated") -> pd.DataFrame:
    """The music outputs of one separation method (``index.csv``: ``music_path``, ``music_gain``)."""
    separation_dir = Path(separation_dir)
    index_csv = separation_dir / "index.csv"
    if not index_csv.is_file():
        raise FileNotFoundError(f"{index_csv}: separation index not found")
    index = pd.read_csv(index_csv, dtype={"mix_id": str, "music_id": str})
    return item_table({"id": index["mix_id"], "music_id": index["music_id"],
                       "label": _labels(manifest_csv, index["music_id"], str(index_csv)), "split": "test",
                       "snr_db": index["snr_db"].astype(float), "condition": condition,
                       "audio_path": [str(separation_dir / p) for p in index["music_path"]],
                       "audio_gain": index["music_gain"].astype(float)})


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
        if item["store_path"]:
            path = str(item["store_path"])
            if path not in self._stores:
                self._stores[path] = SegmentStore(path)
            store = self._stores[path]
            mixture = store.waveforms(int(item["store_index"]))["mixture"]
            return classifier_input(mixture, int(store.attrs["sample_rate"]))
        gain = item.get("audio_gain", np.nan)
        if gain is not None and np.isfinite(float(gain)):
            estimate, rate = load_audio(item["audio_path"])
            return classifier_input(estimate / np.float32(gain), rate)
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
