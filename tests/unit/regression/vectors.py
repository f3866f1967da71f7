"""The fixed inputs of the stored regression vectors, and how the tests compare with them.

``make_vectors.py`` (beside this file) runs the package on these inputs and stores the
outputs; the unit tests run the package on the same inputs and compare. Inputs that are
cheap to store are stored with the outputs (the STFT signal, the DANet weights and input,
the BSS signals), so they never drift; the SoundNet parameters (14 million numbers) and its
3 s waveform are generated here from the raw bits of numpy's PCG64 generator, which numpy
keeps stable across versions (its distributions it does not promise to keep), and a digest
of them is stored so a changed generator is told apart from a changed mapping.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
STFT_FILE = HERE / "stft.npz"
DANET_FILE = HERE / "danet.npz"
SOUNDNET_FILE = HERE / "soundnet_conv7.npz"
BSS_SIGNALS_FILE = HERE / "bss_signals.npz"
BSS_METRICS_FILE = HERE / "bss_clip_metrics.csv"
CLASSIFICATION_FILE = HERE / "classification_summary.csv"

# float32 tolerances: what separates a refactor from a numeric change.
RTOL, ATOL = 1e-5, 1e-6
RERUN = ("differs from the stored regression vector: if the change of numbers is deliberate, rerun "
         "`.venv/bin/python tests/unit/regression/make_vectors.py` and commit the new vectors; otherwise "
         "a refactor changed the numbers")

# --------------------------------------------------------------------------- STFT

STFT_RATE = 8000
STFT_PARAMS = {"n_fft": 256, "hop_length": 64, "window": "sqrt_hann"}


def uniform(seed: int, shape: tuple[int, ...], low: float = -1.0, high: float = 1.0) -> np.ndarray:
    """float64 values uniform in [low, high) from the raw 64-bit output of PCG64(seed).

    Raw bit generator output is stable across numpy versions, unlike ``Generator.random``
    and the other distributions, so these numbers never change.
    """
    n = math.prod(shape)
    raw = np.random.PCG64(seed).random_raw(n)
    unit = (raw >> np.uint64(11)).astype(np.float64) * 2.0**-53
    return (low + (high - low) * unit).reshape(shape)


def stft_signal() -> np.ndarray:
    """0.5 s at 8 kHz: a linear chirp from 100 Hz to 3 kHz plus uniform noise (seed 1), float32."""
    n = STFT_RATE // 2
    t = np.arange(n) / STFT_RATE
    chirp = 0.6 * np.sin(2 * np.pi * (100.0 * t + (3000.0 - 100.0) / (2 * 0.5) * t**2))
    return (chirp + 0.05 * uniform(1, (n,))).astype(np.float32)


# --------------------------------------------------------------------------- DANet

DANET_CONFIG = {"n_bins": 33, "layers": 2, "units": 8, "embedding_dim": 4, "dropout": 0.0}
DANET_FRAMES = 20
DANET_SEED = 2017
DANET_THRESHOLD_DB = 40.0

# --------------------------------------------------------------------------- SoundNet

SOUNDNET_SEED = 2016
SOUNDNET_RATE = 22050
SOUNDNET_SECONDS = 3


def soundnet_params() -> dict[str, dict[str, np.ndarray]]:
    """A params dict in the layout of the TF port's sound8.npy, every array seeded.

    Conv weights are (kernel, 1, in, out) scaled to unit gain through a ReLU, so the
    activations stay of the order of the input; BN running variances are positive.
    """
    from danet_music2vec.models.soundnet import CONV_LAYERS, HEADS

    params: dict[str, dict[str, np.ndarray]] = {}
    seed = SOUNDNET_SEED
    shapes = [(name, in_ch, out_ch, kernel, True) for name, in_ch, out_ch, kernel, *_ in CONV_LAYERS]
    shapes += [(name, CONV_LAYERS[-1][2], out_ch, kernel, False) for name, out_ch, kernel, _ in HEADS]
    for name, in_ch, out_ch, kernel, has_bn in shapes:
        scale = math.sqrt(6.0 / (in_ch * kernel))  # uniform: variance 2 / fan_in
        layer = {"weights": uniform(seed, (kernel, 1, in_ch, out_ch), -scale, scale),
                 "biases": uniform(seed + 1, (out_ch,), -0.1, 0.1)}
        if has_bn:
            layer |= {"gamma": uniform(seed + 2, (out_ch,), 0.8, 1.2), "beta": uniform(seed + 3, (out_ch,), -0.1, 0.1),
                      "mean": uniform(seed + 4, (out_ch,), -0.5, 0.5), "var": uniform(seed + 5, (out_ch,), 0.5, 2.0)}
        params[name] = {key: value.astype(np.float32) for key, value in layer.items()}
        seed += 10
    return params


def params_digest(params: dict[str, dict[str, np.ndarray]]) -> str:
    """sha256 of every array of ``params`` (names and bytes, in sorted order)."""
    digest = hashlib.sha256()
    for layer in sorted(params):
        for key in sorted(params[layer]):
            digest.update(f"{layer}/{key}".encode())
            digest.update(np.ascontiguousarray(params[layer][key]).tobytes())
    return digest.hexdigest()


def soundnet_waveform() -> np.ndarray:
    """3 s at 22050 Hz in [-1, 1]: two tones, a chirp and uniform noise (seed 3), float32."""
    n = SOUNDNET_RATE * SOUNDNET_SECONDS
    t = np.arange(n) / SOUNDNET_RATE
    audio = (0.3 * np.sin(2 * np.pi * 220.0 * t) + 0.2 * np.sin(2 * np.pi * 1375.0 * t)
             + 0.2 * np.sin(2 * np.pi * (300.0 * t + 400.0 * t**2)) + 0.1 * uniform(3, (n,)))
    return audio.astype(np.float32)


# --------------------------------------------------------------------------- metrics

GENRES = ("blues", "classical", "metal")


def _predictions(ids, music_ids, labels, predicted, snr) -> pd.DataFrame:
    frame = pd.DataFrame({"id": ids, "music_id": music_ids, "label": labels, "snr_db": snr, "predicted": predicted})
    for genre in GENRES:
        frame[f"prob_{genre}"] = (frame["predicted"] == genre).astype(float)
    return frame


def prediction_tables() -> tuple[pd.DataFrame, dict[tuple[str, str], pd.DataFrame]]:
    """A hand-made prediction set: 6 clean test clips and, per variant, 4 conditions at 2 SNRs."""
    music = ["blues.0", "blues.1", "classical.0", "classical.1", "metal.0", "metal.1"]
    labels = [m.split(".")[0] for m in music]
    clean = _predictions(music, music, labels, ["blues", "blues", "classical", "metal", "metal", "blues"],
                         [np.nan] * 6)
    ids = [f"{m}+snr{s}" for s in (0, -5) for m in music]
    snr = [0.0] * 6 + [-5.0] * 6
    predicted = {
        ("noise1", "mixture"): ["metal", "blues", "metal", "metal", "metal", "metal",
                                "metal", "metal", "metal", "blues", "metal", "metal"],
        ("noise1", "clean_8khz"): ["blues", "blues", "classical", "metal", "metal", "metal",
                                   "blues", "metal", "classical", "metal", "metal", "blues"],
        ("noise1", "danet"): ["blues", "blues", "metal", "classical", "metal", "metal",
                              "blues", "metal", "metal", "metal", "metal", "blues"],
        ("noise1", "oracle_irm"): ["blues", "blues", "classical", "metal", "metal", "metal",
                                   "blues", "blues", "classical", "metal", "metal", "metal"],
        ("noise2", "mixture"): ["metal", "metal", "metal", "classical", "metal", "metal",
                                "metal", "metal", "metal", "metal", "blues", "metal"],
        ("noise2", "danet"): ["blues", "metal", "classical", "classical", "metal", "blues",
                              "metal", "blues", "classical", "metal", "metal", "metal"],
    }
    conditions = {key: _predictions(ids, music * 2, labels * 2, values, snr) for key, values in predicted.items()}
    return clean, conditions




# --------------------------------------------------------------------------- what the package computes
#
# make_vectors.py stores what these return; the tests call them again and compare.


def stft_outputs(signal: np.ndarray) -> dict[str, np.ndarray]:
    """transforms.STFT of ``signal`` (frames, bins) complex64, and ISTFT of it (the round trip)."""
    import torch

    from danet_music2vec.transforms import ISTFT, STFT

    spec = STFT(**STFT_PARAMS)(torch.from_numpy(signal))
    back = ISTFT(**STFT_PARAMS)(spec, length=signal.size)
    return {"stft": spec.numpy(), "istft": back.numpy()}


def danet_model(stored: dict[str, np.ndarray]):
    """models.danet.DANet of DANET_CONFIG with the stored weights and buffers, in eval mode."""
    import torch

    from danet_music2vec.models.danet import DANet, DanetConfig

    model = DANet(DanetConfig(**DANET_CONFIG))
    state = {key.removeprefix("state."): torch.from_numpy(value) for key, value in stored.items()
             if key.startswith("state.")}
    model.load_state_dict(state, strict=True)
    return model.eval()


def danet_embeddings(stored: dict[str, np.ndarray]) -> np.ndarray:
    """Embeddings (1, frames, bins, K) of the stored DANet for the stored mixture magnitude."""
    import torch

    with torch.no_grad():
        return danet_model(stored)(torch.from_numpy(stored["mix_magnitude"])).numpy()


def attractor_outputs(embeddings: np.ndarray, stored: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """models.attractors on the given embeddings and the stored magnitudes.

    Returns ``oracle_attractors`` (1, 2, K) from the ideal binary mask of the stored sources
    over the active bins; ``kmeans_attractors`` (1, 2, K) started from the stored fixed
    attractors; the masks (1, frames, bins, 2) of each pair and of the fixed attractors.
    """
    import torch

    from danet_music2vec.models.attractors import (
        active_bins, attractors_from_mask, ideal_binary_mask, kmeans_attractors, masks_from_attractors,
    )

    embeddings_t = torch.from_numpy(embeddings)
    mix = torch.from_numpy(stored["mix_magnitude"])
    sources = torch.from_numpy(stored["source_magnitudes"])
    fixed = torch.from_numpy(stored["state.fixed_attractors"])
    weight = active_bins(mix, DANET_THRESHOLD_DB)
    oracle = attractors_from_mask(embeddings_t, ideal_binary_mask(sources), weight)
    kmeans = kmeans_attractors(embeddings_t, weight, fixed)
    return {
        "oracle_attractors": oracle.numpy(),
        "kmeans_attractors": kmeans.numpy(),
        "oracle_masks": masks_from_attractors(embeddings_t, oracle).numpy(),
        "kmeans_masks": masks_from_attractors(embeddings_t, kmeans).numpy(),
        "fixed_masks": masks_from_attractors(embeddings_t, fixed).numpy(),
    }


def loss_outputs(masks: np.ndarray, stored: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """training.losses.separation_loss of ``masks`` against the stored magnitudes, both targets."""
    import torch

    from danet_music2vec.training.losses import TARGETS, separation_loss

    mix = torch.from_numpy(stored["mix_magnitude"])
    sources = torch.from_numpy(stored["source_magnitudes"])
    return {f"loss_{target}": separation_loss(torch.from_numpy(masks), mix, sources, target).numpy()
            for target in TARGETS}


def danet_outputs(stored: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Everything danet.npz stores about the model: embeddings, attractors and masks, losses
    of the oracle masks; each module's test recomputes its own part from the stored inputs."""
    embeddings = danet_embeddings(stored)
    attractors = attractor_outputs(embeddings, stored)
    return {"embeddings": embeddings, **attractors, **loss_outputs(attractors["oracle_masks"], stored)}


