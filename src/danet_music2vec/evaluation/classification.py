"""Genre-classification metrics of every condition: clean music, the unprocessed mixture and
each separation method's music output.

Per condition (and per test SNR when the test mixtures come at several SNRs):

* accuracy with its 95 % Wilson score interval (sound at the small test sets of GTZAN,
  where the normal approximation gives intervals outside [0, 1]);
* precision, recall and F1 weighted by class support (scikit-learn ``average="weighted"``,
  ``zero_division=0``: the original study's figures) and macro F1 (every genre counts once);
* the share of the accuracy lost to noise that a method wins back, the *gap closed*::

      gap_closed = (acc_method - acc_mixture) / (acc_clean - acc_mixture)

  1 means as accurate as on clean music, 0 no better than not denoising, negative worse.
  Undefined (NaN, with a note) when noise cost no accuracy (clean and mixture within
  ``GAP_MIN_DENOMINATOR``).

Confusion matrices are computed per condition over all its test mixtures.

A predictions table (one per condition, written by the classifier) has the columns
``id, music_id, label, snr_db, predicted, prob_<genre>...``; the ``prob_`` columns name the
classifier's genres in its output order. ``snr_db`` is empty for clean music.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..fileio import atomic_path
from ..methods import ACCURACY_PLOT_METHODS, CLEAN, MIXTURE, PREDICTION_COLUMNS, REFERENCE_METHOD
from ..plots import plot_accuracy_vs_snr, plot_confusion

# The clean music through the separation rule's 8 kHz path.
CLEAN_8KHZ = REFERENCE_METHOD
PROB_PREFIX = "prob_"
Z_95 = 1.959963984540054  # two-sided 95 % normal quantile
GAP_MIN_DENOMINATOR = 1e-9

SUMMARY_COLUMNS = [
    "variant", "method", "snr_db", "n_clips", "n_correct",
    "accuracy", "accuracy_ci_low", "accuracy_ci_high",
    "precision_weighted", "recall_weighted", "f1_weighted", "f1_macro",
    "clean_accuracy", "mixture_accuracy", "gap_closed", "clean_8khz_accuracy", "gap_closed_8khz",
    "wins_vs_mixture", "losses_vs_mixture", "mcnemar_p", "note",
]


class ClassificationInputError(ValueError):
    """A predictions table that cannot be scored; the message names the file."""


# --------------------------------------------------------------------------- reading


def genres_of(frame: pd.DataFrame) -> list[str]:
    """The classifier's genres, in the order of its ``prob_`` columns."""
    return [c[len(PROB_PREFIX):] for c in frame.columns if c.startswith(PROB_PREFIX)]


def read_predictions(path: str | os.PathLike) -> pd.DataFrame:
    """A predictions table, checked: columns, no duplicate ids, labels among the genres."""
    path = Path(path)
    if not path.is_file():
        raise ClassificationInputError(f"{path}: predictions table is missing")
    frame = pd.read_csv(path, dtype={"id": str, "music_id": str, "label": str, "predicted": str})
    missing = [c for c in PREDICTION_COLUMNS if c not in frame.columns]
    if missing:
        raise ClassificationInputError(f"{path}: missing columns {missing}")
    genres = genres_of(frame)
    if not genres:
        raise ClassificationInputError(f"{path}: no {PROB_PREFIX}<genre> columns")
    if frame.empty:
        raise ClassificationInputError(f"{path}: holds no predictions")
    duplicated = frame.loc[frame["id"].duplicated(), "id"].tolist()
    if duplicated:
        raise ClassificationInputError(f"{path}: ids listed more than once: {duplicated[:5]}")
    for column in ("label", "predicted"):
        unknown = sorted(set(frame[column].dropna()) - set(genres))
        if unknown or frame[column].isna().any():
            raise ClassificationInputError(
                f"{path}: column {column} holds values that are not among the classifier's genres "
                f"{genres}: {unknown[:5] or ['(empty)']}"
            )
    frame["snr_db"] = pd.to_numeric(frame["snr_db"], errors="raise").astype(float)
    return frame


def parse_predictions_path(path: str | os.PathLike) -> tuple[str, str]:
    """(variant, method) of ``.../classification/{variant}/{method}.csv``; (clean, clean) for
    ``.../classification/clean.csv``."""
    path = Path(path)
    if path.suffix != ".csv":
        raise ValueError(f"{path}: expected a .csv predictions table")
    if path.stem == CLEAN:
        return CLEAN, CLEAN
    return path.parent.name, path.stem


# --------------------------------------------------------------------------- statistics


