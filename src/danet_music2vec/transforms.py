"""STFT and inverse STFT as small modules, plus cutting spectrograms into segments.

The same objects serve feature precompute, training and inference, so the analysis
and synthesis paths cannot drift apart (the original study masked log magnitudes in
training but complex spectra at inference).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

WINDOWS = ("sqrt_hann", "hann")


def make_window(kind: str, n_fft: int) -> torch.Tensor:
    """Periodic analysis/synthesis window of length ``n_fft``.

    ``sqrt_hann`` (the original study's) gives a Hann window over analysis times
    synthesis, which overlap-adds to a constant at hops of n_fft/2, n_fft/4, ...
    """
    hann = torch.hann_window(n_fft, periodic=True, dtype=torch.float64)
    if kind == "sqrt_hann":
        return hann.sqrt().float()
    if kind == "hann":
        return hann.float()
    raise ValueError(f"unknown window {kind!r}; allowed: {', '.join(WINDOWS)}")


class STFT(nn.Module):
    """Short-time Fourier transform, centred frames.

    Args:
        n_fft: FFT size in samples (default 256: 32 ms at 8 kHz).
        hop_length: hop in samples (default 64: 8 ms at 8 kHz).
        window: ``sqrt_hann`` or ``hann``.
    """

    def __init__(self, n_fft: int = 256, hop_length: int = 64, window: str = "sqrt_hann") -> None:
        super().__init__()
        if not 0 < hop_length <= n_fft:
            raise ValueError(f"hop_length must be in 1..n_fft ({n_fft}), got {hop_length}")
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.window_kind = window
        self.register_buffer("window", make_window(window, n_fft), persistent=False)

    @property
    def n_bins(self) -> int:
        return self.n_fft // 2 + 1

    def n_frames(self, n_samples: int) -> int:
        """Frames produced for a signal of ``n_samples`` (centred framing)."""
        return 1 + n_samples // self.hop_length

    def forward(self, audio: torch.Tensor) -> torch.Tensor:
        """(..., nb_samples) float -> (..., nb_frames, nb_bins) complex.

        Time comes before frequency because the recurrent models read frames in order.
        """
        shape = audio.shape
        spec = torch.stft(
            audio.reshape(-1, shape[-1]), self.n_fft, self.hop_length, window=self.window,
            center=True, pad_mode="constant", return_complex=True,
        )
        return spec.transpose(-1, -2).reshape(*shape[:-1], spec.shape[-1], spec.shape[-2])


class ISTFT(nn.Module):
    """Inverse of :class:`STFT` with the same parameters (weighted overlap-add)."""

    def __init__(self, n_fft: int = 256, hop_length: int = 64, window: str = "sqrt_hann") -> None:
        super().__init__()
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.register_buffer("window", make_window(window, n_fft), persistent=False)

    def forward(self, spec: torch.Tensor, length: int) -> torch.Tensor:
        """(..., nb_frames, nb_bins) complex -> (..., length) float."""
        shape = spec.shape
        flat = spec.reshape(-1, shape[-2], shape[-1]).transpose(-1, -2)
        audio = torch.istft(
            flat, self.n_fft, self.hop_length, window=self.window, center=True, length=length,
        )
        return audio.reshape(*shape[:-2], length)


def to_segments(spec: np.ndarray, segment_frames: int) -> np.ndarray:
    """Cut a spectrogram into consecutive segments, zero-padding the last one.

    Args:
        spec: (nb_frames, nb_bins).

    Returns:
        (nb_segments, segment_frames, nb_bins), nb_segments = ceil(nb_frames / segment_frames).
    """
    n_frames, n_bins = spec.shape
    n_segments = -(-n_frames // segment_frames)
    padded = np.zeros((n_segments * segment_frames, n_bins), dtype=spec.dtype)
    padded[:n_frames] = spec
    return padded.reshape(n_segments, segment_frames, n_bins)


def from_segments(segments: np.ndarray, n_frames: int) -> np.ndarray:
    """Join segments back into one spectrogram of ``n_frames`` frames.

    Args:
        segments: (nb_segments, segment_frames, nb_bins).

    Returns:
        (n_frames, nb_bins).
    """
    n_segments, segment_frames, n_bins = segments.shape
    if n_frames > n_segments * segment_frames:
        raise ValueError(f"{n_segments} segments of {segment_frames} frames hold fewer than {n_frames} frames")
    return segments.reshape(n_segments * segment_frames, n_bins)[:n_frames]
