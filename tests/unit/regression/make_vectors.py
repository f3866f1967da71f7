"""Regenerate the stored regression vectors of the unit tests (tests/unit/regression/*).

Run it ONLY after a deliberate change of the numbers (a new STFT window, another DANet
layer, a fixed SoundNet mapping, a new metric formula), never to make a failing test pass
after a refactor: a refactor must leave every vector as it is. Then commit the new files
and say in the commit message why the numbers changed::

    .venv/bin/python tests/unit/regression/make_vectors.py

What it writes (each file well under 200 KB), and which tests read it:

* ``stft.npz``: a fixed 0.5 s chirp plus noise at 8 kHz, its ``transforms.STFT`` (n_fft 256,
  hop 64, sqrt-Hann) and the ISTFT round trip (tests/unit/test_transforms.py).
* ``danet.npz``: a small ``models.danet.DANet`` (weights from ``torch.manual_seed``, set
  input mean/std and fixed attractors, all stored), a fixed mixture and source magnitudes,
  the embeddings, the attractors and masks of ``models.attractors`` on them and both losses
  of ``training.losses`` (test_models_danet.py, test_models_attractors.py,
  test_training_losses.py).
* ``soundnet_conv7.npz``: ``fetch.soundnet_weights.state_dict_from_npy`` of a seeded params
  dict of the right shapes in ``models.soundnet.SoundNet8``: the mapped conv1 weights,
  ``embed()`` of a fixed 3 s waveform at 22050 Hz at conv7 and both heads' logits; no
  download (test_fetch_soundnet_weights.py, test_models_soundnet.py).
* ``bss_signals.npz`` and ``bss_clip_metrics.csv``: fixed 0.5 s references and estimates,
  and ``evaluation.bss.clip_metrics`` of them with both backends, straight and swapped
  (test_evaluation_bss.py).
* ``classification_summary.csv``: ``evaluation.classification.summarize`` of a hand-made
  clean + conditions prediction set (test_evaluation_classification.py).

The inputs and the calls are in ``vectors.py``, shared with the tests.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import scipy.signal
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vectors  # noqa: E402


def write_stft() -> None:
    signal = vectors.stft_signal()
    np.savez_compressed(vectors.STFT_FILE, signal=signal, **vectors.stft_outputs(signal))


def write_danet() -> None:
    from danet_music2vec.models.attractors import active_bins, attractors_from_mask, ideal_binary_mask
    from danet_music2vec.models.danet import DANet, DanetConfig

    config = vectors.DANET_CONFIG
    n_bins, frames = config["n_bins"], vectors.DANET_FRAMES
    torch.manual_seed(vectors.DANET_SEED)
    model = DANet(DanetConfig(**config)).eval()
    model.input_mean.copy_(torch.from_numpy(vectors.uniform(11, (n_bins,), -4.0, -1.0)).float())
    model.input_std.copy_(torch.from_numpy(vectors.uniform(12, (n_bins,), 0.5, 2.0)).float())
    # Music loud in the low bins, noise broadband; a quiet corner that active_bins leaves out.
    low = (np.arange(n_bins) < n_bins // 2).astype(np.float64)
    music = vectors.uniform(13, (1, frames, n_bins), 0.0, 1.0) * (0.1 + 0.9 * low)
    noise = 0.4 * vectors.uniform(14, (1, frames, n_bins), 0.0, 1.0)
    music[:, :3, -4:] = noise[:, :3, -4:] = 1e-4
    sources = np.stack([music, noise], axis=-1).astype(np.float32)
    mix = (sources[..., 0] + sources[..., 1]).astype(np.float32)
    with torch.no_grad():  # fixed attractors near (not at) the ideal-binary-mask ones
        mix_t, sources_t = torch.from_numpy(mix), torch.from_numpy(sources)
        oracle = attractors_from_mask(model(mix_t), ideal_binary_mask(sources_t), active_bins(mix_t, 40.0))[0]
        jitter = torch.from_numpy(vectors.uniform(15, tuple(oracle.shape), -0.3, 0.3)).float()
        model.fixed_attractors.copy_(oracle + jitter)
    stored = {f"state.{key}": value.numpy() for key, value in model.state_dict().items()}
    stored |= {"config": np.array(json.dumps(config, sort_keys=True)), "mix_magnitude": mix,
               "source_magnitudes": sources}
    np.savez_compressed(vectors.DANET_FILE, **stored, **vectors.danet_outputs(stored))


def write_soundnet() -> None:
    np.savez_compressed(vectors.SOUNDNET_FILE, **vectors.soundnet_outputs())


def write_bss() -> None:
    n = vectors.STFT_RATE // 2
    t = np.arange(n) / vectors.STFT_RATE
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 2.0 * t) ** 2
    music = envelope * (np.sin(2 * np.pi * 330.0 * t) + 0.3 * np.sin(2 * np.pi * 990.0 * t + 0.4))
    noise = scipy.signal.lfilter([1.0], [1.0, -0.8], vectors.uniform(21, (n,)))
    noise *= np.sqrt(np.mean(music**2) / np.mean(noise**2))
    # An imperfect separation: some noise left in the music, a little distortion, a delay-free leak.
    music_est = 0.9 * music + 0.25 * noise + 0.02 * vectors.uniform(22, (n,))
    noise_est = (music + noise) - music_est
    signals = {name: value.astype(np.float32) for name, value in
               (("music", music), ("noise", noise), ("music_est", music_est), ("noise_est", noise_est))}
    np.savez_compressed(vectors.BSS_SIGNALS_FILE, **signals)
    vectors.bss_outputs(signals).to_csv(vectors.BSS_METRICS_FILE, index=False)


def write_classification() -> None:
    vectors.classification_outputs().to_csv(vectors.CLASSIFICATION_FILE, index=False)


def main() -> None:
    torch.set_num_threads(1)
    for write in (write_stft, write_danet, write_soundnet, write_bss, write_classification):
        write()
    for path in sorted(vectors.HERE.glob("*.*")):
        if path.suffix in (".npz", ".csv"):
            print(f"{path.name}: {path.stat().st_size / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
