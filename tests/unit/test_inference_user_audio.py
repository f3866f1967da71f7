"""inference.user_audio: one's own recordings, any format, rate, channels and length, denoised and
classified with a finished run's models.

A recording no longer than a chunk is separated bit for bit as the study's Separator separates a
clip; a longer one in chunks joined without seams (equal to each chunk's own result away from the
joins, and without clicks against a one-chunk separation of a stationary signal); stereo and any
rate are downmixed and resampled block by block; the no-harm weight follows the fitted curve at the
recording's blind SNR estimate; the unprocessed input is classified as the study's mixture
condition; and every kind of unusable file gives a reason instead of an error.

The signals are real recordings: the CC0 animal recordings of the pinned wheel (session fixture
``animal_clips``) over a steady synthetic tone; the models are the session's trained tiny DANet
and music2vec classifier (tests/unit/conftest.py).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import archives
import numpy as np
import pytest
import soundfile as sf

from danet_music2vec.audio import classifier_input, load_audio, observation_added, resample
from danet_music2vec.inference import user_audio as ua
from danet_music2vec.inference.no_harm import FIT_FORMAT
from danet_music2vec.inference.observation_adding import WeightCurve
from danet_music2vec.inference.outputs import blind_snr_db, write_music_estimate
from danet_music2vec.inference.separation import SeparationSettings, Separator
from danet_music2vec.models.danet import load_danet
from danet_music2vec.seeding import clip_seed

STFT = {"sample_rate": 8000, "n_fft": 256, "hop_length": 64, "window": "sqrt_hann", "segment_frames": 100}
RATE = 8000
SEED = 11
SEPARATION = {"attractors": "kmeans", "threshold_db": 40.0, "kmeans_max_points": 500,
              "noisereduce_stationary": False, "noisereduce_prop_decrease": 1.0, "seed": SEED}


# --------------------------------------------------------------------------- signals and models


def music_and_animal(animal_clips, seconds: float, rate: int = RATE, seed: int = 0) -> np.ndarray:
    """A tone (the 'music') with the wheel's real animal recordings laid over it, looped to ``seconds``."""
    music = archives.tone_clip(seed + 3, seconds, rate)
    animals = np.concatenate([resample(clip, 22050, rate) for clip in animal_clips.values()])
    reps = int(np.ceil(music.size / animals.size))
    noise = np.tile(animals, reps)[: music.size]
    return (0.6 * music + 0.4 * noise).astype(np.float32)


@pytest.fixture(scope="module")
def danet_path(danet_trained) -> Path:
    return danet_trained / "model.pt"


@pytest.fixture(scope="module")
def fit_path(tmp_path_factory) -> Path:
    """A no-harm fit file whose logistic curve is centred at 0 dB, 4 dB wide (so weights are mid-range)."""
    path = tmp_path_factory.mktemp("fit") / "danet.json"
    curves = {"logistic": {"curve": WeightCurve("logistic", 0.0, 4.0).as_dict(), "log_likelihood": -1.0},
              "constant": {"curve": WeightCurve("constant", constant=0.25).as_dict(), "log_likelihood": -1.1}}
    path.write_text(json.dumps({"format": FIT_FORMAT, "grid": [0.0, 1.0], "curves": curves, "clips": 1}))
    return path


@pytest.fixture(scope="module")
def models_for(danet_path, fit_path, m2v_trained, soundnet_weights_file):
    cache = {}

    def build(method: str, attractors: str = "kmeans") -> ua.RecordingModels:
        key = (method, attractors)
        if key not in cache:
            base = method.removesuffix("_oa").removesuffix("_al")
            cache[key] = ua.load_models(
                method, STFT, {**SEPARATION, "attractors": attractors}, classifier=m2v_trained / "model.pt",
                soundnet=soundnet_weights_file, danet=danet_path if base.startswith("danet") else None,
                fit=fit_path if method != base else None)
        return cache[key]

    return build


def separator(danet_path, attractors="kmeans") -> Separator:
    return Separator("danet", STFT, SeparationSettings(**{**SEPARATION, "attractors": attractors}),
                     load_danet(danet_path))


def chunked(signal: np.ndarray, sep: Separator, chunk_s: float, overlap_s: float, stem: str = "x"):
    blocks = list(ua.separate_in_chunks(lambda a, b: signal[a:b], signal.size, sep, chunk=int(chunk_s * RATE),
                                        overlap=int(overlap_s * RATE),
                                        seed_of=lambda i: ua.chunk_seed(SEED, stem, i)))
    return np.concatenate([b[0] for b in blocks]), np.concatenate([b[1] for b in blocks]), blocks


