"""data.items: the item tables the classifier reads (clean clips, mixtures of feature files, a
separation method's outputs) and their audio at 22050 Hz.

The synthetic music (manifest and splits) and a separation folder are session fixtures of
tests/unit/conftest.py."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import soundfile as sf
from builders import M2V_GENRES as GENRES

from danet_music2vec.audio import classifier_copy, classifier_input, load_audio, pcm16_round_trip
from danet_music2vec.data.features import SegmentStore, StftParams, write_features
from danet_music2vec.data.items import (
    ITEM_COLUMNS, AudioReader, check_audio_exists, check_class_names, class_names_from_manifest, clean_items,
    mixture_items, separated_items,
)
from danet_music2vec.inference.outputs import read_music_estimate


@pytest.fixture
def data(m2v_data) -> dict[str, Path]:
    return m2v_data


@pytest.fixture
def separated(m2v_separated) -> Path:
    return m2v_separated


@pytest.fixture
def store(data, tmp_path) -> Path:
    """A test feature file of two mixtures of the synthetic music (variant noise1)."""
    manifest = pd.read_csv(data["manifest"])
    clips = manifest[manifest["clip_id"].isin(["blues.00007", "metal.00007"])]
    noise_path = tmp_path / "noise.wav"
    sf.write(noise_path, (0.1 * np.random.default_rng(1).standard_normal(44100 * 4)).astype(np.float32), 44100)
    plan = pd.DataFrame({"mix_id": clips["clip_id"] + "+snr0", "split": "test", "music_id": clips["clip_id"],
                         "snr_db": 0.0, "noise_ids": "n0", "noise_offsets_s": "0.5"})
    path = tmp_path / "test.h5"
    write_features(path, plan, dict(zip(clips["clip_id"], clips["path"])), {"n0": str(noise_path)},
                   params=StftParams(), attrs={"variant": "noise1", "split": "test", "config_hash": "t"})
    return path


def test_the_classes_are_the_usable_clips_genres_sorted_and_must_match_a_models(data, tmp_path):
    assert class_names_from_manifest(data["manifest"]) == list(GENRES)
    manifest = pd.read_csv(data["manifest"])
    manifest.loc[manifest["label"] == "metal", "usable"] = False
    manifest.to_csv(tmp_path / "manifest.csv", index=False)
    assert class_names_from_manifest(tmp_path / "manifest.csv") == ["blues", "classical"]
    check_class_names(list(GENRES), list(GENRES))
    with pytest.raises(ValueError, match=r"model\.pt classifies \['metal', 'blues'\], but the data's genres are"):
        check_class_names(["metal", "blues"], ["blues", "metal"], "model.pt")


def test_clean_items_are_the_usable_clips_of_the_splits(data, tmp_path):
    items = clean_items(data["manifest"], data["splits"])
    assert tuple(items.columns) == ITEM_COLUMNS and len(items) == 24
    assert items["id"].is_monotonic_increasing and (items["id"] == items["music_id"]).all()
    assert items["snr_db"].isna().all() and (items["condition"] == "clean").all()
    assert (items["store_path"] == "").all() and (items["store_index"] == -1).all()
    assert all(Path(p).is_file() for p in items["audio_path"])
    test = clean_items(data["manifest"], data["splits"], splits=("test",))
    assert test["id"].tolist() == ["blues.00007", "classical.00007", "metal.00007"]
    manifest = pd.read_csv(data["manifest"])
    manifest.loc[manifest["clip_id"] == "blues.00007", "usable"] = False
    manifest.to_csv(tmp_path / "manifest.csv", index=False)
    assert "blues.00007" not in set(clean_items(tmp_path / "manifest.csv", data["splits"])["id"])


def test_mixture_items_are_named_by_variant_and_labelled_from_the_manifest(data, store, tmp_path):
    items = mixture_items([store], data["manifest"])
    assert tuple(items.columns) == ITEM_COLUMNS
    assert items["id"].tolist() == ["noise1/blues.00007+snr0", "noise1/metal.00007+snr0"]
    assert items["label"].tolist() == ["blues", "metal"] and (items["condition"] == "mixture").all()
    assert items["store_index"].tolist() == [0, 1] and (items["store_path"] == str(store)).all()
    assert (items["audio_path"] == "").all() and (items["split"] == "test").all() and (items["snr_db"] == 0.0).all()
    assert len(mixture_items([], data["manifest"])) == 0
    manifest = pd.read_csv(data["manifest"])
    manifest[manifest["clip_id"] != "metal.00007"].to_csv(tmp_path / "manifest.csv", index=False)
    with pytest.raises(ValueError, match=r"test\.h5: music ids not among the usable clips of .*\['metal\.00007'\]"):
        mixture_items([store], tmp_path / "manifest.csv")


def test_separated_items_point_at_the_methods_8khz_estimates_and_their_gains(data, separated, tmp_path):
    items = separated_items(separated, data["manifest"], condition="noise1/noisereduce")
    assert tuple(items.columns) == ITEM_COLUMNS and len(items) == 3
    assert (items["condition"] == "noise1/noisereduce").all() and (items["snr_db"] == 5.0).all()
    assert items["audio_path"].tolist() == [str(separated / f"{m}+snr5_music.flac") for m in items["music_id"]]
    index = pd.read_csv(separated / "index.csv")
    np.testing.assert_array_equal(items["audio_gain"].to_numpy(), index["music_gain"].to_numpy())
    assert items["audio_gain"].iloc[0] < 1.0 and (items["audio_gain"].iloc[1:] == 1.0).all()
    # Clean clips and mixtures are read at their own rate: no gain.
    assert clean_items(data["manifest"], data["splits"], splits=("test",))["audio_gain"].isna().all()
    with pytest.raises(FileNotFoundError, match=r"nowhere/index\.csv: separation index not found"):
        separated_items(tmp_path / "nowhere", data["manifest"])


def test_the_audio_reader_brings_an_estimate_to_22050_hz_with_its_gain_undone(data, separated):
    items = separated_items(separated, data["manifest"])
    with AudioReader() as reader:
        for _, item in items.iterrows():
            audio = reader.read(item)
            estimate = read_music_estimate(item["audio_path"], item["audio_gain"], sample_rate=8000)
            # The same classifier copy (and 16-bit round trip) as every other 8 kHz condition.
            np.testing.assert_array_equal(audio, classifier_input(estimate, 8000))
            assert abs(audio.size - round(estimate.size * 22050 / 8000)) <= 1
    # The loud first estimate was stored scaled down; read back, it has its own level again.
    loud = read_music_estimate(items["audio_path"].iloc[0], items["audio_gain"].iloc[0])
    assert np.max(np.abs(loud)) == pytest.approx(1.5, abs=1e-3)


def test_missing_audio_is_named(data, store, tmp_path):
    items = pd.concat([clean_items(data["manifest"], data["splits"], splits=("test",)),
                       mixture_items([store], data["manifest"])], ignore_index=True)
    check_audio_exists(items)
    items.loc[0, "audio_path"] = str(tmp_path / "a.wav")
    items.loc[4, "store_path"] = str(tmp_path / "b.h5")
    with pytest.raises(FileNotFoundError, match=r"audio of 2 item\(s\) not found: .*a\.wav, .*b\.h5"):
        check_audio_exists(items)


def test_the_audio_reader_gives_files_and_mixtures_at_22050_hz_as_the_separation_stage_writes_them(data, store):
    clean = clean_items(data["manifest"], data["splits"], splits=("test",)).iloc[0]
    mixture = mixture_items([store], data["manifest"]).iloc[1]
    with AudioReader() as reader:
        np.testing.assert_array_equal(reader.read(clean), load_audio(clean["audio_path"], sample_rate=22050)[0])
        from_store = reader.read(mixture)
    with SegmentStore(store) as segments:
        wave = segments.waveforms(1)["mixture"]
    copy, _ = classifier_copy(wave, 8000)
    np.testing.assert_array_equal(from_store, pcm16_round_trip(copy, 22050))
    assert abs(from_store.size - round(wave.size * 22050 / 8000)) <= 1
