"""inference.embeddings: the SoundNet feature cache holds every clip's conv7 frames (last one
dropped), tied to the SoundNet weights they came from.

The pinned SoundNet weights, the synthetic music and its cache are session fixtures of
tests/unit/conftest.py."""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import pytest
from builders import M2V_CLIPS_PER_GENRE as CLIPS_PER_GENRE
from builders import M2V_GENRES as GENRES

from danet_music2vec.audio import load_audio
from danet_music2vec.data.items import clean_items
from danet_music2vec.inference.embeddings import CACHE_FORMAT, read_feature_cache, write_feature_cache
from danet_music2vec.models import soundnet as sn
from danet_music2vec.models.music2vec import clip_frames
from danet_music2vec.models.soundnet import soundnet_fingerprint


@pytest.fixture
def data(m2v_data) -> dict[str, Path]:
    return m2v_data


@pytest.fixture
def cache(m2v_cache) -> Path:
    return m2v_cache


@pytest.fixture
def soundnet(m2v_soundnet) -> sn.SoundNet8:
    return m2v_soundnet



def test_feature_cache_holds_every_clip_with_its_frames(cache, soundnet):
    items, frames, attrs = read_feature_cache(cache)
    assert len(items) == len(GENRES) * CLIPS_PER_GENRE
    assert items["split"].value_counts().to_dict() == {"train": 15, "valid": 6, "test": 3}
    assert all(f.shape == (2, 1024) and f.dtype == np.float32 for f in frames)
    assert attrs["soundnet_fingerprint"] == soundnet_fingerprint(soundnet) and attrs["last_frame_dropped"]
    assert items["snr_db"].isna().all() and set(items["condition"]) == {"clean"}


def test_cached_frames_are_the_clip_frames_of_each_items_audio(cache, soundnet):
    items, frames, attrs = read_feature_cache(cache)
    assert attrs["format"] == CACHE_FORMAT and attrs["layer"] == "conv7" and attrs["sample_rate"] == 22050
    for i in (0, len(items) // 2, len(items) - 1):
        audio, _ = load_audio(items.loc[i, "audio_path"], sample_rate=22050)
        np.testing.assert_array_equal(frames[i], clip_frames(soundnet, audio))
    assert items["n_frames"].tolist() == [f.shape[0] for f in frames]
    assert items["first_frame"].tolist() == np.concatenate([[0], np.cumsum(items["n_frames"])[:-1]]).tolist()


def test_the_same_items_give_the_same_content_hash_and_others_another(data, soundnet, tmp_path):
    items = clean_items(data["manifest"], data["splits"], splits=("test",))
    hashes = []
    for name, subset in (("a", items), ("b", items), ("c", items.iloc[:2])):
        write_feature_cache(subset, tmp_path / f"{name}.h5", soundnet, progress=False)
        hashes.append(read_feature_cache(tmp_path / f"{name}.h5")[2]["content_hash"])
    assert hashes[0] == hashes[1] != hashes[2]


def test_missing_audio_or_a_foreign_file_fail_naming_the_file(data, soundnet, tmp_path):
    items = clean_items(data["manifest"], data["splits"], splits=("test",))
    items.loc[1, "audio_path"] = str(tmp_path / "gone.wav")
    with pytest.raises(FileNotFoundError, match=r"audio of 1 item\(s\) not found: .*gone\.wav"):
        write_feature_cache(items, tmp_path / "features.h5", soundnet, progress=False)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(FileNotFoundError, match=r"absent\.h5: SoundNet feature file not found"):
        read_feature_cache(tmp_path / "absent.h5")
    with h5py.File(tmp_path / "other.h5", "w") as h5:
        h5.attrs["format"] = "danet-features"
    with pytest.raises(ValueError, match=r"other\.h5: not a music2vec feature file"):
        read_feature_cache(tmp_path / "other.h5")
