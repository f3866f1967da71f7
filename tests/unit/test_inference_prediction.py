"""inference.prediction: predictions per item (one row each, probabilities summing to one), several
classifiers sharing one SoundNet pass, cached features giving the predictions of the audio, and
inputs that do not fit refused.

The pinned SoundNet weights, the synthetic music, its cache, the trained head and ensemble and
a separation folder are session fixtures of tests/unit/conftest.py."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest
from builders import M2V_GENRES as GENRES
from builders import M2V_SMALL as SMALL
from builders import train_small_music2vec as train

from danet_music2vec.data.items import check_class_names, class_names_from_manifest, clean_items, separated_items
from danet_music2vec.inference.embeddings import read_feature_cache, write_feature_cache
from danet_music2vec.inference.prediction import (
    PREDICTION_COLUMNS, classify_cached_with, classify_items, classify_items_with, write_predictions,
)
from danet_music2vec.models import soundnet as sn
from danet_music2vec.models.music2vec import load_classifier
from danet_music2vec.training.music2vec import Music2VecSettings


@pytest.fixture
def data(m2v_data) -> dict[str, Path]:
    return m2v_data


@pytest.fixture
def cache(m2v_cache) -> Path:
    return m2v_cache


@pytest.fixture
def trained(m2v_trained) -> Path:
    return m2v_trained


@pytest.fixture
def ensemble(m2v_ensemble) -> Path:
    return m2v_ensemble


@pytest.fixture
def separated(m2v_separated) -> Path:
    return m2v_separated


@pytest.fixture
def weights(soundnet_weights_file) -> Path:
    return soundnet_weights_file


@pytest.fixture
def soundnet(m2v_soundnet) -> sn.SoundNet8:
    return m2v_soundnet



def test_predictions_have_one_row_per_item_and_probabilities_summing_to_one(trained, weights, data, separated,
                                                                             tmp_path):
    classifier = load_classifier(trained / "model.pt", weights)
    check_class_names(classifier.class_names, class_names_from_manifest(data["manifest"]))
    columns = [*PREDICTION_COLUMNS, *(f"prob_{g}" for g in GENRES)]
    clean = classify_items(classifier, clean_items(data["manifest"], data["splits"], splits=("test",)), progress=False)
    noisy = classify_items(classifier, separated_items(separated, data["manifest"]), progress=False)
    for table, name in ((clean, "clean.csv"), (noisy, "noisereduce.csv")):
        write_predictions(table, tmp_path / name)
        written = pd.read_csv(tmp_path / name)
        assert list(written.columns) == columns and len(written) == 3
        np.testing.assert_allclose(written.filter(like="prob_").sum(axis=1), 1.0, rtol=1e-9)
        probs = written.filter(like="prob_").to_numpy()
        assert (written["predicted"] == np.asarray(GENRES)[probs.argmax(1)]).all()
        assert sorted(written["label"]) == sorted(GENRES)
    assert written["id"].str.endswith("+snr5").all() and (written["snr_db"] == 5.0).all()
    assert pd.read_csv(tmp_path / "clean.csv")["snr_db"].isna().all()
    assert (clean["id"] == clean["music_id"]).all()
    true_class = [row[f"prob_{row['label']}"] for _, row in clean.iterrows()]
    assert np.mean(true_class) > 1 / 3  # better than chance on the clean test clips


def test_several_classifiers_share_soundnet_and_predict_as_each_would_alone(trained, cache, weights, data,
                                                                            separated, tmp_path):
    train([cache], tmp_path, Music2VecSettings(**{**asdict(SMALL), "max_epochs": 2, "seed": 5}))
    first, second = load_classifier(trained / "model.pt", weights), load_classifier(tmp_path / "model.pt", weights)
    items = separated_items(separated, data["manifest"])
    alone = [classify_items(c, items, progress=False) for c in (first, second)]
    calls = []
    for classifier in (first, second):
        original = classifier.frames
        classifier.frames = lambda audio, original=original: calls.append(1) or original(audio)
    together = classify_items_with([first, second], items, progress=False)
    assert len(calls) == len(items)  # frozen SoundNet: one pass per clip for both heads
    for table, reference in zip(together, alone, strict=True):
        pd.testing.assert_frame_equal(table, reference)
    assert not np.allclose(together[0].filter(like="prob_"), together[1].filter(like="prob_"))


def test_classifying_cached_features_gives_the_predictions_of_classifying_the_audio(trained, ensemble, cache,
                                                                                     weights, soundnet, data,
                                                                                     separated, tmp_path):
    items = separated_items(separated, data["manifest"])
    features = tmp_path / "noisereduce_features.h5"
    write_feature_cache(items, features, soundnet, progress=False)
    classifiers = [load_classifier(trained / "model.pt", weights), load_classifier(ensemble / "model.pt", weights)]
    from_audio = classify_items_with(classifiers, items, progress=False)
    from_cache = classify_cached_with(classifiers, features)
    clean_audio = classify_items_with(classifiers, clean_items(data["manifest"], data["splits"], splits=("test",)),
                                      progress=False)
    clean_cache = classify_cached_with(classifiers, cache, splits=("test",))
    for cached, reference in zip(from_cache + clean_cache, from_audio + clean_audio, strict=True):
        assert len(cached) == len(reference) > 0
        # The same frames up to float32 rounding, so the same predictions.
        pd.testing.assert_frame_equal(cached, reference, rtol=1e-5, atol=1e-6)
    assert (clean_cache[0]["snr_db"].isna()).all() and (from_cache[0]["snr_db"] == 5.0).all()


def test_cached_features_refuse_a_finetuned_classifier_or_other_soundnet_weights(trained, weights, cache,
                                                                                 tmp_path):
    classifier = load_classifier(trained / "model.pt", weights)
    finetuned = load_classifier(trained / "model.pt", weights)
    finetuned.mode = "finetune"
    with pytest.raises(ValueError, match=r"clean_features\.h5.*finetune"):
        classify_cached_with([finetuned], cache)
    other = tmp_path / "other_features.h5"
    other.write_bytes(cache.read_bytes())
    with h5py.File(other, "r+") as h5:  # features of other SoundNet weights
        h5.attrs["soundnet_fingerprint"] = "0123456789abcdef"
    with pytest.raises(ValueError, match=r"other_features\.h5: features of SoundNet weights 0123456789abcdef, but"):
        classify_cached_with([classifier], other)
    assert len(classify_cached_with([classifier], cache)[0]) == len(read_feature_cache(cache)[0])


def test_missing_audio_fails_naming_the_file(trained, weights, data, separated, tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    index = pd.read_csv(separated / "index.csv")
    for name in index["music_path"][1:]:
        (folder / name).write_bytes((separated / name).read_bytes())
    (folder / "index.csv").write_text((separated / "index.csv").read_text())
    classifier = load_classifier(trained / "model.pt", weights)
    with pytest.raises(FileNotFoundError, match=index["music_path"][0].replace("+", r"\+")):
        classify_items(classifier, separated_items(folder, data["manifest"]), progress=False)
    with pytest.raises(FileNotFoundError, match="index.csv"):
        separated_items(tmp_path / "nowhere", data["manifest"])
