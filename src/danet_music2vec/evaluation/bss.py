"""BSS Eval metrics of separated test clips: blind and oracle-permutation, and NSDR.

Each test clip is scored on the whole clip with ``mir_eval.separation`` against the
references [music, noise]. Two readings are reported:

* **blind** (the headline): estimates taken in the order the method labels them. A
  method that puts the music in its "noise" output is scored as failing, which is
  what a listener of its "music" output would hear.
* **oracle permutation**: the pairing ``bss_eval_sources(compute_permutation=True)``
  picks (highest mean SIR). The gap between the two, and the share of clips where
  the pairing differs (``swapped``), shows how often a method mislabels its outputs.

Both come from one matrix of (estimate, reference) criteria. Two backends compute it:

* ``mir_eval``: mir_eval's own decomposition, exactly as ``bss_eval_sources`` computes
  it, so each clip costs four decompositions (and one for the mixture) instead of the
  six of two public calls (tests check equality with the public API, so a mir_eval
  change that breaks this is caught).
* ``fast_bss_eval`` (the default): the same projections solved once per clip, for all
  pairs and the mixture together, from the signals' correlations (Scheibler 2021),
  3.6 times faster per clip. On the default run's separated clips the two agree within
  1e-6 dB (``bench/bench_bss_backends.py``); tests hold them within 0.001 dB on every
  method's test clips of a workflow run. Where mir_eval's score is beyond
  ``NUMERICAL_CEILING_DB`` (the unprocessed mixture's SAR: its artifacts are float32
  rounding, about 150 dB) the two differ, both meaning "no artifacts".

NSDR is SDR(music estimate) - SDR(mixture), the second being the music SDR when the
unprocessed mixture is the estimate, so doing nothing scores 0 (exactly with mir_eval;
within 1e-12 dB with fast_bss_eval, whose batched solve rounds the two copies of the
mixture differently).

Silent estimates: the public API refuses an all-zero estimate, and the internals
used here would score it +inf dB (0/0 error energy), the best possible score. A
method that outputs silence is still scored, not dropped (dropping failures would
flatter the means): the silent output is replaced by a fixed, seeded white noise of
amplitude ``SILENT_DITHER`` (bss_eval is scale-invariant, so only its shape
matters). It scores like random noise, about 10 log10(512 / n_samples) dB SDR (-22
dB for 10 s at 8 kHz): finite, very low, the same on every run. (As with any SDR,
a mixture far below that SNR would score lower still.) The clip is flagged in
``silent_music`` / ``silent_noise`` and the summary reports the share. Non-finite
samples are an error, not a score.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import os
import warnings
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from ..fileio import atomic_path
from ..audio import observation_added
from ..inference.outputs import (
    SeparationInputError, check_estimate_file, noise_estimate, read_music_estimate, read_separation_index,
)

SOURCES = ("music", "noise")
FILTER_LENGTH = 512  # bss_eval_sources' distortion filter length (mir_eval's fixed value)
SILENT_DITHER = 1e-6  # amplitude of the stand-in for an all-zero estimate
BACKENDS = ("fast_bss_eval", "mir_eval")
NUMERICAL_CEILING_DB = 100.0  # beyond this a score measures rounding, not separation

CLIP_COLUMNS = [
    "mix_id", "music_id", "snr_db", "noise_classes",
    "sdr", "sir", "sar", "nsdr",
    "oracle_sdr", "oracle_sir", "oracle_sar", "oracle_nsdr",
    "noise_sdr", "noise_sir", "noise_sar",
    "sdr_mixture", "swapped", "silent_music", "silent_noise",
]

# Summary statistic -> per-clip column; each gets a mean and a median.
SUMMARY_STATS = {
    "gnsdr": "nsdr", "gsir": "sir", "gsar": "sar",
    "oracle_gnsdr": "oracle_nsdr", "oracle_gsir": "oracle_sir", "oracle_gsar": "oracle_sar",
}
SUMMARY_COLUMNS = ["variant", "method", "noise_classes", "snr_db", "n_clips",
                   *(f"{name}_{kind}" for name in SUMMARY_STATS for kind in ("mean", "median")),
                   "swapped_share", "silent_share"]


# --------------------------------------------------------------------------- metrics


@dataclass(frozen=True)
class PairCriteria:
    """SDR, SIR and SAR (dB) of every (estimate, reference) pair, indexed [j_est, j_ref]."""

    sdr: np.ndarray
    sir: np.ndarray
    sar: np.ndarray

    def pick(self, perm: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Criteria per reference when estimate ``perm[j]`` is paired with reference j."""
        idx = (np.asarray(perm), np.arange(len(perm)))
        return self.sdr[idx], self.sir[idx], self.sar[idx]


