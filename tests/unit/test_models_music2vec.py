"""models.music2vec: the head (one row per clip whatever its length), the conv7 frames it reads,
and a model file refused when its classes or SoundNet weights do not match.

The pinned SoundNet weights, the synthetic music and the trained head are session fixtures
of tests/unit/conftest.py."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import torch
from builders import M2V_GENRES as GENRES

from danet_music2vec.data.items import check_class_names, clean_items
from danet_music2vec.inference.prediction import classify_items
from danet_music2vec.models import soundnet as sn
from danet_music2vec.models.music2vec import (
    GenreHead, HeadConfig, clip_frames, clip_frames_grad, drop_last_frame, load_classifier, pad_frames,
)


@pytest.fixture
def data(m2v_data) -> dict[str, Path]:
    return m2v_data


@pytest.fixture
def trained(m2v_trained) -> Path:
    return m2v_trained


@pytest.fixture
def weights(soundnet_weights_file) -> Path:
    return soundnet_weights_file


@pytest.fixture
def soundnet(m2v_soundnet) -> sn.SoundNet8:
    return m2v_soundnet



@pytest.mark.parametrize("pooling", ["mean", "last"])
def test_head_gives_one_row_per_clip_whatever_its_length(pooling):
    torch.manual_seed(0)
    head = GenreHead(HeadConfig(n_classes=3, lstm_units=8, dense_units=(16, 8), pooling=pooling)).eval()
    lengths = torch.tensor([1, 4, 7])
    frames = torch.rand(3, 7, 1024)
    frames[0, 1:] = 99.0  # padding must not matter
    frames[1, 4:] = -5.0
    logits = head(frames, lengths)
    assert logits.shape == (3, 3) and torch.isfinite(logits).all()
    for i, n in enumerate(lengths.tolist()):  # each item alone, unpadded, gives the same logits
        alone = head(frames[i: i + 1, :n], torch.tensor([n]))
        torch.testing.assert_close(alone[0], logits[i], rtol=1e-5, atol=1e-6)
    assert head(torch.rand(2, 30, 1024), torch.tensor([30, 12])).shape == (2, 3)
    with pytest.raises(ValueError, match="lengths"):
        head(frames, torch.tensor([0, 4, 7]))


def test_the_last_conv7_frame_is_dropped_and_the_grad_path_agrees(soundnet, data):
    audio, _ = sf.read(data["root"] / "genres" / "blues" / "blues.00000.wav", dtype="float32")
    frames = clip_frames(soundnet, audio)
    full = sn.embed(soundnet, audio)
    assert full.shape[0] == sn.frame_counts(audio.size)["conv7"] == 3
    np.testing.assert_array_equal(frames, full[:-1])
    with torch.no_grad():
        np.testing.assert_allclose(clip_frames_grad(soundnet, audio).numpy(), frames, rtol=1e-5, atol=1e-6)
    assert clip_frames(soundnet, audio[:4000]).shape == (1, 1024)  # a single frame is kept


def test_mismatched_classes_or_soundnet_weights_fail_loudly(trained, weights, data, tmp_path):
    with pytest.raises(ValueError, match=r"classifies \['blues', 'classical', 'metal'\].*\['blues', 'jazz'\]"):
        check_class_names(list(GENRES), ["blues", "jazz"], "model.pt")
    state = torch.load(weights, weights_only=True)
    state["conv3.conv.bias"] = state["conv3.conv.bias"] + 0.01
    torch.save(state, tmp_path / "other.pt")
    with pytest.raises(ValueError, match="other.pt"):
        load_classifier(trained / "model.pt", tmp_path / "other.pt")
    with pytest.raises(FileNotFoundError, match="nothing.pt"):
        load_classifier(tmp_path / "nothing.pt", weights)
    with pytest.raises(FileNotFoundError, match="soundnet.pt"):
        load_classifier(trained / "model.pt", tmp_path / "soundnet.pt")
    unknown = clean_items(data["manifest"], data["splits"], splits=("test",)).assign(label="jazz")
    with pytest.raises(ValueError, match="jazz"):
        classify_items(load_classifier(trained / "model.pt", weights), unknown, progress=False)



def test_head_config_refuses_an_unknown_pooling_and_a_single_class():
    with pytest.raises(ValueError, match="pooling must be one of mean, last, got 'max'"):
        HeadConfig(n_classes=3, pooling="max")
    with pytest.raises(ValueError, match="at least 2 classes, got 1"):
        HeadConfig(n_classes=1)
    assert HeadConfig(n_classes=2, dense_units=[8.0, 4]).dense_units == (8, 4)


def test_drop_last_frame_keeps_a_single_frame_and_pad_frames_pads_at_the_end():
    assert drop_last_frame(np.zeros((3, 2))).shape == (2, 2) and drop_last_frame(np.zeros((1, 2))).shape == (1, 2)
    padded, lengths = pad_frames([torch.ones(2, 4), torch.ones(5, 4)])
    assert padded.shape == (2, 5, 4) and lengths.tolist() == [2, 5] and padded[0, 2:].abs().sum() == 0


def test_a_file_that_is_not_a_music2vec_model_is_refused_naming_it(weights, tmp_path):
    torch.save({"format": "something-else"}, tmp_path / "other_model.pt")
    with pytest.raises(ValueError, match=r"other_model\.pt: not a music2vec model file \(music2vec-1\)"):
        load_classifier(tmp_path / "other_model.pt", weights)