def wilson_interval(correct: int, total: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval of a proportion ``correct / total`` (95 % by default).

    Returns (nan, nan) for ``total == 0``.
    """
    if total <= 0:
        return math.nan, math.nan
    if not 0 <= correct <= total:
        raise ValueError(f"correct ({correct}) must lie in [0, total ({total})]")
    p = correct / total
    z2 = z * z
    denominator = 1.0 + z2 / total
    centre = (p + z2 / (2 * total)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total))
    return max(0.0, centre - half), min(1.0, centre + half)


def scores(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str] | None = None) -> dict:
    """Accuracy with its Wilson interval, support-weighted precision/recall/F1 and macro F1.

    ``labels``: the genres to average over, defaults to those present in ``y_true``
    (a genre absent from the test set would otherwise count as a zero in macro F1).
    """
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    y_true, y_pred = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object)
    if labels is None:
        labels = sorted(set(y_true))
    labels = list(labels)
    n = len(y_true)
    correct = int(np.sum(y_true == y_pred))
    precision, recall, f1, _ = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average="weighted", zero_division=0
    )
    low, high = wilson_interval(correct, n)
    return {
        "n_clips": n,
        "n_correct": correct,
        "accuracy": float(accuracy_score(y_true, y_pred)) if n else math.nan,
        "accuracy_ci_low": low,
        "accuracy_ci_high": high,
        "precision_weighted": float(precision),
        "recall_weighted": float(recall),
        "f1_weighted": float(f1),
        "f1_macro": float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)),
    }


def mcnemar_exact(method_correct: Sequence[bool], mixture_correct: Sequence[bool]) -> tuple[int, int, float]:
    """Exact McNemar test of a method against the mixture on the same clips.

    Returns (wins, losses, p): clips only the method gets right, clips only the mixture gets
    right, and the two-sided p-value of the binomial test of wins among the discordant clips
    (1.0 when there is none).
    """
    from scipy.stats import binomtest

    method_correct = np.asarray(method_correct, dtype=bool)
    mixture_correct = np.asarray(mixture_correct, dtype=bool)
    if method_correct.shape != mixture_correct.shape:
        raise ValueError(f"{method_correct.size} and {mixture_correct.size} clips: the test pairs the same clips")
    wins = int(np.sum(method_correct & ~mixture_correct))
    losses = int(np.sum(~method_correct & mixture_correct))
    p = 1.0 if wins + losses == 0 else float(binomtest(wins, wins + losses, 0.5).pvalue)
    return wins, losses, p


def gap_closed(acc_method: float, acc_mixture: float, acc_clean: float,
               min_denominator: float = GAP_MIN_DENOMINATOR) -> tuple[float, str]:
    """(gap closed, note): the share of the clean-to-mixture accuracy gap a method wins back."""
    if any(not np.isfinite(v) for v in (acc_method, acc_mixture, acc_clean)):
        return math.nan, "accuracy missing"
    denominator = acc_clean - acc_mixture
    if abs(denominator) < min_denominator:
        return math.nan, "undefined: clean and mixture accuracy are equal (noise cost no accuracy)"
    note = "mixture more accurate than clean music: the ratio's sign is inverted" if denominator < 0 else ""
    return (acc_method - acc_mixture) / denominator, note


# --------------------------------------------------------------------------- summary


def summarize(clean: pd.DataFrame, predictions: Mapping[tuple[str, str], pd.DataFrame]) -> pd.DataFrame:
    """One row per condition and test SNR (``SUMMARY_COLUMNS``).

    Args:
        clean: predictions on the clean test music.
        predictions: (variant, method) -> predictions on that method's output; each variant
            needs a ``mixture`` entry for the gap closed.

    Rows: clean music first (``variant`` and ``method`` "clean", ``snr_db`` empty), then per
    (variant, method) one row per test SNR; when a condition holds several SNRs a pooled row
    (``snr_db`` empty) comes first. The clean and mixture accuracies of a row are those of the
    same music clips (and, for the mixture, the same SNR) as the row's own.

    ``gap_closed_8khz`` measures the gap against the variant's ``clean_8khz`` condition (clean
    music through the same 8 kHz path as every method) instead of clean music at full band:
    the part of the gap that noise, not the band limit, costs. Empty without that condition.
    """
    genres = genres_of(clean)
    rows = [{"variant": CLEAN, "method": CLEAN, "snr_db": math.nan,
             **scores(clean["label"], clean["predicted"]), "note": ""}]
    clean_by_music = clean.drop_duplicates("music_id").set_index("music_id")

    def groups(frame: pd.DataFrame) -> list[tuple[float, pd.DataFrame]]:
        snrs = sorted(frame["snr_db"].dropna().unique())
        if len(snrs) <= 1:
            return [(snrs[0] if snrs else math.nan, frame)]
        return [(math.nan, frame)] + [(snr, frame[frame["snr_db"] == snr]) for snr in snrs]

    def clean_accuracy(music_ids: pd.Series) -> float:
        present = clean_by_music.reindex(pd.unique(music_ids)).dropna(subset=["label"])
        if present.empty:
            return math.nan
        return float(np.mean(present["label"] == present["predicted"]))

    for (variant, method), frame in predictions.items():
        if genres_of(frame) != genres:
            raise ClassificationInputError(
                f"{variant}/{method}: genres {genres_of(frame)} differ from the clean predictions' {genres}"
            )
        mixture = predictions.get((variant, MIXTURE))
        clean_8khz = predictions.get((variant, CLEAN_8KHZ))
        for snr, group in groups(frame):
            row = {"variant": variant, "method": method, "snr_db": snr,
                   **scores(group["label"], group["predicted"])}
            notes = []
            acc_clean = clean_accuracy(group["music_id"])
            if np.isnan(acc_clean):
                notes.append("no clean predictions for these clips")
            if mixture is None:
                acc_mixture = math.nan
                notes.append(f"no {MIXTURE} predictions for {variant}")
            else:
                mix_group = _at_snr(mixture, snr)
                acc_mixture = _accuracy(mix_group)
                if set(mix_group["id"]) != set(group["id"]):
                    notes.append(f"clips differ from the {MIXTURE} condition's")
            paired = _paired_test(group, None if mixture is None else _at_snr(mixture, snr))
            gap, note = gap_closed(row["accuracy"], acc_mixture, acc_clean)
            if note and note != "accuracy missing":
                notes.append(note)
            acc_8khz = math.nan if clean_8khz is None else _accuracy(_at_snr(clean_8khz, snr))
            gap_8khz, _ = gap_closed(row["accuracy"], acc_mixture, acc_8khz)
            rows.append({**row, "clean_accuracy": acc_clean, "mixture_accuracy": acc_mixture,
                         "gap_closed": gap, "clean_8khz_accuracy": acc_8khz, "gap_closed_8khz": gap_8khz,
                         **paired, "note": "; ".join(notes)})
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def _paired_test(group: pd.DataFrame, mixture: pd.DataFrame | None) -> dict:
    """McNemar's wins, losses and p-value of a condition against the mixture on their shared clips."""
    if mixture is None:
        return {"wins_vs_mixture": math.nan, "losses_vs_mixture": math.nan, "mcnemar_p": math.nan}
    joined = group.merge(mixture, on="id", suffixes=("", "_mixture"))
    wins, losses, p = mcnemar_exact(joined["label"] == joined["predicted"],
                                    joined["label_mixture"] == joined["predicted_mixture"])
    return {"wins_vs_mixture": wins, "losses_vs_mixture": losses, "mcnemar_p": p}


