"""data.splitting: the original study's seed kind and the recommended kind."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from danet_music2vec.data.datasets import DatasetError
from danet_music2vec.data.splitting import (
    EmptySplitError, split_by_fold, split_by_lists, split_by_source, split_music, split_noise, split_seed_kind,
)

REPO = Path(__file__).resolve().parents[2]
LISTS = REPO / "config" / "splits" / "gtzan_fault_filtered"
GENRES = ["blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae", "rock"]
GTZAN_IDS = [f"{g}.{i:05d}" for g in GENRES for i in range(100)]


def test_seed_kind_reproduces_the_original_950_50_gtzan_split():
    split = split_seed_kind(GTZAN_IDS, random_state=1, valid_fraction=0.0, test_fraction=0.05, permute=True)
    expected_test = np.array(GTZAN_IDS)[np.random.RandomState(1).permutation(1000)][950:]
    assert sorted(split[split == "test"].index) == sorted(expected_test)
    assert (split == "train").sum() == 950


def test_seed_kind_validation_comes_from_the_training_part_only():
    with_valid = split_seed_kind(GTZAN_IDS, random_state=1, valid_fraction=0.1, test_fraction=0.05, permute=True)
    without = split_seed_kind(GTZAN_IDS, random_state=1, valid_fraction=0.0, test_fraction=0.05, permute=True)
    assert set(with_valid[with_valid == "test"].index) == set(without[without == "test"].index)
    assert (with_valid == "valid").sum() == 95


def test_esc50_seed_kind_is_by_row_1900_100():
    ids = [f"clip{i}" for i in range(2000)]
    split = split_seed_kind(ids, random_state=1, valid_fraction=0.0, test_fraction=0.05, permute=False)
    assert list(split.index[split == "test"]) == ids[1900:]


def test_shipped_fault_filtered_lists_are_443_197_290_and_disjoint():
    split = split_by_lists(GTZAN_IDS, LISTS)
    assert split.value_counts().to_dict() == {"train": 443, "test": 290, "valid": 197, "excluded": 70}


def test_lists_that_match_no_clip_are_an_error():
    with pytest.raises(DatasetError, match="none of the dataset's clips"):
        split_by_lists(["foo.00001"], LISTS)


def test_split_by_source_keeps_each_artist_in_one_split_and_stratifies_by_genre():
    table = pd.DataFrame({
        "clip_id": [f"{g}.{i:05d}" for g in GENRES[:3] for i in range(40)],
        "label": [g for g in GENRES[:3] for _ in range(40)],
        "source": [f"{g}.artist{i // 4:02d}" for g in GENRES[:3] for i in range(40)],
    })
    split = split_by_source(table, fractions={"train": 0.5, "valid": 0.2, "test": 0.3}, seed=3)
    merged = table.assign(split=split.to_numpy())
    assert (merged.groupby("source")["split"].nunique() == 1).all()
    counts = merged.groupby(["label", "split"]).size().unstack()
    assert (counts["train"] == 20).all() and (counts["valid"] == 8).all() and (counts["test"] == 12).all()
    assert split.equals(split_by_source(table, fractions={"train": 0.5, "valid": 0.2, "test": 0.3}, seed=3))


def test_split_by_source_gives_every_split_an_artist_when_a_genre_has_three():
    table = pd.DataFrame({"clip_id": list("abcdef"), "label": "blues", "source": ["x", "x", "y", "y", "z", "z"]})
    split = split_by_source(table, fractions={"train": 0.8, "valid": 0.1, "test": 0.1}, seed=0)
    assert set(split) == {"train", "valid", "test"}


def test_esc50_recommended_split_is_by_fold():
    folds = pd.Series([1, 2, 3, 4, 5, 4, 5], index=list("abcdefg"))
    split = split_by_fold(folds, valid_folds=[4], test_folds=[5])
    assert split.to_dict() == {"a": "train", "b": "train", "c": "train", "d": "valid", "e": "test", "f": "valid", "g": "test"}
    with pytest.raises(ValueError, match=r"folds \[4\] are both"):
        split_by_fold(folds, valid_folds=[4], test_folds=[4])


def test_skipped_clips_get_no_split_row():
    manifest = pd.DataFrame({
        "clip_id": GTZAN_IDS, "label": [c.split(".")[0] for c in GTZAN_IDS], "source": GTZAN_IDS,
        "usable": [c != "jazz.00054" for c in GTZAN_IDS],
    })
    settings = {"kind": "recommended", "seed": 1, "music_lists": LISTS, "music_fractions": None}
    table = split_music(manifest, settings)
    assert "jazz.00054" not in set(table["clip_id"]) and len(table) == 929
    noise = pd.DataFrame({"clip_id": ["a", "b", "c", "d"], "fold": [1, 5, 4, 5], "usable": [True, False, True, True]})
    settings = {"kind": "recommended", "noise_valid_folds": [4], "noise_test_folds": [5]}
    assert split_noise(noise, settings)["clip_id"].tolist() == ["a", "c", "d"]


def test_a_split_left_without_usable_clips_is_an_error_naming_it_and_the_setting():
    # Two real GTZAN ids, one the fault-filtered lists put in train, one in test: none for valid.
    lists = {split: set((LISTS / f"{split}.txt").read_text().split()) for split in ("train", "valid", "test")}
    ids = [next(iter(sorted(lists["train"]))), next(iter(sorted(lists["test"])))]
    manifest = pd.DataFrame({"clip_id": ids, "label": ["blues", "blues"], "source": ["a", "b"], "usable": [True, True]})
    settings = {"kind": "recommended", "seed": 1, "music_lists": LISTS, "music_fractions": [0.6, 0.2, 0.2]}
    with pytest.raises(EmptySplitError, match=r"no usable music clips in the valid split \(train 1, valid 0, test 1\): "
                                              r"the fault-filtered GTZAN lists .* use splits.kind: seed"):
        split_music(manifest, settings)
