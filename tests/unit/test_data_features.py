"""data.features: mixtures in a real HDF5 file (each clip's waveforms once, STFT segments computed when
read): layout, attributes, segments equal to a direct STFT (bit for bit in float32, within float16
rounding by default), old files refused, round trip, atomic writing."""

import re

import archives
import h5py
import numpy as np
import pandas as pd
import pytest
import soundfile as sf
import torch

from danet_music2vec.data.features import LAYOUT, AudioCache, SegmentStore, StftParams, write_features
from danet_music2vec.data.mixing import MixingError, measured_snr_db, mix_at_snr
from danet_music2vec.transforms import ISTFT, STFT, from_segments, to_segments


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


def test_a_file_stores_each_clips_waveforms_once_compressed_and_a_row_per_mixture(tmp_path, clips):
    path, table = build(tmp_path, clips, compression="gzip")
    with h5py.File(path) as h5:
        assert h5.attrs["layout"] == LAYOUT and h5.attrs["waveform_dtype"] == "float16"
        # two music clips (blues.00000 at 0 and -5 dB is one clip), the longest 2.0 s at 8 kHz
        assert set(h5["waveforms"]) == {"music", "noise"} and h5["waveforms/music"].shape == (2, 16001)
        for name in ("music", "noise"):
            assert h5[f"waveforms/{name}"].dtype == np.float16 and h5[f"waveforms/{name}"].compression == "gzip"
        assert set(h5["segments"]) == {"mix_index", "segment_index"}  # no stored spectra
        assert h5["segments/mix_index"][:].tolist() == [0, 0, 0, 1, 1, 1, 2, 2]
        assert h5["segments/segment_index"][:].tolist() == [0, 1, 2, 0, 1, 2, 0, 1]
    assert table["clip_index"].tolist() == [0, 0, 1]
    np.testing.assert_allclose(table["noise_scale"], [1.0, 10 ** (5 / 20), 1.0], rtol=1e-12)
    # The applied gains are the 0 dB gains times the scale: the SNR sweep changes the level only.
    gains = table["noise_gains"].str.split(";").map(lambda g: np.array(g, dtype=float))
    np.testing.assert_allclose(gains[1], gains[0] * 10 ** (5 / 20), rtol=1e-5)
    with SegmentStore(path) as store:
        blocks = list(store.blocks(3, np.random.default_rng(0)))
        assert sorted(blocks) == [(0, 3), (3, 6), (6, 8)]
        # A read across mixtures gives each mixture's own segments, whatever the block boundaries.
        whole = store.read(0, len(store))
        for start, stop in blocks:
            part = store.read(start, stop)
            for name in ("mixture", "music", "noise"):
                np.testing.assert_array_equal(part[name], whole[name][start:stop])
        with pytest.raises(ValueError, match=r"unknown sources \['voice'\]"):
            store.read(0, 1, ["voice"])


def direct_segments(row, music_paths, noise_paths, params=StftParams()) -> dict[str, np.ndarray]:
    """The STFT segments of a planned mixture computed directly from its audio files: mixed at
    its SNR (mix_at_snr) and transformed as the pipeline does, no feature file involved."""
    cache = AudioCache(params.sample_rate)
    music = cache.get(music_paths[row.music_id], keep=False)
    noises = [cache.get(noise_paths[n], keep=False) for n in row.noise_ids.split(";")]
    offsets = [int(round(float(o) * params.sample_rate)) for o in row.noise_offsets_s.split(";")]
    mixed = mix_at_snr(music, noises, offsets, row.snr_db)
    stft = STFT(params.n_fft, params.hop_length, params.window)
    with torch.no_grad():
        specs = stft(torch.from_numpy(np.stack([mixed.music, mixed.noise]))).numpy()
    out = {"music": to_segments(specs[0], params.segment_frames), "noise": to_segments(specs[1], params.segment_frames)}
    return {**out, "mixture": out["music"] + out["noise"]}


