"""inference.separation: every method separates whole clips through one function, a clip alone and
in its file alike; the oracle masks separate well, clean_8khz is the references, the blind DANet
writes every clip without seams and beats doing nothing on a learnable task; a folder holds one 8 kHz
FLAC music estimate per mixture (no noise file, nothing at 22050 Hz) and its index.

The feature files and the trained DANet are session fixtures of tests/unit/conftest.py."""

from __future__ import annotations

import warnings
from pathlib import Path

import mir_eval
import numpy as np
import pandas as pd
import pytest
import soundfile as sf
import torch
from builders import DANET_STFT as STFT

from danet_music2vec.data.features import SegmentStore
from danet_music2vec.inference.danet_masks import separate_masks
from danet_music2vec.inference.outputs import read_estimates, read_music_estimate, read_separation_index
from danet_music2vec.inference.separation import INDEX_COLUMNS, SeparationSettings, Separator, separate_features
from danet_music2vec.models.danet import MUSIC, load_danet
from danet_music2vec.seeding import clip_seed


@pytest.fixture
def feature_files(danet_feature_files) -> dict[str, Path]:
    return danet_feature_files


@pytest.fixture
def trained(danet_trained) -> Path:
    return danet_trained


def bss(references: np.ndarray, music: np.ndarray, noise: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        sdr, _, _, _ = mir_eval.separation.bss_eval_sources(references, np.stack([music, noise]), compute_permutation=False)
    return sdr


def test_a_mixture_is_separated_the_same_whatever_else_is_in_the_file(feature_files, trained, tmp_path):
    model = load_danet(trained / "model.pt")
    separator = Separator("danet", STFT, SeparationSettings(attractors="kmeans", kmeans_max_points=500, seed=3), model)
    with SegmentStore(feature_files["test"]) as store:
        waves = store.waveforms(2)
        mix_id = store.mixtures().loc[2, "mix_id"]
    alone, _ = separator(**waves, clip_seed=clip_seed(3, mix_id))
    index = separate_features(feature_files["test"], tmp_path / "all", separator)
    gain = index.set_index("mix_id").loc[mix_id, "music_gain"]
    in_file = read_music_estimate(tmp_path / "all" / f"{mix_id}_music.flac", gain)
    # The stored estimate is the clip separated alone, within 16-bit quantisation (half a step of 2**-15).
    assert np.max(np.abs(in_file - alone)) <= 2.0**-16 / gain + 1e-7
    # The k-means subsample is seeded by the mixture's id (test_seeding.py pins clip_seed): another
    # seed gives another subsample and other estimates, so the equality above is the id's seed at work.
    assert clip_seed(3, "a+snr0") != clip_seed(3, "a+snr5")
    other_seed, _ = separator(**waves, clip_seed=clip_seed(3, mix_id + "+other"))
    assert not np.array_equal(other_seed, alone)
    index = pd.read_csv(tmp_path / "all" / "index.csv")
    assert index.columns.tolist() == list(INDEX_COLUMNS) and index["mix_id"].tolist()[2] == mix_id
    assert (index["noise_estimate"] == "residual").all()


def test_oracle_masks_separate_well_and_the_mixture_scores_zero_nsdr(feature_files):
    with SegmentStore(feature_files["test"]) as store:
        waves = store.waveforms(0)
    references = np.stack([waves["music"], waves["noise"]])
    mixture_sdr = bss(references, waves["mixture"], waves["mixture"])
    for method in ("oracle_irm", "oracle_ibm"):
        music, noise = Separator(method, STFT, SeparationSettings())(**waves)
        sdr = bss(references, music, noise)
        assert sdr[MUSIC] - mixture_sdr[MUSIC] > 8.0, method
    # The "mixture" method returns the mixture itself, so its NSDR is exactly zero.
    unprocessed = bss(references, *Separator("mixture", STFT, SeparationSettings())(**waves))
    assert unprocessed[MUSIC] - mixture_sdr[MUSIC] == 0.0


def test_clean_8khz_returns_the_references_and_writes_them_like_every_method(feature_files, tmp_path):
    with SegmentStore(feature_files["test"]) as store:
        waves = store.waveforms(0)
    music, noise = Separator("clean_8khz", STFT, SeparationSettings())(**waves)
    np.testing.assert_array_equal(music, waves["music"])
    np.testing.assert_array_equal(noise, waves["noise"])
    out = tmp_path / "clean_8khz"
    index = separate_features(feature_files["test"], out, Separator("clean_8khz", STFT, SeparationSettings()))
    info = sf.info(out / index["music_path"].iloc[0])
    assert (info.format, info.subtype, info.samplerate, info.channels) == ("FLAC", "PCM_16", STFT["sample_rate"], 1)
    written = read_music_estimate(out / index["music_path"].iloc[0], index["music_gain"].iloc[0])
    np.testing.assert_allclose(written, waves["music"], rtol=0, atol=2.0**-16 / index["music_gain"].iloc[0] + 1e-7)
    # One file per mixture, the music estimate only: no noise file, nothing at 22050 Hz.
    assert sorted(p.name for p in out.iterdir()) == sorted(["index.csv", *index["music_path"]])
    assert index["music_path"].tolist() == [f"{m}_music.flac" for m in index["mix_id"]]
    assert (index["noise_estimate"] == "residual").all()


def test_the_mixture_method_says_its_noise_estimate_is_the_mixture(feature_files, tmp_path):
    index = separate_features(feature_files["test"], tmp_path / "mixture", Separator("mixture", STFT, SeparationSettings()))
    assert (index["noise_estimate"] == "mixture").all()
    # Its two estimates are the same signal: a blind SNR of 0 dB.
    np.testing.assert_allclose(index["blind_snr_db"], 0.0, atol=1e-9)
    with SegmentStore(feature_files["test"]) as store:
        for i, entry in read_separation_index(tmp_path / "mixture").reset_index().iterrows():
            mixture = store.waveforms(i)["mixture"]
            music, noise = read_estimates(entry, mixture, 8000)
            np.testing.assert_array_equal(noise, mixture)
            assert np.max(np.abs(music - mixture)) <= 2.0**-16 / entry["music_gain"] + 1e-7


def test_blind_separation_writes_every_clip_without_seams(feature_files, trained, tmp_path):
    model = load_danet(trained / "model.pt")
    for attractors in ("kmeans", "fixed"):
        separator = Separator("danet", STFT, SeparationSettings(attractors=attractors, seed=3), model)
        out = tmp_path / attractors
        index = separate_features(feature_files["test"], out, separator)
        assert len(index) == 3 and (out / "index.csv").is_file()
        with SegmentStore(feature_files["test"]) as store:
            for i, row in index.iterrows():
                waves = store.waveforms(i)
                assert sf.info(out / row["music_path"]).samplerate == 8000
                music = read_music_estimate(out / row["music_path"], row["music_gain"])
                assert music.shape == waves["mixture"].shape
                # Masks sum to one, so the stored residual is the separator's own noise estimate.
                direct_music, direct_noise = separator(**waves, clip_seed=clip_seed(3, row["mix_id"]))
                noise = waves["mixture"] - music
                np.testing.assert_allclose(noise, direct_noise, rtol=0, atol=2.0**-16 / row["music_gain"] + 1e-4)
                # The blind SNR is the separator's own estimates' energy ratio.
                assert row["blind_snr_db"] == pytest.approx(
                    10 * np.log10(np.sum(direct_music.astype(np.float64) ** 2)
                                  / np.sum(direct_noise.astype(np.float64) ** 2)), abs=1e-3)
    # Around each join of 100-frame windows, the mask changes no faster than elsewhere.
    with SegmentStore(feature_files["test"]) as store:
        mix_spec = torch.from_numpy(np.concatenate(list(store.read(0, 4, ["mixture"])["mixture"])))
    # Windows start at 0, 50, 100, 150 (half overlap), or at 0, 75, 150 (a quarter, the default's).
    for overlap, joins in ((0.5, [49, 99, 149]), (0.25, [74, 99, 149, 174])):
        masks = separate_masks(model, mix_spec.abs()[:250], window=100, attractors="fixed", threshold_db=40,
                               overlap=overlap)
        jumps = (masks[1:, :, MUSIC] - masks[:-1, :, MUSIC]).abs().mean(dim=1)
        assert jumps[joins].max() <= 3 * jumps.median() + 1e-3, overlap


def test_blind_danet_beats_no_processing_on_a_learnable_task(feature_files, trained):
    model = load_danet(trained / "model.pt")
    separator = Separator("danet", STFT, SeparationSettings(attractors="kmeans"), model)
    gains = []
    with SegmentStore(feature_files["test"]) as store:
        for i in range(3):
            waves = store.waveforms(i)
            references = np.stack([waves["music"], waves["noise"]])
            base = bss(references, waves["mixture"], waves["mixture"])[MUSIC]
            gains.append(bss(references, *separator(**waves))[MUSIC] - base)
    assert np.mean(gains) > 2.0, gains
