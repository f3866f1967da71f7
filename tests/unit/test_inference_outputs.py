"""inference.outputs: a separation folder's music estimates as 16-bit FLAC (a round trip within the
quantisation, scaled down only where it would clip), the noise estimate implied by each row
(the residual, or the mixture), the blind SNR, and index.csv read back with every fault named."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import soundfile as sf

from danet_music2vec.inference.outputs import (
    ENERGY_FLOOR, FULL_SCALE, INDEX_COLUMNS, NOISE_ESTIMATES, SeparationInputError, blind_snr_db,
    check_estimate_file, noise_estimate, read_estimates, read_music_estimate, read_separation_index,
    write_music_estimate,
)

SR = 8000
STEP = 2.0**-15  # one 16-bit step


def signal(seconds: float = 1.0, amplitude: float = 0.5, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * SR)) / SR
    audio = np.sin(2 * np.pi * 330 * t) + 0.3 * rng.standard_normal(t.size)
    return (amplitude * audio / np.max(np.abs(audio))).astype(np.float32)


def test_an_estimate_within_full_scale_round_trips_within_16_bit_quantisation(tmp_path):
    music = signal(amplitude=0.8)
    path = tmp_path / "a+snr0_music.flac"
    gain = write_music_estimate(path, music, SR)
    assert gain == 1.0
    info = sf.info(path)
    assert (info.format, info.subtype, info.samplerate, info.channels, info.frames) == ("FLAC", "PCM_16", SR, 1, music.size)
    back = read_music_estimate(path, gain, music.size, SR)
    assert back.dtype == np.float32 and back.shape == music.shape
    assert np.max(np.abs(back - music)) <= STEP / 2 + 1e-7  # rounding to the nearest step
    assert np.max(np.abs(back - music)) > 0  # it is quantised: not a float file
    # 16-bit quantisation is about -95 dB below full scale: far below any separation error.
    error_db = 10 * np.log10(np.mean((back - music) ** 2))
    assert error_db < -95


def test_a_loud_estimate_is_scaled_into_full_scale_and_its_gain_undone_on_reading(tmp_path):
    music = signal(amplitude=3.0)  # a separation may well exceed full scale
    path = tmp_path / "loud_music.flac"
    gain = write_music_estimate(path, music, SR)
    assert gain == pytest.approx(FULL_SCALE / 3.0)
    stored, _ = sf.read(path, dtype="float32")
    assert np.max(np.abs(stored)) <= FULL_SCALE + STEP  # nothing clipped
    back = read_music_estimate(path, gain)
    # The gain is undone: the level is the estimate's own, within one step scaled back up.
    assert np.max(np.abs(back - music)) <= (STEP / 2) / gain + 1e-6
    assert np.max(np.abs(back)) == pytest.approx(3.0, rel=1e-3)
    # A silent estimate is written as silence, gain one.
    assert write_music_estimate(tmp_path / "silent.flac", np.zeros(100, np.float32), SR) == 1.0
    np.testing.assert_array_equal(read_music_estimate(tmp_path / "silent.flac", 1.0), np.zeros(100))


def test_the_noise_estimate_is_the_residual_or_the_mixture():
    mixture, music = signal(seed=1), signal(amplitude=0.2, seed=2)
    residual = noise_estimate("residual", mixture, music)
    np.testing.assert_array_equal(residual, mixture - music)
    assert residual.dtype == np.float32
    np.testing.assert_array_equal(noise_estimate("mixture", mixture, music), mixture)
    assert NOISE_ESTIMATES == ("residual", "mixture")
    with pytest.raises(SeparationInputError, match="unknown noise estimate 'noise_file'; allowed: residual, mixture"):
        noise_estimate("noise_file", mixture, music)


def test_the_blind_snr_is_the_energy_ratio_of_the_estimates_and_finite_for_silence():
    music = signal(amplitude=0.5)
    assert blind_snr_db(music, 0.1 * music) == pytest.approx(20.0, abs=1e-5)  # 0.1 in float32
    assert blind_snr_db(music, music) == pytest.approx(0.0, abs=1e-12)
    silent = np.zeros_like(music)
    assert blind_snr_db(silent, music) == pytest.approx(
        10 * np.log10(ENERGY_FLOOR / np.sum(music.astype(np.float64) ** 2)))
    assert np.isfinite(blind_snr_db(silent, silent))


def test_an_estimate_file_that_does_not_fit_is_refused_naming_it(tmp_path):
    music = signal()
    path = tmp_path / "m_music.flac"
    write_music_estimate(path, music, SR)
    check_estimate_file(path, music.size, SR)
    check_estimate_file(path)  # nothing to compare: it only has to be a mono audio file
    cases = {
        "missing": (tmp_path / "nowhere.flac", music.size, SR, "separated audio file is missing"),
        "samples": (path, music.size + 1, SR, f"{music.size} samples, but the reference clip has {music.size + 1}"),
        "rate": (path, music.size, 22050, "sample rate 8000 Hz, expected 22050 Hz"),
    }
    stereo = tmp_path / "stereo.flac"
    sf.write(stereo, np.stack([music, music], axis=1), SR, subtype="PCM_16")
    cases["stereo"] = (stereo, music.size, SR, "2 channels, expected mono")
    for name, (file, n, rate, message) in cases.items():
        with pytest.raises(SeparationInputError, match=re.escape(f"{file}: {message}")):
            check_estimate_file(file, n, rate)
        with pytest.raises(SeparationInputError, match=re.escape(str(file))):
            read_music_estimate(file, 1.0, n, rate)
    broken = tmp_path / "nan_music.wav"  # a float file can hold what FLAC cannot
    sf.write(broken, np.array([0.1, np.nan, 0.2], np.float32), SR, subtype="FLOAT")
    with pytest.raises(SeparationInputError, match=re.escape(f"{broken}: holds non-finite samples")):
        read_music_estimate(broken, 1.0, 3, SR)


def write_folder(folder, rows: list[dict]) -> None:
    folder.mkdir(exist_ok=True)
    pd.DataFrame(rows, columns=list(INDEX_COLUMNS)).to_csv(folder / "index.csv", index=False)


def row(mix_id: str, **changes) -> dict:
    return {"mix_id": mix_id, "music_id": mix_id.split("+")[0], "snr_db": 0.0, "music_path": f"{mix_id}_music.flac",
            "music_gain": 1.0, "noise_estimate": "residual", "blind_snr_db": 1.0, "audio_seconds": 1.0,
            "seconds": 0.1, **changes}


def test_the_index_is_read_with_absolute_paths_and_the_estimates_with_it(tmp_path):
    folder = tmp_path / "danet"
    mixture = signal(amplitude=0.9, seed=3)
    music = (1.4 * signal(amplitude=0.9, seed=4)).astype(np.float32)
    folder.mkdir()
    gain = write_music_estimate(folder / "blues.00001+snr0_music.flac", music, SR)
    assert gain < 1.0
    write_music_estimate(folder / "blues.00002+snr0_music.flac", mixture, SR)
    write_folder(folder, [row("blues.00001+snr0", music_gain=gain),
                          row("blues.00002+snr0", noise_estimate="mixture")])
    index = read_separation_index(folder)
    assert index.index.tolist() == ["blues.00001+snr0", "blues.00002+snr0"]
    assert index["music_path"].tolist() == [str(folder / f"{m}_music.flac") for m in index.index]
    assert index["music_id"].tolist() == ["blues.00001", "blues.00002"]  # ids stay text
    music_est, noise_est = read_estimates(index.loc["blues.00001+snr0"], mixture, SR)
    assert np.max(np.abs(music_est - music)) <= (STEP / 2) / gain + 1e-6
    np.testing.assert_array_equal(noise_est, mixture - music_est)  # the residual of what was stored
    music_est, noise_est = read_estimates(index.loc["blues.00002+snr0"], mixture, SR)
    np.testing.assert_array_equal(noise_est, mixture)
    with pytest.raises(SeparationInputError, match="samples, but the reference clip has"):
        read_estimates(index.loc["blues.00002+snr0"], mixture[:-1], SR)


def test_a_broken_index_is_refused_naming_it(tmp_path):
    with pytest.raises(SeparationInputError, match=re.escape(f"{tmp_path / 'index.csv'}: no separation index")):
        read_separation_index(tmp_path)
    old = tmp_path / "old"
    old.mkdir()
    pd.DataFrame([{"mix_id": "a+snr0", "music_path": "a_music.wav", "noise_path": "a_noise.wav"}]).to_csv(
        old / "index.csv", index=False)
    with pytest.raises(SeparationInputError, match=re.escape(f"{old / 'index.csv'}: missing columns ['music_id'")):
        read_separation_index(old)
    twice = tmp_path / "twice"
    write_folder(twice, [row("a+snr0"), row("a+snr0")])
    with pytest.raises(SeparationInputError, match=r"mix ids listed more than once: \['a\+snr0'\]"):
        read_separation_index(twice)
    odd = tmp_path / "odd"
    write_folder(odd, [row("a+snr0", noise_estimate="file")])
    with pytest.raises(SeparationInputError, match=r"unknown noise_estimate values \['file'\]"):
        read_separation_index(odd)
