"""The no-harm stage as the workflow runs it: fit the weights on validation mixtures, apply them to
the test mixtures' separations, fuse the classifier's posteriors.

Fitting reads only the calibration side: the validation music mixed with validation noise at
the calibration SNRs (``results/features/<variant>/calibration.h5``), its separation by the base
method, the classifier's predictions of that separation's outputs at every weight of
:data:`~.observation_adding.MU_GRID` (:func:`grid_predictions`: from their cached SoundNet
features in frozen mode, from their audio in finetune mode, where each classifier has its own
SoundNet layers), and the headline classifier. Nothing of the test split is an input of a fit.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd

from ..audio import observation_added
from ..data.features import SegmentStore
from ..data.items import separated_items
from ..evaluation.bss import music_nsdrs
from ..fileio import atomic_path
from ..models.music2vec import GenreClassifier
from .observation_adding import MU_GRID, WeightCurve, fit_curve, fused, mean_log_likelihood, probabilities_at
from .outputs import INDEX_COLUMNS, blind_snr_db, read_estimates, read_separation_index
from .prediction import classify_cached_with, classify_items

FIT_FORMAT = "no-harm-fit-1"
# The two ends every fit is scored beside: the method's own output (weight 0) and the mixture (1).
END_OUTPUTS = {"raw": WeightCurve("constant", constant=0.0), "mixture": WeightCurve("constant", constant=1.0)}


def calibration_items(separation: str | os.PathLike, manifest: str | os.PathLike, features: str | os.PathLike,
                      grid: tuple[float, ...] = MU_GRID) -> pd.DataFrame:
    """A base method's calibration outputs at every grid weight, as items (ids ``<mix_id>@<w>``,
    condition ``calibration``, split ``valid``): what rule calibration_features caches the SoundNet
    features of, and what a fine-tuned classifier reads the audio of.

    Args:
        separation: the base method's separation of the calibration set.
        manifest: the music manifest (the clips' genres).
        features: the calibration set's feature file (the mixtures a weighted output adds back).
    """
    return separated_items(separation, manifest, condition="calibration", features=features, split="valid",
                           mix_weights=grid)


def grid_predictions(classifier: GenreClassifier, *, cache: str | os.PathLike | None = None,
                     items: pd.DataFrame | None = None) -> pd.DataFrame:
    """The classifier's predictions table (PREDICTION_COLUMNS, ``prob_<genre>``; ids
    ``<mix_id>@<w>``) of the calibration outputs at every grid weight, from one of two sources:

    * ``cache``: their SoundNet features, written from :func:`calibration_items` (frozen-mode
      classifiers only; no audio is read);
    * ``items``: :func:`calibration_items` themselves, their audio classified (any classifier:
      a fine-tuned one runs its own SoundNet layers).

    Both give the same table for a frozen classifier (the cache holds the frames SoundNet gives
    for that audio).

    Raises:
        ValueError: neither or both sources are given, or the cache cannot feed the classifier.
    """
    if (cache is None) == (items is None):
        raise ValueError("grid predictions need exactly one source: a feature cache or calibration items")
    if cache is not None:
        return classify_cached_with([classifier], cache)[0]
    return classify_items(classifier, items, progress=False)


def grid_probabilities(classifier: GenreClassifier, predictions: pd.DataFrame,
                       grid: tuple[float, ...] = MU_GRID) -> tuple[pd.DataFrame, np.ndarray]:
    """The classifier's probabilities of every calibration clip at every grid weight.

    Args:
        predictions: the classifier's predictions of the calibration outputs at every weight
            of ``grid`` (:func:`grid_predictions`): clips x len(grid) rows, ids ``<mix_id>@<w>``,
            PREDICTION_COLUMNS then ``prob_<genre>`` in the classifier's class order; any order.

    Returns:
        The clips (mix_id, music_id, label, snr_db, label index), in mix_id order, and their
        probabilities, (clips, len(grid), classes).

    Raises:
        ValueError: a grid weight does not have a prediction for every clip.
    """
    table = predictions.copy()
    table["mix_id"] = table["id"].str.rsplit("@", n=1).str[0]
    table["weight"] = table["id"].str.rsplit("@", n=1).str[1].astype(float)
    names = [f"prob_{c}" for c in classifier.class_names]
    clips = table.drop_duplicates("mix_id").sort_values("mix_id")[["mix_id", "music_id", "label", "snr_db"]]
    clips = clips.reset_index(drop=True)
    clips["label_index"] = clips["label"].map({c: i for i, c in enumerate(classifier.class_names)})
    probs = np.zeros((len(clips), len(grid), len(names)))
    position = {m: i for i, m in enumerate(clips["mix_id"])}
    for j, weight in enumerate(grid):
        at = table[np.isclose(table["weight"], weight)]
        if len(at) != len(clips):
            raise ValueError(f"calibration grid predictions: {len(at)} clips at weight {weight:g}, "
                             f"expected {len(clips)}")
        probs[[position[m] for m in at["mix_id"]], j] = at[names].to_numpy()
    return clips, probs


def _validation_nsdr(features: str | os.PathLike, separation: str | os.PathLike, snr_est: pd.Series,
                     curves: dict[str, WeightCurve]) -> dict[str, np.ndarray]:
    """NSDR (fast_bss_eval) of every calibration clip's output weighted by each curve, in ``snr_est``'s order."""
    index = read_separation_index(separation)
    scores: dict[str, list[float]] = {name: [] for name in curves}
    with SegmentStore(features) as store:
        table = store.mixtures()
        position = {m: i for i, m in enumerate(table["mix_id"])}
        for mix_id in snr_est.index:
            refs = store.waveforms(position[mix_id])
            music, _ = read_estimates(index.loc[mix_id], refs["mixture"])
            weighted = [observation_added(music, refs["mixture"], float(curve(snr_est.loc[mix_id])))
                        for curve in curves.values()]
            for name, value in zip(curves, music_nsdrs(refs["music"], refs["noise"], np.stack(weighted),
                                                       refs["mixture"])):
                scores[name].append(float(value))
    return {name: np.asarray(values) for name, values in scores.items()}


def validation_scores(probs: np.ndarray, grid: tuple[float, ...], clips: pd.DataFrame, snr_est: np.ndarray,
                      outputs: dict[str, WeightCurve],
                      per_clip: dict[str, dict[str, np.ndarray]] | None = None) -> pd.DataFrame:
    """Validation scores of each output on the calibration clips, pooled (``snr_db`` empty), then
    per calibration SNR: clips, accuracy, mean log-likelihood of the true genre and mean weight.

    Args:
        probs, clips: :func:`grid_probabilities`' (clips, len(grid), classes) and its clips.
        snr_est: (clips,) the blind SNR estimates the curves read.
        outputs: output name -> its weight curve, in the table's order.
        per_clip: column -> output -> (clips,) values whose mean is that column of the output's
            rows (empty where an output has none).
    """
    labels = clips["label_index"].to_numpy()
    per_clip = per_clip or {}
    rows = []
    for snr in [math.nan] + sorted(clips["snr_db"].unique()):
        keep = np.ones(len(clips), bool) if math.isnan(snr) else (clips["snr_db"] == snr).to_numpy()
        for name, curve in outputs.items():
            mu = curve(snr_est[keep])
            p = probabilities_at(probs[keep], grid, mu)
            rows.append({"snr_db": float(snr), "output": name, "clips": int(keep.sum()),
                         "accuracy": float(np.mean(p.argmax(1) == labels[keep])),
                         "log_likelihood": mean_log_likelihood(p, labels[keep]),
                         "mean_weight": float(np.mean(mu)),
                         **{column: float(np.mean(values[name][keep])) if name in values else math.nan
                            for column, values in per_clip.items()}})
    return pd.DataFrame(rows)


def does_no_harm(scores: pd.DataFrame, output: str) -> bool:
    """Whether ``output`` gets at least as many calibration clips right as the mixture at every
    calibration SNR, in a :func:`validation_scores` table: the no-harm goal, on validation.

    Reported beside each fit, not fitted: a fit that required it (the best log-likelihood among
    the curves that met it) was tried on the default run and did worse on the test sweep.
    """
    per_snr = scores[scores["snr_db"].notna()].set_index(["snr_db", "output"])
    right = (per_snr["accuracy"] * per_snr["clips"]).round().astype(int)
    snrs = per_snr.index.get_level_values("snr_db").unique()
    return bool(all(right.loc[(snr, output)] >= right.loc[(snr, "mixture")] for snr in snrs))


def fit_no_harm(classifier: GenreClassifier, predictions: pd.DataFrame, separation: str | os.PathLike,
                features: str | os.PathLike, *, curves: tuple[str, ...] = ("logistic",),
                grid: tuple[float, ...] = MU_GRID) -> tuple[dict, pd.DataFrame]:
    """Fit each curve kind (``logistic``: observation adding by blind SNR; ``constant``: a fixed
    attenuation limit) on the calibration clips of one variant and base method.

    Args:
        predictions: the classifier's predictions of the base method's calibration outputs at
            every weight of ``grid`` (:func:`grid_predictions`, from the cache or the audio).
        separation: the base method's separation of the calibration set (blind SNR estimates).
        features: the calibration set's feature file (references, for the validation NSDR).

    Returns:
        The fit (json-able: curves, their validation log-likelihoods and whether they do no harm
        on validation, :func:`does_no_harm`) and a table of validation
        scores per calibration SNR and output (raw, mixture, each fitted curve): clips,
        accuracy, mean log-likelihood, mean weight and, for raw and the curves, mean NSDR.
    """
    clips, probs = grid_probabilities(classifier, predictions, grid)
    index = read_separation_index(separation)
    snr_est = index.loc[clips["mix_id"], "blind_snr_db"].astype(float)
    labels = clips["label_index"].to_numpy()
    fitted = {}
    for kind in curves:
        curve, score = fit_curve(probs, grid, snr_est.to_numpy(), labels, kind)
        fitted[kind] = {"curve": curve.as_dict(), "log_likelihood": score}
    outputs = dict(END_OUTPUTS)
    outputs.update({kind: WeightCurve.from_dict(fit["curve"]) for kind, fit in fitted.items()})
    nsdr = _validation_nsdr(features, separation, snr_est, {k: c for k, c in outputs.items() if k != "mixture"})
    scores = validation_scores(probs, grid, clips, snr_est.to_numpy(), outputs, {"nsdr": nsdr})
    for kind, fit in fitted.items():
        fit["no_harm_on_validation"] = does_no_harm(scores, kind)
    fit = {"format": FIT_FORMAT, "grid": list(grid), "curves": fitted, "clips": len(clips),
           "calibration_snrs": [float(s) for s in sorted(clips["snr_db"].unique())]}
    return fit, scores


def write_fit(fit: dict, scores: pd.DataFrame, fit_out: str | os.PathLike, scores_out: str | os.PathLike) -> None:
    with atomic_path(fit_out) as tmp:
        tmp.write_text(json.dumps(fit, indent=2, sort_keys=True) + "\n")
    with atomic_path(scores_out) as tmp:
        scores.to_csv(tmp, index=False, float_format="%.6g")


def read_curve(fit_path: str | os.PathLike, kind: str) -> WeightCurve:
    """A fitted curve of a fit file written by :func:`write_fit`."""
    fit = json.loads(Path(fit_path).read_text())
    if fit.get("format") != FIT_FORMAT:
        raise ValueError(f"{fit_path}: not a no-harm fit ({FIT_FORMAT})")
    if kind not in fit["curves"]:
        raise ValueError(f"{fit_path}: no {kind} curve (has {sorted(fit['curves'])})")
    return WeightCurve.from_dict(fit["curves"][kind]["curve"])


def apply_weights(base: str | os.PathLike, features: str | os.PathLike, curve: WeightCurve,
                  out_dir: str | os.PathLike) -> pd.DataFrame:
    """A no-harm output folder: ``base``'s estimates with the mixture added back by ``curve``.

    The folder holds only ``index.csv``: its ``music_path`` entries point at the base method's
    files, ``mix_weight`` is each clip's weight from the base's blind SNR estimate, and
    ``blind_snr_db`` is the weighted output's own.
    """
    base = Path(base).resolve()
    out_dir = Path(out_dir)
    index = read_separation_index(base)
    rows = []
    with SegmentStore(features) as store:
        table = store.mixtures()
        position = {m: i for i, m in enumerate(table["mix_id"])}
        for mix_id, entry in index.iterrows():
            mixture = store.waveforms(position[mix_id])["mixture"]
            music, _ = read_estimates(entry, mixture)
            mu = float(curve(float(entry["blind_snr_db"])))
            weighted = observation_added(music, mixture, mu)
            rows.append({**{c: entry[c] for c in INDEX_COLUMNS if c in entry.index}, "mix_id": mix_id,
                         "music_path": os.path.relpath(entry["music_path"], out_dir.resolve()),
                         "mix_weight": mu, "noise_estimate": "residual",
                         "blind_snr_db": blind_snr_db(weighted, mixture - weighted), "seconds": 0.0})
    frame = pd.DataFrame(rows, columns=list(INDEX_COLUMNS))
    with atomic_path(out_dir) as tmp:
        tmp.mkdir(parents=True)
        frame.to_csv(tmp / "index.csv", index=False, float_format="%.10g")
    return frame


def fit_fusion(classifier: GenreClassifier, predictions: pd.DataFrame, separation: str | os.PathLike,
               grid: tuple[float, ...] = MU_GRID) -> dict:
    """Late-fusion weights of one classifier from the calibration clips: the mixture's posterior
    (grid weight 1) and the raw output's (weight 0) mixed by a logistic curve of the blind SNR.

    Args:
        predictions: this classifier's predictions of the base method's calibration outputs at
            every weight of ``grid`` (:func:`grid_predictions`, from the cache or the audio).
        separation: the base method's separation of the calibration set (blind SNR estimates).

    Returns:
        The fit (json-able): the curve, its validation log-likelihood, whether it does no harm on
        validation (:func:`does_no_harm`), the number of clips and
        ``scores``, the validation scores (:func:`validation_scores`, records; ``snr_db`` None on
        the pooled rows) of ``raw`` (weight 0: the denoised posterior), ``mixture`` (weight 1)
        and ``fusion`` (the fitted curve): what the report compares classifiers and methods by.
    """
    clips, probs = grid_probabilities(classifier, predictions, grid)
    index = read_separation_index(separation)
    snr_est = index.loc[clips["mix_id"], "blind_snr_db"].astype(float).to_numpy()
    ends = probs[:, [0, len(grid) - 1]]  # the interpolation between the two posteriors is the fusion
    curve, score = fit_curve(ends, (0.0, 1.0), snr_est, clips["label_index"].to_numpy(), "logistic")
    scores = validation_scores(ends, (0.0, 1.0), clips, snr_est, {**END_OUTPUTS, "fusion": curve})
    records = [{k: (None if k == "snr_db" and math.isnan(v) else v) for k, v in row.items()}
               for row in scores.to_dict("records")]
    return {"curve": curve.as_dict(), "log_likelihood": score, "no_harm_on_validation": does_no_harm(scores, "fusion"),
            "clips": len(clips), "scores": records}


def fuse_predictions(mixture: pd.DataFrame, denoised: pd.DataFrame, separation: str | os.PathLike,
                     curve: WeightCurve) -> pd.DataFrame:
    """A predictions table of the fusion: each test clip's posteriors on the mixture and on the
    denoised music, weighted by the curve at the base method's blind SNR estimate."""
    index = read_separation_index(separation)
    prob_columns = [c for c in mixture.columns if c.startswith("prob_")]
    joined = denoised.merge(mixture[["id", *prob_columns]], on="id", suffixes=("", "_mixture"), validate="one_to_one")
    if len(joined) != len(denoised) or len(joined) != len(mixture):
        raise ValueError("the mixture and denoised predictions do not cover the same clips")
    weight = curve(index.loc[joined["id"], "blind_snr_db"].astype(float).to_numpy())
    probs = fused(joined[[f"{c}_mixture" for c in prob_columns]].to_numpy(), joined[prob_columns].to_numpy(), weight)
    out = joined[[c for c in denoised.columns if not c.startswith("prob_")]].copy()
    out["predicted"] = [prob_columns[i].removeprefix("prob_") for i in probs.argmax(1)]
    for j, column in enumerate(prob_columns):
        out[column] = probs[:, j]
    return out
