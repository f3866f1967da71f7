"""transforms: STFT / inverse STFT, segment cutting, and the stored regression vector."""

import numpy as np
import pytest
import torch

from danet_music2vec.transforms import ISTFT, STFT, from_segments, make_window, to_segments


def snr_db(reference: np.ndarray, estimate: np.ndarray) -> float:
    return 10 * np.log10(np.sum(reference**2) / np.sum((reference - estimate) ** 2))


def test_stft_shape_is_frames_by_bins_with_129_bins_for_n_fft_256():
    stft = STFT(256, 64)
    spec = stft(torch.randn(2, 8000))
    assert spec.shape == (2, stft.n_frames(8000), 129)
    assert spec.dtype == torch.complex64


@pytest.mark.parametrize("window", ["sqrt_hann", "hann"])
def test_inverse_stft_reconstructs_audio_above_60_db(window):
    audio = torch.from_numpy(np.random.default_rng(0).standard_normal(12345).astype(np.float32))
    spec = STFT(256, 64, window)(audio)
    back = ISTFT(256, 64, window)(spec, length=audio.numel())
    assert snr_db(audio.numpy(), back.numpy()) > 60


def test_segments_round_trip_through_padding_reconstructs_audio_above_60_db():
    audio = np.random.default_rng(1).standard_normal(8000 * 3 + 17).astype(np.float32)
    stft, istft = STFT(256, 64), ISTFT(256, 64)
    spec = stft(torch.from_numpy(audio)).numpy()
    segments = to_segments(spec, 100)
    assert segments.shape == (-(-spec.shape[0] // 100), 100, 129)
    assert np.all(segments[-1, spec.shape[0] % 100:] == 0)  # zero padding after the last frame
    joined = from_segments(segments, spec.shape[0])
    back = istft(torch.from_numpy(joined), length=audio.size).numpy()
    assert snr_db(audio, back) > 60


def test_sqrt_hann_squared_is_hann():
    assert torch.allclose(make_window("sqrt_hann", 256) ** 2, make_window("hann", 256), atol=1e-6)


def test_bad_window_and_hop_are_refused_with_the_allowed_values():
    with pytest.raises(ValueError, match="sqrt_hann, hann"):
        make_window("hamming", 256)
    with pytest.raises(ValueError, match="hop_length"):
        STFT(256, 512)


def test_from_segments_refuses_more_frames_than_stored():
    with pytest.raises(ValueError, match="fewer than"):
        from_segments(np.zeros((2, 100, 129), np.complex64), 201)


# --------------------------------------------------------------------------- regression vector


def test_stft_of_a_fixed_signal_and_its_round_trip_match_the_stored_vector():
    from regression import vectors

    stored = vectors.load(vectors.STFT_FILE)
    vectors.assert_close(vectors.stft_signal(), stored["signal"], "the input signal (vectors.stft_signal)")
    outputs = vectors.stft_outputs(stored["signal"])
    assert outputs["stft"].shape == stored["stft"].shape == (1 + 4000 // 64, 129)
    assert outputs["stft"].dtype == np.complex64
    vectors.assert_close(outputs["stft"], stored["stft"], "STFT (n_fft 256, hop 64, sqrt_hann)")
    vectors.assert_close(outputs["istft"], stored["istft"], "ISTFT of the STFT")
    assert snr_db(stored["signal"], outputs["istft"]) > 60
