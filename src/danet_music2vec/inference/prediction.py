"""Genre predictions of trained music2vec classifiers for item tables or cached features."""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
import pandas as pd
from tqdm import tqdm

from ..data.items import AudioReader, check_audio_exists
from ..fileio import atomic_path
from ..methods import PREDICTION_COLUMNS
from ..models.music2vec import GenreClassifier
from .embeddings import read_feature_cache

CLASSIFY_BATCH = 32  # clips per forward pass of a head when classifying


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
    columns = {"id": items["id"].to_numpy(), "music_id": items["music_id"].to_numpy(),
               "label": items["label"].to_numpy(), "snr_db": items["snr_db"].to_numpy(dtype=float),
               "predicted": np.asarray(classifier.class_names)[probs.argmax(1)]}
    table = pd.DataFrame({name: columns[name] for name in PREDICTION_COLUMNS})
    for j, name in enumerate(classifier.class_names):
        table[f"prob_{name}"] = probs[:, j]
    return table


def write_predictions(table: pd.DataFrame, out: str | os.PathLike) -> None:
    """Write a predictions table atomically (snr_db empty for clean music)."""
    with atomic_path(out) as tmp:
        table.to_csv(tmp, index=False)