# --------------------------------------------------------------------------- the folder


def test_file_keys_are_ascii_stable_and_distinct():
    names = ["Café déjà vu – 音楽.flac", "take 1.wav", "live/take 1.wav", "TAKE_1.wav", "音楽.mp3"]
    keys = [ua.file_key(n) for n in names]
    assert all(ua.is_file_key(k) and k.isascii() for k in keys), keys
    assert len(set(keys)) == len(keys)
    assert keys[0].startswith("cafe_deja_vu_flac-") and keys[4].startswith("mp3-")
    assert ua.file_key("take 1.wav") == keys[1]  # the same path, the same key in every process


def test_the_folder_is_listed_recursively_audio_apart_hidden_left_out(tmp_path):
    for name in ("a.wav", "B.FLAC", "sub/c.ogg", "sub/d.mp3", "notes.txt", ".hidden.wav", ".cache/e.wav"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    audio, other = ua.list_recordings(tmp_path)
    assert sorted(audio.values()) == ["B.FLAC", "a.wav", "sub/c.ogg", "sub/d.mp3"]
    assert all(key == ua.file_key(path) for key, path in audio.items())
    assert other == ["notes.txt"]
    with pytest.raises(NotADirectoryError, match="not a folder"):
        ua.list_recordings(tmp_path / "a.wav")


# --------------------------------------------------------------------------- chunks


@pytest.mark.parametrize("n", [100, 4000, 4001, 10_000, 33_333, 100_000])
def test_chunks_have_one_length_cover_the_signal_and_overlap_at_least_as_asked(n):
    chunk, overlap = 4000, 1000
    starts = ua.chunk_starts(n, chunk, overlap)
    if n <= chunk:
        assert starts == [0]
        return
    assert starts[0] == 0 and starts[-1] + chunk == n
    assert all(b - a <= chunk - overlap for a, b in zip(starts, starts[1:]))  # overlaps of at least `overlap`
    assert len(starts) == int(np.ceil((n - overlap) / (chunk - overlap)))  # and no more chunks than needed


def test_crossfades_sum_to_one_and_rise_from_zero_to_one():
    fade = ua.crossfade_in(1000)
    assert np.allclose(fade + (1.0 - fade), 1.0)
    assert fade[0] < 1e-5 and fade[-1] > 1 - 1e-5 and np.all(np.diff(fade) > 0)


def test_classifier_windows_are_equal_and_one_window_up_to_one_and_a_half_chunks():
    assert ua.classifier_windows(44_999, 30_000) == [(0, 44_999)]
    windows = ua.classifier_windows(100_000, 30_000)
    assert len(windows) == 3 and windows[0][0] == 0 and windows[-1][1] == 100_000
    assert all(a[1] == b[0] for a, b in zip(windows, windows[1:]))
    assert max(b - a for a, b in windows) - min(b - a for a, b in windows) <= 1


def test_a_ten_second_input_is_separated_bit_for_bit_as_the_separator(animal_clips, danet_path):
    signal = music_and_animal(animal_clips, 10.0)
    sep = separator(danet_path)
    music, noise, blocks = chunked(signal, sep, chunk_s=30.0, overlap_s=2.0, stem="clip.0001+snr0")
    assert len(blocks) == 1
    # The first chunk is seeded as the study seeds the mixture whose id is the file's stem.
    expected_music, expected_noise = sep(signal, signal, signal, clip_seed=clip_seed(SEED, "clip.0001+snr0"))
    assert np.array_equal(music, expected_music) and np.array_equal(noise, expected_noise)


def test_chunks_equal_each_chunks_own_result_away_from_the_joins(animal_clips, danet_path):
    signal = music_and_animal(animal_clips, 11.0, seed=1)
    sep = separator(danet_path)
    chunk, overlap = 4 * RATE, 1 * RATE
    music, noise, blocks = chunked(signal, sep, 4.0, 1.0)
    assert music.shape == signal.shape == noise.shape
    starts = ua.chunk_starts(signal.size, chunk, overlap)
    assert len(blocks) == len(starts) == 4
    for i, start in enumerate(starts):
        own_music, own_noise = sep(signal[start:start + chunk].copy(), signal, signal,
                                   clip_seed=ua.chunk_seed(SEED, "x", i))
        # Samples of this chunk that no other chunk covers.
        alone_from = starts[i - 1] + chunk if i > 0 else 0
        alone_to = starts[i + 1] if i + 1 < len(starts) else signal.size
        assert alone_to - alone_from > RATE // 2
        assert np.array_equal(music[alone_from:alone_to], own_music[alone_from - start:alone_to - start])
        assert np.array_equal(noise[alone_from:alone_to], own_noise[alone_from - start:alone_to - start])


def test_no_clicks_at_the_joins_of_a_stationary_signal(danet_path):
    """A steady tone in steady noise, separated in 4 s chunks and as one chunk: the joins add no
    step (the sample-to-sample change at every join is as small as anywhere in the one-chunk
    result) and the two results agree closely everywhere."""
    rng = np.random.default_rng(4)
    t = np.arange(12 * RATE) / RATE
    signal = (0.4 * np.sin(2 * np.pi * 330 * t) + 0.1 * rng.standard_normal(t.size)).astype(np.float32)
    sep = separator(danet_path, attractors="fixed")  # the same attractors for every chunk: any difference is the join
    music, _, _ = chunked(signal, sep, 4.0, 1.0)
    whole, _ = sep(signal, signal, signal)
    starts = ua.chunk_starts(signal.size, 4 * RATE, RATE)
    steps = np.abs(np.diff(music))
    reference_step = np.abs(np.diff(whole)).max()
    rms = np.sqrt(np.mean(whole**2))
    for previous, start in zip(starts, starts[1:]):  # the incoming chunk's first sample, the outgoing one's last
        for at in (start, previous + 4 * RATE):
            around = slice(max(0, at - 64), min(steps.size, at + 64))
            assert steps[around].max() <= 1.05 * reference_step
            # and the chunked result stays close to the one-chunk result right there
            assert np.sqrt(np.mean((music[around] - whole[around]) ** 2)) < 0.1 * rms
    error = np.sqrt(np.mean((music - whole) ** 2)) / rms
    assert error < 0.05, error


# --------------------------------------------------------------------------- decoding


def test_stereo_and_any_rate_are_downmixed_and_resampled_in_blocks(animal_clips, tmp_path):
    mono = music_and_animal(animal_clips, 7.3, rate=44100, seed=2)
    stereo = np.stack([mono, 0.5 * np.roll(mono, 441)], axis=1)
    path = tmp_path / "stereo.wav"
    sf.write(path, stereo, 44100, subtype="PCM_16")
    info = ua.decode_recording(path, RATE, tmp_path / "out.wav", block_seconds=1.0)
    assert (info.sample_rate, info.channels, info.format) == (44100, 2, "WAV PCM_16")
    assert info.duration_s == pytest.approx(7.3, abs=1e-4)
    decoded, rate = sf.read(tmp_path / "out.wav", dtype="float32")
    whole, _ = load_audio(path, sample_rate=RATE)  # the study's reader: whole file, mean of the channels, soxr
    assert rate == RATE and abs(decoded.size - whole.size) <= 1 and decoded.size == info.samples
    n = min(decoded.size, whole.size)
    assert np.max(np.abs(decoded[:n] - whole[:n])) < 1e-3  # block-wise streaming resampling, same filter
    # A file at the working rate passes unchanged (mono: the mean of one channel is the channel).
    sf.write(tmp_path / "eight.wav", mono[: 3 * RATE], RATE, subtype="FLOAT")
    ua.decode_recording(tmp_path / "eight.wav", RATE, tmp_path / "eight_out.wav", block_seconds=0.7)
    assert np.array_equal(sf.read(tmp_path / "eight_out.wav", dtype="float32")[0], mono[: 3 * RATE])


@pytest.mark.parametrize("fmt, subtype, suffix", [("OGG", "VORBIS", ".ogg"), ("MP3", "MPEG_LAYER_III", ".mp3"),
                                                   ("FLAC", "PCM_24", ".flac")])
def test_compressed_formats_at_odd_rates_are_read(animal_clips, tmp_path, fmt, subtype, suffix):
    audio = music_and_animal(animal_clips, 4.0, rate=48000, seed=3)
    path = tmp_path / f"take{suffix}"
    sf.write(path, np.stack([audio, audio], axis=1), 48000, format=fmt, subtype=subtype)
    info = ua.decode_recording(path, RATE, tmp_path / "out.wav")
    assert info.channels == 2 and info.sample_rate == 48000
    assert info.samples == pytest.approx(4.0 * RATE, abs=0.02 * RATE)  # mp3 pads its frames a little


def _write_problem_files(folder: Path) -> dict[str, str]:
    """File name -> the start of the reason it must be given."""
    folder.mkdir()
    (folder / "corrupt.wav").write_bytes(b"RIFF" + os.urandom(3000))
    (folder / "empty.flac").write_bytes(b"")
    sf.write(folder / "no_samples.wav", np.zeros((0, 1), np.float32), RATE)
    sf.write(folder / "short.wav", archives.tone_clip(1, 0.1, 22050), 22050)
    sf.write(folder / "silent.wav", np.zeros(RATE, np.float32), RATE)
    nan = archives.tone_clip(2, 1.0, RATE)
    nan[100] = np.nan
    sf.write(folder / "nan.wav", nan, RATE, subtype="FLOAT")
    (folder / "a folder.wav").mkdir()  # unreadable as audio (a permission error reads the same: 'cannot be read')
    return {"corrupt.wav": "cannot be decoded", "empty.flac": "the file is empty", "no_samples.wav": "holds no audio",
            "short.wav": "too short: 0.10 s (the minimum is 0.2 s)", "silent.wav": "digital silence",
            "nan.wav": "holds NaN or infinite samples", "a folder.wav": "cannot be read"}


def test_unusable_files_give_their_reason_and_no_outputs(models_for, tmp_path):
    expected = _write_problem_files(tmp_path / "in")
    models = models_for("danet")
    settings = ua.UserAudioSettings(min_seconds=0.2, seed=SEED)
    for name, reason in expected.items():
        out = tmp_path / "out" / ua.file_key(name)
        record = ua.process_recording(tmp_path / "in" / name, name, out, models, settings)
        assert record["status"] == "problem" and record["reason"].startswith(reason), (name, record)
        assert sorted(p.name for p in out.iterdir()) == [ua.RESULT_FILE]
        assert ua.read_result(out)["reason"] == record["reason"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file whatever its mode")
def test_a_file_without_read_permission_cannot_be_read(tmp_path):
    path = tmp_path / "locked.wav"
    sf.write(path, archives.tone_clip(1, 1.0, RATE), RATE)
    path.chmod(0)
    with pytest.raises(ua.RecordingProblem, match="cannot be read"):
        ua.decode_recording(path, RATE, tmp_path / "out.wav")


# --------------------------------------------------------------------------- one recording


def test_a_recording_gives_its_outputs_and_the_studys_separation(animal_clips, models_for, tmp_path):
    signal = music_and_animal(animal_clips, 10.0, seed=5)
    path = tmp_path / "tune.0001.wav"
    sf.write(path, signal, RATE, subtype="FLOAT")
    models = models_for("danet")
    record = ua.process_recording(path, "tune.0001.wav", tmp_path / "out", models, ua.UserAudioSettings(seed=SEED))
    assert record["status"] == "ok" and record["chunks"] == 1 and record["windows"] == 1
    music, _ = sf.read(tmp_path / "out" / ua.MUSIC_8K, dtype="float32")
    noise, _ = sf.read(tmp_path / "out" / ua.NOISE_8K, dtype="float32")
    expected_music, expected_noise = models.separator(signal, signal, signal,
                                                      clip_seed=clip_seed(SEED, "tune.0001"))
    assert np.array_equal(music, expected_music) and np.array_equal(noise, expected_noise)
    assert record["blind_snr_db"] == blind_snr_db(expected_music, expected_noise) and record["mix_weight"] == 0.0
    listening, rate = sf.read(tmp_path / "out" / ua.MUSIC_LISTENING, dtype="float32")
    assert rate == 22050 and abs(listening.size - round(signal.size * 22050 / RATE)) <= 2
    # The classifier heard what the study's classify rule hears of a separation folder: the
    # stored 16-bit estimate (gain undone) through the classifier copy; the input as the mixture condition.
    stored = tmp_path / "stored.flac"
    gain = write_music_estimate(stored, expected_music, RATE)
    heard = load_audio(stored)[0] / np.float32(gain)
    classifier = models.classifier
    assert np.allclose(record["probs_denoised"], classifier.predict_proba(classifier_input(heard, RATE)), atol=1e-9)
    input_gain = write_music_estimate(stored, signal, RATE)
    heard_input = load_audio(stored)[0] / np.float32(input_gain)
    assert np.allclose(record["probs_input"], classifier.predict_proba(classifier_input(heard_input, RATE)), atol=1e-9)
    names = list(classifier.class_names)
    assert record["predicted"] == names[int(np.argmax(record["probs_denoised"]))]
    assert record["predicted_input"] == names[int(np.argmax(record["probs_input"]))]
    assert sum(record["probs_input"]) == pytest.approx(1.0) and sum(record["probs_denoised"]) == pytest.approx(1.0)


@pytest.mark.parametrize("method", ["danet_oa", "danet_al"])
def test_the_no_harm_weight_follows_the_curve_at_the_blind_snr(animal_clips, models_for, tmp_path, method):
    signal = music_and_animal(animal_clips, 6.0, seed=6)
    path = tmp_path / "take.wav"
    sf.write(path, signal, RATE, subtype="FLOAT")
    settings = ua.UserAudioSettings(seed=SEED)
    base = ua.process_recording(path, "take.wav", tmp_path / "base", models_for("danet"), settings)
    models = models_for(method)
    record = ua.process_recording(path, "take.wav", tmp_path / method, models, settings)
    curve = WeightCurve("logistic", 0.0, 4.0) if method == "danet_oa" else WeightCurve("constant", constant=0.25)
    assert record["blind_snr_db"] == base["blind_snr_db"]  # the base separation's estimate
    assert record["mix_weight"] == pytest.approx(float(curve(base["blind_snr_db"])))
    assert 0.0 < record["mix_weight"] < 1.0
    base_music, _ = sf.read(tmp_path / "base" / ua.MUSIC_8K, dtype="float32")
    music, _ = sf.read(tmp_path / method / ua.MUSIC_8K, dtype="float32")
    noise, _ = sf.read(tmp_path / method / ua.NOISE_8K, dtype="float32")
    stored = ua.stored_copy(base_music, ua.store_gain(float(np.max(np.abs(base_music)))), RATE)
    assert np.array_equal(music, observation_added(stored, signal, record["mix_weight"]))
    assert np.allclose(music + noise, signal, atol=1e-6)  # the noise estimate is the rest of the input
    heard = classifier_input(music, RATE)
    assert np.allclose(record["probs_denoised"], models.classifier.predict_proba(heard), atol=1e-9)


def test_a_long_stereo_recording_is_chunked_windowed_and_seamless(animal_clips, models_for, tmp_path):
    mono = music_and_animal(animal_clips, 20.0, rate=22050, seed=7)
    path = tmp_path / "long take.flac"
    sf.write(path, np.stack([mono, mono], axis=1), 22050, format="FLAC")
    settings = ua.UserAudioSettings(chunk_seconds=6.0, overlap_seconds=1.0, block_seconds=2.5, seed=SEED)
    record = ua.process_recording(path, "long take.flac", tmp_path / "out", models_for("danet_oa"), settings)
    assert record["status"] == "ok" and record["chunks"] == 4 and record["windows"] == 3
    assert record["duration_s"] == pytest.approx(20.0)
    music, _ = sf.read(tmp_path / "out" / ua.MUSIC_8K, dtype="float32")
    assert music.size == record["samples"] == pytest.approx(20 * RATE, abs=2)
    assert np.all(np.isfinite(music)) and np.max(np.abs(music)) > 0.01


def test_a_recording_under_a_second_is_processed(animal_clips, models_for, tmp_path):
    clip = next(iter(animal_clips.values()))[: int(0.3 * 22050)]
    path = tmp_path / "blip.ogg"
    sf.write(path, clip, 22050, format="OGG", subtype="VORBIS")
    record = ua.process_recording(path, "blip.ogg", tmp_path / "out", models_for("danet_oa"),
                                  ua.UserAudioSettings(seed=SEED))
    assert record["status"] == "ok" and record["duration_s"] == pytest.approx(0.3, abs=0.01)
    assert sf.info(tmp_path / "out" / ua.MUSIC_8K).frames == record["samples"]


def test_methods_without_their_files_are_refused(m2v_trained, soundnet_weights_file, danet_path):
    common = {"classifier": m2v_trained / "model.pt", "soundnet": soundnet_weights_file}
    with pytest.raises(ValueError, match="needs no-harm fit"):
        ua.load_models("danet_oa", STFT, SEPARATION, danet=danet_path, **common)
    with pytest.raises(ValueError, match="needs DANet model file"):
        ua.load_models("danet", STFT, SEPARATION, **common)
    with pytest.raises(ValueError, match="cannot denoise a recording"):
        ua.load_models("oracle_irm", STFT, SEPARATION, **common)
    with pytest.raises(ValueError, match="frequency bins"):
        ua.load_models("danet", {**STFT, "n_fft": 512}, SEPARATION, danet=danet_path, **common)