def _at_snr(frame: pd.DataFrame, snr: float) -> pd.DataFrame:
    """The rows of a predictions table at one test SNR (all of them when ``snr`` is NaN)."""
    return frame if np.isnan(snr) else frame[frame["snr_db"] == snr]


def _accuracy(frame: pd.DataFrame) -> float:
    return float(np.mean(frame["label"] == frame["predicted"])) if len(frame) else math.nan


def confusion(frame: pd.DataFrame, genres: Sequence[str] | None = None) -> pd.DataFrame:
    """Counts of (true genre, predicted genre); rows true, columns predicted, all genres."""
    from sklearn.metrics import confusion_matrix

    genres = list(genres or genres_of(frame))
    matrix = confusion_matrix(frame["label"], frame["predicted"], labels=genres)
    table = pd.DataFrame(matrix, index=pd.Index(genres, name="true"), columns=pd.Index(genres, name="predicted"))
    return table


def write_confusion_csv(table: pd.DataFrame, path: str | os.PathLike) -> None:
    with atomic_path(path) as tmp:
        table.to_csv(tmp, index_label="true\\predicted")


def read_confusion_csv(path: str | os.PathLike) -> pd.DataFrame:
    return pd.read_csv(path, index_col=0)


# --------------------------------------------------------------------------- one call


def confusion_paths(out_dir: str | os.PathLike, variant: str, method: str) -> tuple[Path, Path]:
    """(csv, png) of one condition under ``out_dir``: ``clean.*`` or ``{variant}/{method}.*``."""
    out_dir = Path(out_dir)
    stem = out_dir / CLEAN if (variant, method) == (CLEAN, CLEAN) else out_dir / variant / method
    return stem.with_suffix(".csv"), stem.with_suffix(".png")


def evaluate(
    clean_path: str | os.PathLike,
    condition_paths: Sequence[str | os.PathLike],
    summary_out: str | os.PathLike,
    confusion_dir: str | os.PathLike,
    plot_out: str | os.PathLike,
) -> pd.DataFrame:
    """Read every predictions table, write the summary, confusion matrices and the plot.

    Returns the summary.
    """
    clean = read_predictions(clean_path)
    predictions = {parse_predictions_path(p): read_predictions(p) for p in condition_paths}
    summary = summarize(clean, predictions)
    genres = genres_of(clean)
    for (variant, method), frame in [((CLEAN, CLEAN), clean), *predictions.items()]:
        table = confusion(frame, genres)
        csv, png = confusion_paths(confusion_dir, variant, method)
        write_confusion_csv(table, csv)
        title = "clean music" if method == CLEAN else f"{variant}: {method}"
        acc = summary[(summary["variant"] == variant) & (summary["method"] == method)].iloc[0]["accuracy"]
        plot_confusion(table, f"{title} (accuracy {acc:.2f}, n={int(table.to_numpy().sum())})", png)
    with atomic_path(summary_out) as tmp:
        summary.to_csv(tmp, index=False, float_format="%.6g")
    plot_accuracy_vs_snr(summary, plot_out, ACCURACY_PLOT_METHODS)
    return summary