def soundnet_outputs() -> dict[str, np.ndarray]:
    """fetch.soundnet_weights.state_dict_from_npy of soundnet_params() in models.soundnet.SoundNet8.

    Returns the digest of the generated parameters and the waveform's sum and sum of squares
    (so a changed generator is told apart from a changed mapping), the mapped conv1 weight and
    bias, ``embed()`` of the 3 s waveform at conv7 (frames, 1024), and both heads' logits
    (channels,) of those conv7 frames tiled to the 8 frames a head reads.
    """
    import torch

    from danet_music2vec.fetch.soundnet_weights import state_dict_from_npy
    from danet_music2vec.models.soundnet import SoundNet8, embed

    params = soundnet_params()
    state = state_dict_from_npy(params, source="regression params")
    model = SoundNet8()
    model.load_state_dict(state, strict=True)
    audio = soundnet_waveform()
    conv7 = embed(model, audio, layer="conv7", threads=1)
    tiled = torch.from_numpy(np.resize(conv7, (8, conv7.shape[1])).T.copy()).unsqueeze(0)  # (1, 1024, 8)
    with torch.inference_mode():
        heads = {name: getattr(model, name)(tiled)[0, :, 0].numpy() for name in ("conv8", "conv8_2")}
    return {
        "params_sha256": np.array(params_digest(params)),
        "waveform_sum": np.array(audio.astype(np.float64).sum()),
        "waveform_sum_sq": np.array(np.square(audio.astype(np.float64)).sum()),
        "conv1_weight": state["conv1.conv.weight"].numpy(),
        "conv1_bias": state["conv1.conv.bias"].numpy(),
        "conv7": conv7,
        "conv8": heads["conv8"],
        "conv8_2": heads["conv8_2"],
    }


