"""No-harm output stages: observation adding with a weight from the clip's own blind SNR, and
late fusion of the classifier's posteriors.

Observation adding (Iwamoto et al., Interspeech 2022) outputs ``(1 - mu) s + mu y`` for a
separation method's music estimate ``s`` and the mixture ``y``: the artifacts of ``s`` are
diluted by the untouched input. Here ``mu`` follows the clip's blind SNR estimate ``x`` (dB,
the method's own music-to-noise energy ratio, no reference) along a logistic curve,

    mu(x) = 1 / (1 + exp(-(x - centre) / width)),

so an input the method finds almost clean (x high) is passed through nearly unchanged
(mu -> 1, the output is the mixture) and one it finds all noise gets the method's output
(mu -> 0). A fixed attenuation limit (DeepFilterNet's ``--atten-lim``) is the constant curve
``mu = 10 ** (-limit_db / 20)``. Late fusion weighs the classifier's posteriors on the mixture
and on the denoised music with the same kind of curve: ``w(x) p_mixture + (1 - w(x)) p_denoised``.

Every curve is fitted on validation mixtures at several SNRs (never on test clips) by the
mean log-likelihood of the true genre that the downstream classifier gives the resulting
output: :func:`fit_curve`. The classifier's probabilities at a weight between two weights of
the grid it was evaluated at are interpolated linearly (:func:`probabilities_at`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from ..audio import observation_added  # noqa: F401  (the output itself, with the other audio operations)

# Weights of the mixture at which the validation outputs are classified; 0 is the method's own
# output, 1 the mixture itself.
MU_GRID = (0.0, 0.15, 0.3, 0.5, 0.75, 1.0)
# The curves searched: centres in dB (blind SNR estimate) and widths in dB.
CENTRES_DB = tuple(float(c) for c in np.arange(-20.0, 30.5, 0.5))
WIDTHS_DB = (0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 12.0)
# Attenuation limits searched for the fixed-weight baseline, dB (inf: no limit, mu = 0).
LIMITS_DB = (3.0, 6.0, 10.0, 15.0, 20.0, 30.0, math.inf)
PROBABILITY_FLOOR = 1e-6  # a classifier's probability of the true genre is never taken below this


@dataclass(frozen=True)
class WeightCurve:
    """mu as a function of the blind SNR estimate: ``logistic`` (centre, width in dB) or ``constant``."""

    kind: str
    centre_db: float = 0.0
    width_db: float = 1.0
    constant: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in ("logistic", "constant"):
            raise ValueError(f"curve kind must be logistic or constant, got {self.kind!r}")
        if self.kind == "logistic" and not self.width_db > 0:
            raise ValueError(f"a logistic curve needs a positive width, got {self.width_db}")
        if self.kind == "constant" and not 0.0 <= self.constant <= 1.0:
            raise ValueError(f"a constant weight must be in 0..1, got {self.constant}")

    def __call__(self, snr_db: np.ndarray | float) -> np.ndarray:
        """The weight of the mixture, in 0..1, for blind SNR estimates (dB)."""
        x = np.asarray(snr_db, dtype=float)
        if self.kind == "constant":
            return np.full(x.shape, self.constant)
        return 1.0 / (1.0 + np.exp(-np.clip((x - self.centre_db) / self.width_db, -60.0, 60.0)))

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> "WeightCurve":
        return cls(**values)


def attenuation_limit_weight(limit_db: float) -> float:
    """DeepFilterNet's attenuation limit as an observation-adding weight: 10 ** (-limit / 20)."""
    return 0.0 if math.isinf(limit_db) else float(10.0 ** (-abs(limit_db) / 20.0))


def probabilities_at(grid_probs: np.ndarray, grid: Sequence[float], mu: np.ndarray) -> np.ndarray:
    """Class probabilities of each clip at weight ``mu``, interpolated between the grid's.

    Args:
        grid_probs: (clips, len(grid), classes) probabilities at each grid weight.
        grid: increasing weights, from 0 to 1.
        mu: (clips,) weights in 0..1.

    Returns:
        (clips, classes).
    """
    grid = np.asarray(grid, dtype=float)
    mu = np.clip(np.asarray(mu, dtype=float), grid[0], grid[-1])
    upper = np.clip(np.searchsorted(grid, mu, side="right"), 1, len(grid) - 1)
    lower = upper - 1
    share = ((mu - grid[lower]) / (grid[upper] - grid[lower]))[:, None]
    rows = np.arange(len(mu))
    return (1.0 - share) * grid_probs[rows, lower] + share * grid_probs[rows, upper]


def mean_log_likelihood(probs: np.ndarray, labels: np.ndarray) -> float:
    """Mean log probability of the true class (index ``labels``) over clips."""
    chosen = probs[np.arange(len(labels)), labels]
    return float(np.mean(np.log(np.maximum(chosen, PROBABILITY_FLOOR))))


def fit_curve(grid_probs: np.ndarray, grid: Sequence[float], snr_db: np.ndarray, labels: np.ndarray,
              kind: str = "logistic") -> tuple[WeightCurve, float]:
    """The curve (of ``kind``) whose weights give the highest mean log-likelihood of the true genre.

    Args:
        grid_probs: (clips, len(grid), classes) the classifier's probabilities of each validation
            clip's output at each grid weight.
        snr_db: (clips,) the clips' blind SNR estimates.
        labels: (clips,) true class indices.
        kind: ``logistic`` (searches CENTRES_DB x WIDTHS_DB) or ``constant`` (LIMITS_DB).

    Returns:
        The best curve and its mean log-likelihood. Ties go to the first curve searched, so the
        result is the same on every run.
    """
    candidates = ([WeightCurve("logistic", centre, width) for width in WIDTHS_DB for centre in CENTRES_DB]
                  if kind == "logistic" else
                  [WeightCurve("constant", constant=attenuation_limit_weight(limit)) for limit in LIMITS_DB])
    best, best_score = None, -math.inf
    for curve in candidates:
        score = mean_log_likelihood(probabilities_at(grid_probs, grid, curve(snr_db)), labels)
        if score > best_score + 1e-12:
            best, best_score = curve, score
    return best, best_score


def fused(p_mixture: np.ndarray, p_denoised: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Late fusion: ``w p_mixture + (1 - w) p_denoised`` per clip; (clips, classes)."""
    weight = np.asarray(weight, dtype=float)[:, None]
    return weight * p_mixture + (1.0 - weight) * p_denoised