def _decompose(references: np.ndarray, estimate: np.ndarray, j_ref: int) -> tuple[float, float, float]:
    """SDR, SIR, SAR of one estimate against reference ``j_ref``, by mir_eval's internals."""
    from mir_eval.separation import _bss_decomp_mtifilt, _bss_source_crit

    parts = _bss_decomp_mtifilt(references, estimate, j_ref, FILTER_LENGTH)
    return tuple(float(v) for v in _bss_source_crit(*parts))


def pair_criteria(references: np.ndarray, estimates: np.ndarray) -> PairCriteria:
    """Criteria of all (estimate, reference) pairs, as ``bss_eval_sources`` builds them.

    Args:
        references, estimates: (nb_sources, nb_samples), no source all-zero.
    """
    references = np.asarray(references, dtype=np.float64)
    estimates = np.asarray(estimates, dtype=np.float64)
    if references.shape != estimates.shape or references.ndim != 2:
        raise ValueError(f"references {references.shape} and estimates {estimates.shape} must be equal (nb_sources, nb_samples)")
    n = references.shape[0]
    out = np.empty((3, n, n))
    for j_est, j_ref in itertools.product(range(n), range(n)):
        out[:, j_est, j_ref] = _decompose(references, estimates[j_est], j_ref)
    return PairCriteria(*out)