BSS_CASES = ("straight", "swapped")


def bss_outputs(signals: dict[str, np.ndarray]) -> pd.DataFrame:
    """evaluation.bss.clip_metrics of the stored references and estimates, with both backends,
    the estimates in their order and swapped: one row per (backend, case)."""
    from danet_music2vec.evaluation.bss import BACKENDS, clip_metrics

    rows = []
    with one_thread():
        for backend in BACKENDS:
            for case in BSS_CASES:
                estimates = (signals["music_est"], signals["noise_est"])
                if case == "swapped":
                    estimates = estimates[::-1]
                row = clip_metrics(signals["music"], signals["noise"], *estimates, backend=backend)
                rows.append({"backend": backend, "case": case, **row})
    return pd.DataFrame(rows)


@contextlib.contextmanager
def one_thread():
    """One torch and one BLAS thread, as ``evaluation.bss.evaluate_clip`` scores a clip.

    Also a guard: with torch 2.13.0+cpu, once ``torch.set_num_threads`` has gone from 1 back
    to 2 (``evaluate_clip`` does so), a batched float64 ``torch.linalg.solve`` at 2 threads
    (fast_bss_eval's) fails inside MKL ("Parameter 6 was incorrect on entry to DLASWP") and
    never returns; at one thread it works.
    """
    import torch
    from threadpoolctl import threadpool_limits

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(limits=1):
            yield
    finally:
        torch.set_num_threads(threads)


