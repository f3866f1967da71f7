"""inference.separation: every method separates whole clips through one function, a clip alone and
in its file alike; the oracle masks separate well, clean_8khz is the references, the blind DANet
writes every clip without seams and beats doing nothing on a learnable task.

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
    separate_features(feature_files["test"], tmp_path / "all", separator)
    in_file, _ = sf.read(tmp_path / "all" / f"{mix_id}_music.wav", dtype="float32")
    np.testing.assert_array_equal(in_file, alone)
    # The k-means subsample is seeded by the mixture's id (test_seeding.py pins clip_seed): another
    # seed gives another subsample and other estimates, so the equality above is the id's seed at work.
    assert clip_seed(3, "a+snr0") != clip_seed(3, "a+snr5")
    other_seed, _ = separator(**waves, clip_seed=clip_seed(3, mix_id + "+other"))
    assert not np.array_equal(other_seed, alone)
    index = pd.read_csv(tmp_path / "all" / "index.csv")
    assert index.columns.tolist() == list(INDEX_COLUMNS) and index["mix_id"].tolist()[2] == mix_id


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
    index = separate_features(feature_files["test"], tmp_path / "clean_8khz",
                              Separator("clean_8khz", STFT, SeparationSettings()))
    written, rate = sf.read(tmp_path / "clean_8khz" / index["music_path"].iloc[0], dtype="float32")
    np.testing.assert_array_equal(written, waves["music"])
    assert rate == STFT["sample_rate"]
    assert sf.info(tmp_path / "clean_8khz" / index["music_22050_path"].iloc[0]).samplerate == 22050


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
                music, rate = sf.read(out / row["music_path"], dtype="float32")
                noise, _ = sf.read(out / row["noise_path"], dtype="float32")
                assert rate == 8000 and music.shape == waves["mixture"].shape
                # Masks sum to one, so the two estimates add back up to the mixture.
                np.testing.assert_allclose(music + noise, waves["mixture"], atol=1e-4)
                info = sf.info(out / row["music_22050_path"])
                assert info.samplerate == 22050
                assert abs(info.frames - round(len(music) * 22050 / 8000)) <= 1
    # Around each join of 100-frame windows, the mask changes no faster than elsewhere.
    with SegmentStore(feature_files["test"]) as store:
        mix_spec = torch.from_numpy(np.concatenate(list(store.read(0, 4, ["mixture"])["mixture"])))
    masks = separate_masks(model, mix_spec.abs()[:250], window=100, attractors="fixed", threshold_db=40)
    jumps = (masks[1:, :, MUSIC] - masks[:-1, :, MUSIC]).abs().mean(dim=1)
    joins = [49, 99, 149]  # half-overlapping windows start at 0, 50, 100, 150 (the last at 150)
    assert jumps[joins].max() <= 3 * jumps.median() + 1e-3


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