def check_backend(backend: str) -> None:
    """Fail, naming the allowed ones, unless ``backend`` is one of ``BACKENDS``."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown BSS Eval backend {backend!r}; allowed: {', '.join(BACKENDS)}")


def fast_pair_criteria(references: np.ndarray, estimates: np.ndarray) -> PairCriteria:
    """Criteria of all (estimate, reference) pairs by ``fast_bss_eval`` (any number of estimates).

    Uses its torch backend in float64 (its numpy backend does not run on numpy 2).
    """
    import torch
    from fast_bss_eval.torch.metrics import square_cosine_metrics

    refs = torch.from_numpy(np.asarray(references, dtype=np.float64))
    ests = torch.from_numpy(np.asarray(estimates, dtype=np.float64))
    # Squared cosines between each estimate and (one reference's, all references')
    # filtered subspaces, shaped (n_ref, n_est); SDR, SIR and SAR are ratios of them.
    coh_sdr, coh_sar = torch.broadcast_tensors(*square_cosine_metrics(refs, ests, filter_length=FILTER_LENGTH, pairwise=True))

    def decibels(coherence: torch.Tensor) -> np.ndarray:
        # Kept inside float64's resolution so an exact estimate scores about 160 dB, not inf.
        coherence = coherence.clamp(1e-16, 1.0 - 1e-16)
        return (10.0 * torch.log10(coherence / (1.0 - coherence))).T.numpy()

    return PairCriteria(decibels(coh_sdr), decibels(coh_sdr / coh_sar), decibels(coh_sar))


def best_permutation(sir: np.ndarray) -> np.ndarray:
    """The pairing ``bss_eval_sources`` picks: highest mean SIR, first in
    ``itertools.permutations`` order on ties (so the identity wins a tie)."""
    n = sir.shape[0]
    perms = list(itertools.permutations(range(n)))
    mean_sir = [np.mean(sir[perm, np.arange(n)]) for perm in perms]
    return np.asarray(perms[int(np.argmax(mean_sir))])


def stand_in_for_silence(estimate: np.ndarray) -> tuple[np.ndarray, bool]:
    """The estimate, or the fixed dither that replaces it when it is all zeros.

    Returns:
        (estimate to score, whether it was silent).
    """
    if np.any(estimate):
        return estimate, False
    # Seeded by nothing but the length: the same silent output always gets the same score.
    dither = np.random.default_rng(0).standard_normal(estimate.size) * SILENT_DITHER
    return dither.astype(np.float64), True


def reference_pair(music: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """(2, nb_samples) float64 references, music first; fails when either is all zeros."""
    if not (np.any(music) and np.any(noise)):
        raise ValueError("a reference source is all zeros; BSS Eval is undefined for it")
    return np.stack([music, noise]).astype(np.float64)


def clip_metrics(
    music: np.ndarray,
    noise: np.ndarray,
    music_est: np.ndarray,
    noise_est: np.ndarray,
    mixture: np.ndarray | None = None,
    backend: str = "mir_eval",
) -> dict:
    """Blind and oracle-permutation metrics of one clip, and its NSDR.

    All arrays are (nb_samples,); estimates may be all-zero (see the module doc).
    ``mixture`` defaults to ``music + noise`` in float32, which is how it is stored.
    ``backend`` is one of ``BACKENDS``.
    """
    check_backend(backend)
    references = reference_pair(music, noise)
    if mixture is None:
        mixture = np.asarray(music, dtype=np.float32) + np.asarray(noise, dtype=np.float32)
    (music_est, silent_music), (noise_est, silent_noise) = map(stand_in_for_silence, (music_est, noise_est))
    mixture = np.asarray(mixture, dtype=np.float64)
    if backend == "fast_bss_eval":
        # The mixture is a third estimate: its music SDR comes from the same solve.
        both = fast_pair_criteria(references, np.stack([music_est, noise_est, mixture]))
        criteria = PairCriteria(both.sdr[:2], both.sir[:2], both.sar[:2])
        sdr_mixture = float(both.sdr[2, 0])
    else:
        criteria = pair_criteria(references, np.stack([music_est, noise_est]))
        # The mixture as the estimate of both sources: only its music SDR is needed,
        # which bss_eval_sources computes from this one decomposition.
        sdr_mixture = _decompose(references, mixture, 0)[0]
    blind = criteria.pick(np.arange(2))
    perm = best_permutation(criteria.sir)
    oracle = criteria.pick(perm)
    return {
        "sdr": blind[0][0], "sir": blind[1][0], "sar": blind[2][0], "nsdr": blind[0][0] - sdr_mixture,
        "oracle_sdr": oracle[0][0], "oracle_sir": oracle[1][0], "oracle_sar": oracle[2][0],
        "oracle_nsdr": oracle[0][0] - sdr_mixture,
        "noise_sdr": blind[0][1], "noise_sir": blind[1][1], "noise_sar": blind[2][1],
        "sdr_mixture": sdr_mixture,
        "swapped": bool(np.any(perm != np.arange(2))),
        "silent_music": silent_music, "silent_noise": silent_noise,
    }


def music_nsdrs(music: np.ndarray, noise: np.ndarray, music_estimates: np.ndarray,
                mixture: np.ndarray) -> np.ndarray:
    """NSDR (fast_bss_eval) of each of several music estimates of one clip: ``clip_metrics``'
    ``nsdr`` of each, from one solve per reference instead of one per estimate.

    Args:
        music, noise, mixture: (nb_samples,) the references and the mixture.
        music_estimates: (n, nb_samples).

    Returns:
        (n,) NSDR in dB.
    """
    references = reference_pair(music, noise)
    estimates = [stand_in_for_silence(np.asarray(e, dtype=np.float64))[0] for e in music_estimates]
    sdr = fast_pair_criteria(references, np.stack(estimates + [np.asarray(mixture, dtype=np.float64)])).sdr[:, 0]
    return sdr[:-1] - sdr[-1]


# --------------------------------------------------------------------------- clip selection


def select_clips(mixtures: pd.DataFrame, clips_per_snr: int, seed: int) -> list[str]:
    """The mixtures to evaluate, sorted: those of a seeded sample of ``clips_per_snr`` music clips,
    at every test SNR (all mixtures when ``clips_per_snr`` is 0 or not below the clip count).

    The same music clips at every SNR make the SNRs' scores paired; the choice depends only on
    the set of music ids, ``clips_per_snr`` and ``seed``, so every method of a variant (same
    test file) is scored on the same mixtures.

    Args:
        mixtures: mix_id and music_id of the test mixtures.
    """
    if clips_per_snr < 0:
        raise ValueError(f"clips_per_snr must be >= 0 (0 means all), got {clips_per_snr}")
    music = sorted(set(mixtures["music_id"]))
    if 0 < clips_per_snr < len(music):
        chosen = np.random.default_rng(seed).choice(len(music), size=clips_per_snr, replace=False)
        music = [music[i] for i in sorted(chosen)]
    keep = set(music)
    return sorted(m for m, music_id in zip(mixtures["mix_id"], mixtures["music_id"]) if music_id in keep)


# --------------------------------------------------------------------------- reading inputs


@dataclass(frozen=True)
class ClipTask:
    """Everything one worker needs to score one clip; small, so cheap to send to a process."""

    features: str
    mix_index: int
    mix_id: str
    music_id: str
    snr_db: float
    n_samples: int
    sample_rate: int
    music_path: str
    music_gain: float
    mix_weight: float
    noise_estimate: str
    noise_classes: str = "seen"
    backend: str = "mir_eval"


def evaluate_clip(task: ClipTask) -> dict:
    """One row of the per-clip table. Runs in a worker process: reads its own inputs."""
    import torch  # not at module level: the summary needs none of it
    from threadpoolctl import threadpool_limits

    from ..data.features import SegmentStore

    with SegmentStore(task.features) as store:
        refs = store.waveforms(task.mix_index)
    music_est = read_music_estimate(task.music_path, task.music_gain, task.n_samples, task.sample_rate)
    if task.mix_weight > 0.0:
        music_est = observation_added(music_est, refs["mixture"], task.mix_weight)
    noise_est = noise_estimate(task.noise_estimate, refs["mixture"], music_est)
    # One BLAS (and torch) thread: workers are the parallelism, and serial and parallel
    # runs then do the same floating-point operations, so their results are identical.
    torch_threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(limits=1):
            metrics = clip_metrics(refs["music"], refs["noise"], music_est, noise_est, refs["mixture"], task.backend)
    except ValueError as err:
        raise SeparationInputError(f"{task.features}: mixture {task.mix_id}: {err}") from err
    finally:
        torch.set_num_threads(torch_threads)
    return {"mix_id": task.mix_id, "music_id": task.music_id, "snr_db": task.snr_db,
            "noise_classes": task.noise_classes, **metrics}


def plan_tasks(
    features: str | os.PathLike, separated: str | os.PathLike, *, clips_per_snr: int = 0, seed: int = 0,
    backend: str = "mir_eval",
) -> list[ClipTask]:
    """One task per selected test mixture; checks every estimate file before any scoring."""
    from ..data.features import SegmentStore

    with SegmentStore(features) as store:
        mixtures = store.mixtures()
        sample_rate = int(store.attrs["sample_rate"])
    index = read_separation_index(separated)
    position = {mix_id: i for i, mix_id in enumerate(mixtures["mix_id"])}
    selected = select_clips(mixtures, clips_per_snr, seed)
    absent = [m for m in selected if m not in index.index]
    if absent:
        raise SeparationInputError(
            f"{Path(separated) / 'index.csv'}: no estimates for {len(absent)} test mixtures of {features}, "
            f"e.g. {absent[:5]}"
        )
    tasks = []
    for mix_id in selected:
        row = mixtures.iloc[position[mix_id]]
        entry = index.loc[mix_id]
        task = ClipTask(
            features=str(features), mix_index=position[mix_id], mix_id=mix_id, music_id=str(row["music_id"]),
            snr_db=float(row["snr_db"]), n_samples=int(row["n_samples"]), sample_rate=sample_rate,
            music_path=entry["music_path"], music_gain=float(entry["music_gain"]),
            mix_weight=float(entry.get("mix_weight", 0.0)),
            noise_estimate=str(entry["noise_estimate"]), noise_classes=str(row.get("noise_classes", "seen")),
            backend=backend,
        )
        # Header reads only: a wrong file fails in seconds, not after minutes of scoring.
        check_estimate_file(task.music_path, task.n_samples, sample_rate)
        tasks.append(task)
    return tasks


def evaluate_method(
    features: str | os.PathLike,
    separated: str | os.PathLike,
    *,
    clips_per_snr: int = 0,
    seed: int = 0,
    workers: int = 1,
    backend: str = "mir_eval",
    progress: Callable[[Iterable, int], Iterable] | None = None,
) -> pd.DataFrame:
    """Per-clip metrics of one separation method on one variant's test mixtures.

    Args:
        features: the variant's ``test.h5`` (references).
        separated: the method's separation folder (``index.csv`` and estimates).
        clips_per_snr: evaluate a seeded subset of this many music clips at every SNR
            (:func:`select_clips`); 0 means all.
        workers: processes; 1 scores in this process.
        backend: one of ``BACKENDS``.
        progress: optional wrapper for the result iterator, called with (iterable, total).

    Returns:
        One row per clip, sorted by mix_id, columns ``CLIP_COLUMNS``.
    """
    check_backend(backend)
    tasks = plan_tasks(features, separated, clips_per_snr=clips_per_snr, seed=seed, backend=backend)
    wrap = progress or (lambda rows, total: rows)
    if workers > 1 and len(tasks) > 1:
        # fork, not spawn: Snakemake scripts have no __main__ guard, and spawn would
        # re-run the whole script in every worker. No HDF5 file is open at this point.
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=context) as pool:
            rows = list(wrap(pool.map(evaluate_clip, tasks), len(tasks)))
    else:
        rows = list(wrap(map(evaluate_clip, tasks), len(tasks)))
    return pd.DataFrame(rows, columns=CLIP_COLUMNS)


def write_clip_metrics(frame: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write the per-clip table atomically (full precision, so the summary can be redone)."""
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False, float_format="%.10g")