def classification_outputs() -> pd.DataFrame:
    """evaluation.classification.summarize of prediction_tables(): the summary table."""
    from danet_music2vec.evaluation.classification import summarize

    return summarize(*prediction_tables())


def as_stored(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` after the CSV round trip the stored tables went through (empty text reads as NaN)."""
    return pd.read_csv(io.StringIO(table.to_csv(index=False)))


def assert_table_close(actual: pd.DataFrame, path: Path, what: str) -> None:
    """``actual`` equals the table stored at ``path``: same columns and rows, text exactly,
    numbers within the float32 tolerances (NaN where NaN)."""
    expected = pd.read_csv(path)
    actual = as_stored(actual)
    assert list(actual.columns) == list(expected.columns), f"{what}: columns {RERUN}"
    assert len(actual) == len(expected), f"{what}: {len(actual)} rows, {len(expected)} stored {RERUN}"
    for column in expected.columns:
        if pd.api.types.is_numeric_dtype(expected[column]) and not pd.api.types.is_bool_dtype(expected[column]):
            assert_close(actual[column].to_numpy(dtype=float), expected[column].to_numpy(dtype=float),
                         f"{what}: column {column}")
        else:
            assert actual[column].fillna("").astype(str).tolist() == expected[column].fillna("").astype(str).tolist(), \
                f"{what}: column {column} {RERUN}"


def assert_close(actual, expected, what: str, rtol: float = RTOL, atol: float = ATOL) -> None:
    """``np.testing.assert_allclose`` with the regression vectors' message.

    ``atol`` is relative to the scale of ``expected`` (its largest magnitude, at least 1):
    float32 rounding of a sum (an FFT bin, a convolution) is relative to the size of its
    terms, not to the size of the result, so a near-zero output of large inputs carries
    the rounding of those inputs, whatever the order a CPU's kernels add them in.
    """
    expected = np.asarray(expected)
    scale = max(1.0, float(np.max(np.abs(expected)))) if expected.size else 1.0
    np.testing.assert_allclose(np.asarray(actual), expected, rtol=rtol, atol=atol * scale,
                               err_msg=f"{what} {RERUN}")


def load(path: Path) -> dict[str, np.ndarray]:
    """Every array of a stored .npz (no pickles)."""
    with np.load(path, allow_pickle=False) as data:
        return {key: data[key] for key in data.files}
