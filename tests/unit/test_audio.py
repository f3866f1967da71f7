"""audio: decoding, downmixing and resampling, atomic wav and FLAC writing, levels, the classifier's
copy and input.

Errors name the file they are about (the ``gtzan`` fixture of tests/unit/conftest.py holds an
undecodable clip)."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from danet_music2vec.audio import (
    CLASSIFIER_RATE, AudioError, active_span, classifier_copy, classifier_input, load_audio, pcm16_round_trip,
    resample, rms_db, write_wav,
)


def tone(rate: int, seconds: float, freq: float = 440.0, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def test_write_load_resample_round_trip(tmp_path):
    audio = tone(22050, 1.0)
    path = write_wav(tmp_path / "sub" / "tone.wav", audio, 22050, subtype="FLOAT")
    assert path == tmp_path / "sub" / "tone.wav" and sorted(p.name for p in path.parent.iterdir()) == ["tone.wav"]
    back, rate = load_audio(path)
    assert rate == 22050 and back.dtype == np.float32 and back.flags.c_contiguous
    np.testing.assert_array_equal(back, audio)  # FLOAT: not quantised
    at_8k, rate = load_audio(path, sample_rate=8000)
    assert rate == 8000 and abs(at_8k.size - 8000) <= 1
    np.testing.assert_array_equal(at_8k, resample(audio, 22050, 8000))
    # A 440 Hz tone keeps its level and frequency through the resampler (edges left out).
    middle = at_8k[800:-800]
    assert rms_db(middle) == pytest.approx(rms_db(audio), abs=0.05)
    spectrum = np.abs(np.fft.rfft(middle * np.hanning(middle.size)))
    assert np.fft.rfftfreq(middle.size, 1 / 8000)[spectrum.argmax()] == pytest.approx(440, abs=2)
    assert resample(audio, 22050, 22050) is audio  # nothing to do, no copy


def test_pcm16_files_are_quantised_to_16_bits_and_stereo_is_averaged(tmp_path):
    left, right = tone(8000, 0.5, 300.0), tone(8000, 0.5, 700.0, 0.25)
    path = write_wav(tmp_path / "stereo.wav", np.stack([left, right], axis=1), 8000)
    assert sf.info(path).subtype == "PCM_16" and sf.info(path).channels == 2
    both, _ = load_audio(path, mono=False)
    assert both.shape == (left.size, 2)
    assert np.abs(both - np.stack([left, right], axis=1)).max() <= 1 / 32768
    mono, _ = load_audio(path)
    np.testing.assert_allclose(mono, both.mean(axis=1), rtol=0, atol=1e-7)
    np.testing.assert_array_equal(pcm16_round_trip(left, 8000), both[:, 0])


def test_write_replaces_an_existing_file_atomically(tmp_path):
    path = tmp_path / "clip.wav"
    write_wav(path, tone(8000, 0.5), 8000)
    write_wav(path, np.zeros(100, np.float32), 8000)
    assert sf.info(path).frames == 100
    assert [p.name for p in tmp_path.iterdir()] == ["clip.wav"]


def test_unreadable_audio_error_names_the_file(gtzan):
    path = gtzan / "genres" / "jazz" / "jazz.00001.wav"
    with pytest.raises(AudioError, match="jazz.00001.wav: cannot be decoded"):
        load_audio(path)
    with pytest.raises(AudioError, match="nothing.wav: file not found"):
        load_audio(gtzan / "nothing.wav")


def test_empty_and_non_finite_files_are_refused_naming_the_file(tmp_path):
    sf.write(tmp_path / "empty.wav", np.zeros(0, np.float32), 8000, subtype="FLOAT")
    with pytest.raises(AudioError, match=r"empty\.wav: holds no samples") as error:
        load_audio(tmp_path / "empty.wav")
    assert error.value.path == tmp_path / "empty.wav" and error.value.problem == "holds no samples"
    broken = tone(8000, 0.1)
    broken[5] = np.nan
    sf.write(tmp_path / "nan.wav", broken, 8000, subtype="FLOAT")
    with pytest.raises(AudioError, match=r"nan\.wav: holds NaN or infinite samples"):
        load_audio(tmp_path / "nan.wav")


def test_rms_level_in_db_full_scale():
    assert rms_db(np.ones(100, np.float32)) == pytest.approx(0.0)
    assert rms_db(tone(8000, 1.0, 1000.0, 1.0)) == pytest.approx(-3.0103, abs=1e-3)  # a full-scale sine
    assert rms_db(np.zeros(10, np.float32)) == float("-inf") == rms_db(np.zeros(0, np.float32))


def test_active_span_brackets_the_sound_of_a_silence_padded_clip():
    rate = 8000
    audio = np.zeros(5 * rate, dtype=np.float32)
    audio[int(1.5 * rate): int(2.25 * rate)] = 0.3 * np.sin(np.arange(int(0.75 * rate)) * 0.2)
    start, end = active_span(audio, rate, silence_db=-60.0)
    assert start == pytest.approx(1.5, abs=0.02) and end == pytest.approx(2.25, abs=0.02)
    assert active_span(np.zeros(rate, dtype=np.float32), rate, silence_db=-60.0) == (0.0, 0.0)


def test_classifier_copy_is_at_22050_hz_and_scaled_down_only_where_it_would_clip():
    quiet = tone(8000, 1.0, 440.0, 0.5)
    copy, gain = classifier_copy(quiet, 8000)
    assert CLASSIFIER_RATE == 22050 and gain == 1.0 and abs(copy.size - 22050) <= 1
    np.testing.assert_array_equal(copy, resample(quiet, 8000, 22050))
    loud = quiet * 3.0  # peaks at 1.5: a mixture can exceed full scale
    copy, gain = classifier_copy(loud, 8000)
    assert gain == pytest.approx(0.999 / np.abs(resample(loud, 8000, 22050)).max())
    assert np.abs(copy).max() == pytest.approx(0.999, abs=1e-6)


def test_flac_is_written_atomically_in_16_bits_within_half_a_step(tmp_path):
    audio = tone(8000, 0.5, 330.0, 0.7)
    flac = write_wav(tmp_path / "a.flac", audio, 8000, format="FLAC")
    wav = write_wav(tmp_path / "a.wav", audio, 8000)
    assert sf.info(flac).format == "FLAC" and sf.info(flac).subtype == "PCM_16"
    assert flac.stat().st_size < wav.stat().st_size  # lossless and smaller
    step = 2.0**-15
    # libsndfile scales by 2**15 for FLAC (rounding: half a step at most) and by 2**15 - 1 for a 16-bit
    # wav read back at 2**15 (up to one step): both 16-bit, neither worse than -90 dB.
    assert np.max(np.abs(load_audio(flac)[0] - audio)) <= step / 2 + 1e-7
    assert np.max(np.abs(load_audio(wav)[0] - audio)) <= step + 1e-7
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.flac", "a.wav"]  # no temporary left


def test_the_classifier_input_is_its_copy_after_a_16_bit_round_trip():
    for amplitude in (0.5, 1.5):  # within full scale, and a mixture beyond it (scaled down first)
        audio = tone(8000, 1.0, 440.0, amplitude)
        copy, _ = classifier_copy(audio, 8000)
        result = classifier_input(audio, 8000)
        np.testing.assert_array_equal(result, pcm16_round_trip(copy, CLASSIFIER_RATE))
        assert result.dtype == np.float32 and abs(result.size - 22050) <= 1 and np.abs(result).max() <= 1.0
