"""data.splitting: the original study's seed kind and the recommended kind, noise classes held out of
training, and labels left without training clips refused."""

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
    noise = pd.DataFrame({"clip_id": ["a", "b", "c", "d"], "fold": [1, 5, 4, 5], "label": "dog",
                          "usable": [True, False, True, True]})
    settings = {"kind": "recommended", "noise_valid_folds": [4], "noise_test_folds": [5]}
    table = split_noise(noise, settings)
    assert table["clip_id"].tolist() == ["a", "c", "d"] and not table["heldout"].any()


def test_a_split_left_without_usable_clips_is_an_error_naming_it_and_the_setting():
    # Two real GTZAN ids, one the fault-filtered lists put in train, one in test: none for valid.
    lists = {split: set((LISTS / f"{split}.txt").read_text().split()) for split in ("train", "valid", "test")}
    ids = [next(iter(sorted(lists["train"]))), next(iter(sorted(lists["test"])))]
    manifest = pd.DataFrame({"clip_id": ids, "label": ["blues", "blues"], "source": ["a", "b"], "usable": [True, True]})
    settings = {"kind": "recommended", "seed": 1, "music_lists": LISTS, "music_fractions": [0.6, 0.2, 0.2]}
    with pytest.raises(EmptySplitError, match=r"no usable music clips in the valid split \(train 1, valid 0, test 1\): "
                                              r"the fault-filtered GTZAN lists .* use splits.kind: seed"):
        split_music(manifest, settings)


# --------------------------------------------------------------------------- classes held out of training

NOISE_SETTINGS = {"kind": "recommended", "noise_valid_folds": [4], "noise_test_folds": [5]}


def esc50_like(classes=("dog", "rain", "wind", "pig", "cow", "frog"), clips_per_fold: int = 2) -> pd.DataFrame:
    """A noise manifest in ESC-50's folds: every class with clips in each of the 5 folds."""
    rows = [{"clip_id": f"{fold}-{label}-{i}", "fold": fold, "label": label, "usable": True}
            for label in classes for fold in range(1, 6) for i in range(clips_per_fold)]
    return pd.DataFrame(rows)


def test_held_out_classes_are_only_in_their_split_and_flagged():
    manifest = esc50_like()
    settings = {**NOISE_SETTINGS, "noise_heldout_valid": ["pig"], "noise_heldout_test": ["cow", "frog"]}
    table = split_noise(manifest, settings).merge(manifest[["clip_id", "label"]], on="clip_id")
    splits_of = table.groupby("label")["split"].agg(set)
    # every clip of a held-out class, whatever its fold, goes to that class's split
    assert splits_of["pig"] == {"valid"} and splits_of["cow"] == splits_of["frog"] == {"test"}
    assert (table.groupby("label").size() == 10).all()  # nothing dropped
    assert not set(table.loc[table["split"].isin(["train", "valid"]), "label"]) & {"cow", "frog"}
    assert not set(table.loc[table["split"].isin(["train", "test"]), "label"]) & {"pig"}
    for label in ("dog", "rain", "wind"):  # the seen classes keep ESC-50's folds
        assert splits_of[label] == {"train", "valid", "test"}
    assert table["heldout"].dtype == bool
    assert table["heldout"].tolist() == table["label"].isin(["pig", "cow", "frog"]).tolist()
    # The seed kind holds them out the same way.
    seed = {"kind": "seed", "random_state": 1, "valid_fraction": 0.2, "test_fraction": 0.25,
            "noise_heldout_valid": ["pig"], "noise_heldout_test": ["cow", "frog"]}
    by_row = split_noise(manifest, seed).merge(manifest[["clip_id", "label"]], on="clip_id")
    assert set(by_row.loc[by_row["label"] == "pig", "split"]) == {"valid"}
    assert set(by_row.loc[by_row["label"].isin(["cow", "frog"]), "split"]) == {"test"}


def test_an_unknown_or_doubly_held_out_class_is_an_error_naming_it():
    manifest = esc50_like()
    with pytest.raises(DatasetError, match=r"noise_heldout_test.*noise classes \['ship_horn'\] have no usable clips; "
                                           r"known classes: \['cow', 'dog'"):
        split_noise(manifest, {**NOISE_SETTINGS, "noise_heldout_test": ["cow", "ship_horn"]})
    with pytest.raises(DatasetError, match=r"noise_heldout_valid.*\['owl'\]"):
        split_noise(manifest, {**NOISE_SETTINGS, "noise_heldout_valid": ["owl"]})
    # A class whose only clips are unusable is unknown too.
    unusable = manifest.assign(usable=manifest["label"] != "pig")
    with pytest.raises(DatasetError, match=r"\['pig'\] have no usable clips"):
        split_noise(unusable, {**NOISE_SETTINGS, "noise_heldout_valid": ["pig"]})
    with pytest.raises(DatasetError, match=r"noise classes \['cow'\] are held out for both validation and test"):
        split_noise(manifest, {**NOISE_SETTINGS, "noise_heldout_valid": ["cow"], "noise_heldout_test": ["cow"]})


def test_a_noise_class_left_without_training_clips_fails_naming_it():
    manifest = esc50_like()
    # frog's clips only in folds 4 and 5 (validation and test): it would be tested on without training.
    manifest = manifest[(manifest["label"] != "frog") | manifest["fold"].isin([4, 5])]
    with pytest.raises(EmptySplitError, match=r"noise classes without training clips: \['frog'\]; hold it out "
                                              r"\(splits.recommended.noise_heldout_valid or noise_heldout_test\)"):
        split_noise(manifest, NOISE_SETTINGS)
    # Held out, it is allowed to have none.
    table = split_noise(manifest, {**NOISE_SETTINGS, "noise_heldout_test": ["frog"]})
    assert set(table.loc[table["heldout"], "split"]) == {"test"}


def test_a_genre_left_without_training_clips_fails_naming_it(tmp_path):
    # Split lists that put every metal clip in validation or test: metal would be tested on untrained.
    ids = {genre: [f"{genre}.{i:05d}" for i in range(6)] for genre in ("blues", "jazz", "metal")}
    lists = {"train": ids["blues"][:4] + ids["jazz"][:4], "valid": ids["blues"][4:5] + ids["jazz"][4:5] + ids["metal"][:3],
             "test": ids["blues"][5:] + ids["jazz"][5:] + ids["metal"][3:]}
    for split, names in lists.items():
        (tmp_path / f"{split}.txt").write_text("\n".join(names) + "\n")
    manifest = pd.DataFrame([{"clip_id": c, "label": c.split(".")[0], "source": c, "usable": True}
                             for names in ids.values() for c in names])
    settings = {"kind": "recommended", "seed": 1, "music_lists": tmp_path, "music_fractions": None}
    with pytest.raises(EmptySplitError, match=r"genres without training clips: \['metal'\]"):
        split_music(manifest, settings)
    # One metal clip in training is enough.
    (tmp_path / "train.txt").write_text("\n".join(lists["train"] + ids["metal"][:1]) + "\n")
    (tmp_path / "valid.txt").write_text("\n".join(lists["valid"][:-3] + ids["metal"][1:3]) + "\n")
    table = split_music(manifest, settings)
    assert table.loc[table["clip_id"] == "metal.00000", "split"].item() == "train"
