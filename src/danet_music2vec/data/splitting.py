"""Train/valid/test splits of music and noise clips.

Two kinds, chosen in config:

* ``seed``: the original study's. GTZAN clips (sorted by id) shuffled with
  ``numpy.random.RandomState(1).permutation`` and cut; ESC-50 cut by row order.
* ``recommended``: real GTZAN by the fault-filtered lists (Kereliuk et al. 2015),
  synthetic music by artist, stratified by genre; ESC-50 by fold (clips of one
  recording share a fold).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from .datasets import SPLITS, DatasetError

# What to change when a seed-kind split comes out empty.
SEED_KIND_HINT = "raise splits.seed_kind.valid_fraction or test_fraction, or add clips"


def split_music(manifest: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """Split the usable music clips; returns clip_id, split (no row for skipped clips).

    Args:
        manifest: the music manifest (clip_id, label, source, usable).
        settings: kind, seed, random_state, valid_fraction, test_fraction, music_lists
            (None for synthetic music), music_fractions.
    """
    if settings["kind"] == "seed":
        # The permutation runs over every listed clip, skipped ones included, so the
        # remaining clips land where the original study's list put them.
        split = split_seed_kind(
            sorted(manifest["clip_id"]), random_state=settings["random_state"],
            valid_fraction=settings["valid_fraction"], test_fraction=settings["test_fraction"], permute=True,
        )
    elif settings["music_lists"]:
        split = split_by_lists(list(manifest["clip_id"]), settings["music_lists"])
    else:
        split = split_by_source(manifest, fractions=settings["music_fractions"], seed=settings["seed"])
    table = _require_every_split(_usable_only(manifest, split), "music", _music_hint(settings))
    _require_training_clips(table.merge(manifest[["clip_id", "label"]], on="clip_id"), "genre", [],
                            _music_hint(settings))
    return table


def split_noise(manifest: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """Split the usable noise clips; returns clip_id, split, heldout (no row for skipped clips).

    Classes named in ``noise_heldout_valid`` / ``noise_heldout_test`` are held out of training:
    all their clips go to validation / test (``heldout`` True), the unseen classes of those
    splits. Every other class must keep training clips, or the split fails naming it.
    """
    if settings["kind"] == "seed":
        split = split_seed_kind(
            list(manifest["clip_id"]), random_state=settings["random_state"],
            valid_fraction=settings["valid_fraction"], test_fraction=settings["test_fraction"], permute=False,
        )
    else:
        split = split_by_fold(
            manifest.set_index("clip_id")["fold"],
            valid_folds=settings["noise_valid_folds"], test_folds=settings["noise_test_folds"],
        )
    held = {"valid": list(settings.get("noise_heldout_valid") or []),
            "test": list(settings.get("noise_heldout_test") or [])}
    labels = manifest.set_index("clip_id")["label"].reindex(split.index)
    usable_labels = set(manifest.loc[manifest["usable"].astype(bool), "label"])
    both = sorted(set(held["valid"]) & set(held["test"]))
    if both:
        raise DatasetError("splits.recommended", f"noise classes {both} are held out for both validation and test")
    for name, classes in held.items():
        unknown = sorted(set(classes) - usable_labels)
        if unknown:
            raise DatasetError(f"splits.recommended.noise_heldout_{name}",
                               f"noise classes {unknown} have no usable clips; known classes: {sorted(usable_labels)}")
        split[labels.isin(classes).to_numpy()] = name
    hint = (SEED_KIND_HINT if settings["kind"] == "seed"
            else "splits.recommended.noise_valid_folds and noise_test_folds must name folds that hold clips")
    table = _require_every_split(_usable_only(manifest, split), "noise", hint)
    table["heldout"] = table["clip_id"].map(labels).isin(held["valid"] + held["test"])
    _require_training_clips(table.merge(manifest[["clip_id", "label"]], on="clip_id"), "noise class",
                            held["valid"] + held["test"],
                            "hold it out (splits.recommended.noise_heldout_valid or noise_heldout_test) or "
                            "give it clips in a training fold")
    return table


def _require_training_clips(table: pd.DataFrame, what: str, exempt: list[str], hint: str) -> None:
    """Fail, naming them, when labels (not ``exempt``) have no usable clip in the training split."""
    trained = set(table.loc[table["split"] == "train", "label"])
    missing = sorted(set(table["label"]) - trained - set(exempt))
    if missing:
        raise EmptySplitError(f"{what}{'es' if what.endswith('s') else 's'} without training clips: {missing}; "
                              f"{hint}")


class EmptySplitError(ValueError):
    """A split without usable clips: nothing could be trained, validated or tested on it."""


def _music_hint(settings: dict) -> str:
    if settings["kind"] == "seed":
        return SEED_KIND_HINT
    if settings["music_lists"]:
        return ("the fault-filtered GTZAN lists (splits.recommended.music_lists) name too few of these clips; "
                "for music that is not GTZAN use splits.kind: seed")
    return "too few sources (artists) per genre for splits.recommended.music_fractions"


def _require_every_split(table: pd.DataFrame, dataset: str, hint: str) -> pd.DataFrame:
    counts = table["split"].value_counts()
    empty = [split for split in SPLITS if counts.get(split, 0) == 0]
    if empty:
        found = ", ".join(f"{split} {counts.get(split, 0)}" for split in SPLITS)
        raise EmptySplitError(f"no usable {dataset} clips in the {' and '.join(empty)} split ({found}): {hint}")
    return table


def _usable_only(manifest: pd.DataFrame, split: pd.Series) -> pd.DataFrame:
    usable = set(manifest.loc[manifest["usable"].astype(bool), "clip_id"])
    table = split.rename_axis("clip_id").reset_index()
    table = table.loc[table["clip_id"].isin(usable) & (table["split"] != "excluded")]
    return table.sort_values("clip_id", ignore_index=True)


def usable_with_splits(manifest_csv: str | os.PathLike, splits_csv: str | os.PathLike) -> pd.DataFrame:
    """Manifest rows of the split clips, with their split."""
    manifest = pd.read_csv(manifest_csv, dtype={"source": str})
    splits = pd.read_csv(splits_csv)
    return manifest.merge(splits, on="clip_id", how="inner", validate="one_to_one")


def split_seed_kind(
    clip_ids: list[str], *, random_state: int, valid_fraction: float, test_fraction: float, permute: bool
) -> pd.Series:
    """The original study's split: optional RandomState permutation, then train | valid | test.

    GTZAN was shuffled with ``numpy.random.RandomState(1).permutation`` and cut 950/50;
    ESC-50 was cut by row order 1900/100 (``permute=False``). The validation share
    (absent in the original) is taken from the end of the training part so the test
    part is exactly the original's.

    Returns:
        Series indexed by clip id with values train, valid or test.
    """
    ids = np.asarray(clip_ids, dtype=object)
    if permute:
        ids = ids[np.random.RandomState(random_state).permutation(len(ids))]
    n_test = int(round(test_fraction * len(ids)))
    n_valid = int(round(valid_fraction * (len(ids) - n_test)))
    n_train = len(ids) - n_test - n_valid
    if n_train < 1 or n_test < 1:
        raise ValueError(f"{len(ids)} clips cannot be split with test_fraction={test_fraction}, valid_fraction={valid_fraction}")
    labels = ["train"] * n_train + ["valid"] * n_valid + ["test"] * n_test
    return pd.Series(labels, index=pd.Index(ids, name="clip_id"), name="split")


def split_by_lists(clip_ids: list[str], lists_dir: str | os.PathLike) -> pd.Series:
    """Split by clip-id lists ``train.txt``, ``valid.txt``, ``test.txt`` (GTZAN fault-filtered).

    Clips in no list are marked ``excluded`` (the fault filter removes repeated and
    mislabelled clips).
    """
    lists_dir = Path(lists_dir)
    assignment: dict[str, str] = {}
    for split in SPLITS:
        list_file = lists_dir / f"{split}.txt"
        if not list_file.is_file():
            raise DatasetError(lists_dir, f"missing split list {list_file.name}")
        for clip_id in list_file.read_text().split():
            assignment[clip_id] = split
    labels = [assignment.get(c, "excluded") for c in clip_ids]
    if all(label == "excluded" for label in labels):
        raise DatasetError(lists_dir, "none of the dataset's clips is in the split lists (is this GTZAN?)")
    return pd.Series(labels, index=pd.Index(clip_ids, name="clip_id"), name="split")


def split_by_source(
    table: pd.DataFrame, *, fractions: dict[str, float], seed: int
) -> pd.Series:
    """Split sources (artists) per label, so no source appears in two splits.

    Within each label the sources are shuffled (seeded) and cut by ``fractions``;
    each split gets at least one source when the label has three or more.

    Args:
        table: needs clip_id, label, source.
        fractions: shares for train, valid, test (normalised to sum to one).
    """
    total = sum(fractions[s] for s in SPLITS)
    assignment: dict[str, str] = {}
    for label_index, (label, group) in enumerate(sorted(table.groupby("label"), key=lambda kv: kv[0])):
        sources = np.array(sorted(group["source"].unique()), dtype=object)
        rng = np.random.default_rng([seed, label_index])
        sources = sources[rng.permutation(len(sources))]
        counts = _split_counts(len(sources), [fractions[s] / total for s in SPLITS])
        start = 0
        for split, count in zip(SPLITS, counts):
            for source in sources[start:start + count]:
                assignment[source] = split
            start += count
    labels = [assignment[s] for s in table["source"]]
    return pd.Series(labels, index=pd.Index(table["clip_id"], name="clip_id"), name="split")


def _split_counts(n: int, shares: list[float]) -> list[int]:
    """Largest-remainder rounding of ``n`` items into shares, at least one each when n >= len(shares)."""
    raw = np.array(shares) * n
    counts = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - counts))[: n - counts.sum()]:
        counts[i] += 1
    if n >= len(shares):
        while (counts == 0).any():
            counts[np.argmax(counts)] -= 1
            counts[np.argmin(counts)] += 1
    return counts.tolist()


def split_by_fold(folds: pd.Series, *, valid_folds: list[int], test_folds: list[int]) -> pd.Series:
    """ESC-50's rule: clips of one recording share a fold, so split by fold, not by row."""
    overlap = set(valid_folds) & set(test_folds)
    if overlap:
        raise ValueError(f"folds {sorted(overlap)} are both validation and test folds")
    labels = ["test" if f in test_folds else "valid" if f in valid_folds else "train" for f in folds]
    return pd.Series(labels, index=folds.index, name="split")