def relative_error(actual: np.ndarray, expected: np.ndarray) -> float:
    return float(np.linalg.norm(actual - expected) / np.linalg.norm(expected))


def test_float32_waveforms_give_the_directly_computed_segments_bit_for_bit(tmp_path, clips):
    plan, music, noise = clips
    path, table = build(tmp_path, clips, dtype="float32")
    with SegmentStore(path) as store:
        assert store.attrs["waveform_dtype"] == "float32"
        for row in table.itertuples():
            stored = store.read(row.first_segment, row.first_segment + row.n_segments)
            direct = direct_segments(row, music, noise)
            for name in ("mixture", "music", "noise"):
                assert stored[name].shape == direct[name].shape == (row.n_segments, 100, 129)
                if row.snr_db == 0.0 or name == "music":
                    np.testing.assert_array_equal(stored[name], direct[name], err_msg=f"{row.mix_id} {name}")
                else:
                    # At another SNR the stored 0 dB noise is scaled in float32 after the cast, the direct
                    # mixing scales in float64 before it: the same numbers within float32 rounding.
                    assert relative_error(stored[name], direct[name]) < 1e-6, (row.mix_id, name)


def test_float16_waveforms_give_the_directly_computed_segments_within_float16_rounding(tmp_path, clips):
    plan, music, noise = clips
    path, table = build(tmp_path, clips)  # float16, the default
    with SegmentStore(path) as store:
        for row in table.itertuples():
            stored = store.read(row.first_segment, row.first_segment + row.n_segments)
            direct = direct_segments(row, music, noise)
            for name in ("mixture", "music", "noise"):
                error = relative_error(stored[name], direct[name])
                # float16 keeps 11 significant bits: each sample within 2**-11 of itself, and the STFT,
                # a tight frame, carries that over (about 2e-4 measured, -74 dB).
                assert 0 < error < 2.0**-11, (row.mix_id, name, error)


def test_an_old_layout_file_is_refused_naming_it(tmp_path, clips):
    path, _ = build(tmp_path, clips)
    with h5py.File(path, "r+") as h5:
        del h5.attrs["layout"]
    with pytest.raises(ValueError, match=re.escape(str(path)) + r": not a feature file of layout 'waveforms-2' "
                                         r"\(no layout attribute\); rebuild it"):
        SegmentStore(path)
    with h5py.File(path, "r+") as h5:
        h5.attrs["layout"] = "segments-1"
    with pytest.raises(ValueError, match=re.escape(str(path)) + r".*layout 'segments-1'"):
        SegmentStore(path)


def test_a_clip_planned_with_different_noises_at_two_snrs_and_an_unknown_dtype_are_refused(tmp_path, clips):
    plan, music, noise = clips
    odd = plan.copy()
    odd.loc[1, "noise_offsets_s"] = "0.7;4.9"  # blues.00000 at -5 dB, other offsets than at 0 dB
    with pytest.raises(MixingError, match="music clip blues.00000: its mixtures are planned with different noises"):
        write_features(tmp_path / "odd.h5", odd, music, noise, params=StftParams(), attrs={})
    with pytest.raises(ValueError, match="waveform dtype must be one of float16, float32, got 'float64'"):
        write_features(tmp_path / "wide.h5", plan, music, noise, params=StftParams(), attrs={}, dtype="float64")
    assert list(tmp_path.glob("*.h5")) == []


def test_a_failure_midway_leaves_no_feature_file(tmp_path, clips):
    plan, music, noise = clips
    broken = dict(music, **{"blues.00001": str(tmp_path / "missing.wav")})
    with pytest.raises(Exception, match="missing.wav"):
        write_features(tmp_path / "x.h5", plan, broken, noise, params=StftParams(), attrs={})
    assert list(tmp_path.glob("*.h5")) == [] and list(tmp_path.glob(".x.h5*")) == []