def read_clip_metrics(path: str | os.PathLike) -> pd.DataFrame:
    """A per-clip table written by :func:`write_clip_metrics`."""
    frame = pd.read_csv(path, dtype={"mix_id": str, "music_id": str, "snr_db": float})
    missing = [c for c in CLIP_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: not a per-clip BSS table, missing columns {missing}")
    return frame


# --------------------------------------------------------------------------- summary


def summarize(frames: Mapping[tuple[str, str], pd.DataFrame]) -> pd.DataFrame:
    """Per (variant, method), noise classes and test SNR: clip count, mean and median of NSDR,
    SIR and SAR (blind and oracle), and the shares of swapped and silent clips.

    ``noise_classes`` is ``all``, and, when a method's clips include both, also ``seen`` (noise
    of classes trained on) and ``unseen`` (held-out classes). Within each, when the clips come at
    several SNRs, a pooled row (``snr_db`` empty) comes first, then one row per SNR, as in the
    classification summary. Means are plain (unweighted) over clips, the "G" of GNSDR: every
    clip counts once.
    """
    rows = []
    for (variant, method), frame in frames.items():
        kinds = frame["noise_classes"].astype(str) if "noise_classes" in frame else pd.Series("seen", frame.index)
        class_groups = [("all", frame)]
        if kinds.nunique() > 1:
            class_groups += [(kind, frame[kinds == kind]) for kind in ("seen", "unseen") if (kinds == kind).any()]
        for classes, part in class_groups:
            snrs = sorted(part["snr_db"].astype(float).dropna().unique())
            groups = [(snrs[0] if snrs else math.nan, part)] if len(snrs) <= 1 else (
                [(math.nan, part)] + [(snr, part[part["snr_db"].astype(float) == snr]) for snr in snrs])
            for snr, group in groups:
                row = {"variant": variant, "method": method, "noise_classes": classes, "snr_db": snr,
                       "n_clips": len(group)}
                for name, column in SUMMARY_STATS.items():
                    values = group[column].astype(float)
                    row[f"{name}_mean"] = values.mean()
                    row[f"{name}_median"] = values.median()
                row["swapped_share"] = group["swapped"].astype(bool).mean()
                row["silent_share"] = (group["silent_music"].astype(bool)
                                       | group["silent_noise"].astype(bool)).mean()
                rows.append(row)
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def parse_metrics_path(path: str | os.PathLike) -> tuple[str, str]:
    """(variant, method) of ``.../metrics/separation/{variant}/{method}.csv``."""
    path = Path(path)
    if path.suffix != ".csv" or len(path.parts) < 3 or path.parts[-3] != "separation":
        raise ValueError(f"{path}: expected results/metrics/separation/{{variant}}/{{method}}.csv")
    return path.parent.name, path.stem


def public_bss_eval(references: np.ndarray, estimates: np.ndarray, compute_permutation: bool) -> tuple:
    """mir_eval's public ``bss_eval_sources``, with its deprecation warning silenced here only."""
    from mir_eval.separation import bss_eval_sources

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return bss_eval_sources(
            np.asarray(references, dtype=np.float64), np.asarray(estimates, dtype=np.float64),
            compute_permutation=compute_permutation,
        )
