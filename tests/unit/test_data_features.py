"""data.features: STFT segments in a real HDF5 file: layout, attributes, round trip, atomic writing."""

import archives
import h5py
import numpy as np
import pandas as pd
import pytest
import soundfile as sf
import torch

from danet_music2vec.data.features import SegmentStore, StftParams, write_features
from danet_music2vec.data.mixing import measured_snr_db
from danet_music2vec.transforms import ISTFT, from_segments


@pytest.fixture
def clips(tmp_path):
    music, noise = {}, {}
    for i, seconds in enumerate([2.0, 1.3]):
        path = tmp_path / f"blues.{i:05d}.wav"
        audio = archives.tone_clip(i, seconds, 22050)
        audio[: 22050 // 4] = 0.0  # a silent stretch: segments of zeros must not turn into NaN
        sf.write(path, audio, 22050)
        music[f"blues.{i:05d}"] = str(path)
    for i in range(2):
        path = tmp_path / f"1-{i}-A-0.wav"
        sf.write(path, np.random.default_rng(i).standard_normal(44100 * 5).astype(np.float32) * 0.1, 44100)
        noise[f"1-{i}-A-0"] = str(path)
    plan = pd.DataFrame({
        "mix_id": ["blues.00000+snr0", "blues.00000+snr-5", "blues.00001+snr0"],
        "split": "test", "music_id": ["blues.00000", "blues.00000", "blues.00001"],
        "snr_db": [0.0, -5.0, 0.0], "noise_ids": ["1-0-A-0;1-1-A-0", "1-0-A-0;1-1-A-0", "1-1-A-0;1-0-A-0"],
        "noise_offsets_s": ["0.5;4.9", "0.5;4.9", "1.0;2.0"],
    })
    return plan, music, noise


def build(tmp_path, clips, **kwargs):
    plan, music, noise = clips
    path = tmp_path / "test.h5"
    table = write_features(path, plan, music, noise, params=StftParams(), attrs={"variant": "noise2", "config_hash": "abc"}, **kwargs)
    return path, table


def test_feature_file_has_segments_attributes_and_mixture_manifest(tmp_path, clips):
    path, table = build(tmp_path, clips)
    with SegmentStore(path) as store:
        attrs = store.attrs
        assert {k: attrs[k] for k in ("sample_rate", "n_fft", "hop_length", "window", "n_bins", "segment_frames")} == {
            "sample_rate": 8000, "n_fft": 256, "hop_length": 64, "window": "sqrt_hann", "n_bins": 129, "segment_frames": 100,
        }
        assert attrs["variant"] == "noise2" and attrs["config_hash"] == "abc"
        # 2.0 s at 8 kHz: 1 + 16000 // 64 = 251 frames -> 3 segments; 1.3 s -> 164 frames -> 2 segments
        assert table["n_segments"].tolist() == [3, 3, 2] and len(store) == 8
        batch = store.read(0, 3)
        assert batch["mixture"].shape == (3, 100, 129) and batch["mixture"].dtype == np.complex64
        np.testing.assert_allclose(batch["mixture"], batch["music"] + batch["noise"], atol=1e-5)
        for name in ("mixture", "music", "noise"):
            assert np.isfinite(store.read(0, len(store), [name])[name]).all()
        stored = store.mixtures()
        assert stored["mix_id"].tolist() == table["mix_id"].tolist()
        assert stored["noise_gains"].str.count(";").eq(1).all()


def test_stored_segments_invert_to_the_stored_music_above_60_db(tmp_path, clips):
    path, table = build(tmp_path, clips)
    istft = ISTFT(256, 64)
    with SegmentStore(path) as store:
        for row in table.itertuples():
            segments = store.read(row.first_segment, row.first_segment + row.n_segments, ["music"])["music"]
            spec = from_segments(segments, 1 + row.n_samples // 64)
            audio = istft(torch.from_numpy(spec), length=row.n_samples).numpy()
            music = store.waveforms(row.Index)["music"]
            assert 10 * np.log10(np.sum(music**2) / np.sum((music - audio) ** 2)) > 60


def test_stored_waveforms_have_the_planned_snr(tmp_path, clips):
    path, table = build(tmp_path, clips)
    with SegmentStore(path) as store:
        for row in table.itertuples():
            wave = store.waveforms(row.Index)
            assert abs(measured_snr_db(wave["music"], wave["noise"]) - row.snr_db) < 0.1


def test_feature_file_is_chunked_and_compressed_so_a_batch_is_one_slice(tmp_path, clips):
    path, _ = build(tmp_path, clips, compression="gzip", chunk_segments=4)
    with h5py.File(path) as h5:
        assert h5["segments/music"].chunks == (4, 100, 129)
        assert h5["segments/music"].compression == "gzip"
    with SegmentStore(path) as store:
        blocks = list(store.blocks(3, np.random.default_rng(0)))
        assert sorted(blocks) == [(0, 3), (3, 6), (6, 8)]


def test_a_failure_midway_leaves_no_feature_file(tmp_path, clips):
    plan, music, noise = clips
    broken = dict(music, **{"blues.00001": str(tmp_path / "missing.wav")})
    with pytest.raises(Exception, match="missing.wav"):
        write_features(tmp_path / "x.h5", plan, broken, noise, params=StftParams(), attrs={})
    assert list(tmp_path.glob("*.h5")) == [] and list(tmp_path.glob(".x.h5*")) == []
