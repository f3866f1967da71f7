"""What the report reads and what it is told: input paths, settings, the required tables.

*Required* inputs (manifests, quality report, separation and classification summaries) fail
with :class:`ReportInputError` naming the file. Every other input is optional: the sections
check for it with :func:`optional` and say in place when it is missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

SEPARATION_COLUMNS = ["variant", "method", "n_clips", "gnsdr_mean", "gnsdr_median", "gsir_mean", "gsar_mean",
                      "oracle_gnsdr_mean", "oracle_gsir_mean", "oracle_gsar_mean", "swapped_share", "silent_share"]
CLASSIFICATION_COLUMNS = ["variant", "method", "snr_db", "n_clips", "accuracy", "accuracy_ci_low",
                          "accuracy_ci_high", "precision_weighted", "recall_weighted", "f1_weighted", "f1_macro",
                          "gap_closed", "note"]


class ReportInputError(FileNotFoundError):
    """A required input of the report is missing or unreadable; the message names the file."""


@dataclass
class ReportInputs:
    """Paths the report reads. Required: the first five; every other one may be missing."""

    quality: str | os.PathLike
    music_manifest: str | os.PathLike
    noise_manifest: str | os.PathLike
    separation_summary: str | os.PathLike
    classification_summary: str | os.PathLike
    music_splits: str | os.PathLike | None = None
    accuracy_plot: str | os.PathLike | None = None
    confusion_dir: str | os.PathLike | None = None
    danet_histories: Mapping[tuple[str, str], str | os.PathLike] = field(default_factory=dict)
    # Every classifier (the headline, whose files are the fields above, first): name -> file.
    classifier_summaries: Mapping[str, str | os.PathLike] = field(default_factory=dict)
    classifier_histories: Mapping[str, str | os.PathLike] = field(default_factory=dict)
    test_features: Mapping[str, str | os.PathLike] = field(default_factory=dict)
    danet_separation: Mapping[str, str | os.PathLike] = field(default_factory=dict)
    predictions: Mapping[tuple[str, str], str | os.PathLike] = field(default_factory=dict)
    # (variant, base method) -> (fit json, validation scores csv, plot png) of the no-harm stage.
    no_harm_fits: Mapping[tuple[str, str], tuple[str | os.PathLike, str | os.PathLike, str | os.PathLike]] = (
        field(default_factory=dict))
    # (variant, no-harm method) -> its output folder (index.csv with the weights).
    no_harm_outputs: Mapping[tuple[str, str], str | os.PathLike] = field(default_factory=dict)
    # (variant, fusion method, classifier) -> its late-fusion fit (json, with its validation scores).
    fusion_fits: Mapping[tuple[str, str, str], str | os.PathLike] = field(default_factory=dict)
    benchmarks_dir: str | os.PathLike | None = None
    benchmark_patterns: Mapping[str, str] = field(default_factory=dict)


@dataclass
class ReportSettings:
    """What the page is told about the run; the library reads no config itself.

    ``variants``: variant -> number of noise clips per mixture, in page order (None: the
    variants of the summaries, the number taken from a trailing digit of the name).
    ``classifiers``: classifier -> its training conditions (the first classifier is the
    headline). ``music_source``, ``noise_source``: how the datasets were obtained
    (``synthetic``, ``download`` or ``folder``). ``config_shown``: the configuration sections
    printed in the provenance section, under ``config_caption``.
    """

    variants: Mapping[str, int] | None = None
    classifiers: Mapping[str, Sequence[str]] = field(default_factory=dict)
    music_source: str = "unknown"
    noise_source: str = "unknown"
    seed: int | None = None
    config_shown: Mapping = field(default_factory=dict)
    # The denoised condition the page's headline and classifier comparison name (a method).
    headline_method: str = "danet"
    config_caption: str = "merged configuration of this run"
    example_clips: int = 2
    audio_seconds: float = 10.0
    repo: str | os.PathLike = "."
    title: str = "danet-music2vec: denoising music with DANet before genre classification"


@dataclass
class RequiredTables:
    """The required inputs, read and checked."""

    quality: pd.DataFrame
    music: pd.DataFrame
    noise: pd.DataFrame
    separation: pd.DataFrame
    summary: pd.DataFrame


def _require(path: str | os.PathLike | None, what: str) -> Path:
    if path is None or not Path(path).is_file():
        raise ReportInputError(f"{path}: required input of the report ({what}) is missing")
    return Path(path)


def read_required_csv(path: str | os.PathLike, what: str, columns: Iterable[str] = (), **kwargs) -> pd.DataFrame:
    """A required CSV with the given columns, or :class:`ReportInputError` naming the file."""
    path = _require(path, what)
    try:
        frame = pd.read_csv(path, **kwargs)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, ValueError, OSError) as error:
        # empty, not CSV, not text (UnicodeDecodeError is a ValueError), unreadable
        raise ReportInputError(f"{path}: {what} cannot be read ({error})") from error
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ReportInputError(f"{path}: {what} lacks columns {missing}")
    return frame


def read_required(inputs: ReportInputs) -> RequiredTables:
    """Every required input of the report; the first missing or broken one raises."""
    return RequiredTables(
        quality=read_required_csv(inputs.quality, "data quality report", ["clip_id", "problem", "action"]),
        music=read_required_csv(inputs.music_manifest, "music manifest", ["clip_id", "label"],
                                dtype={"clip_id": str}),
        noise=read_required_csv(inputs.noise_manifest, "noise manifest", ["clip_id"], dtype={"clip_id": str}),
        separation=read_required_csv(inputs.separation_summary, "separation summary", SEPARATION_COLUMNS),
        summary=read_required_csv(inputs.classification_summary, "classification summary",
                                  CLASSIFICATION_COLUMNS),
    )


def optional(path: str | os.PathLike | None) -> Path | None:
    """``path`` if it exists, else None (an optional input)."""
    return Path(path) if path is not None and Path(path).exists() else None


def report_variants(settings: ReportSettings, *frames: pd.DataFrame) -> list[str]:
    """The variants of the page: the settings', else those the summaries name (not clean)."""
    if settings.variants:
        return list(settings.variants)
    names: list[str] = []
    for frame in frames:
        if "variant" in frame:
            names += [v for v in frame["variant"] if v != "clean"]
    return list(dict.fromkeys(names))
