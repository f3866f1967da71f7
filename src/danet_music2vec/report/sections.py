"""What each section of the page shows, as values for ``templates/report.html.j2``: tables,
images and the notes for what is missing, in page order (so the notes list is too).

Each function returns one section's context (a dict whose keys the template names) and adds
its notes to ``notes``.
"""

from __future__ import annotations

import pandas as pd

import json
from pathlib import Path

from ..methods import CLASSIFIED_METHODS as METHODS
from ..plots import plot_classifier_history, plot_danet_histories
from . import tables
from .elements import Notes, fmt, image, table
from .inputs import ReportInputs, ReportSettings, RequiredTables, optional
from .provenance import config_yaml, provenance_facts, wall_times, with_total


def _store_mixtures(path) -> tuple[pd.DataFrame, int]:
    """A test feature file's mixture table and sample rate."""
    import h5py

    from ..data.features import SegmentStore

    with SegmentStore(path) as store:
        mixtures = store.mixtures()
    with h5py.File(path, "r") as h5:
        rate = int(h5.attrs.get("sample_rate", 8000))
    return mixtures, rate


def data_section(inputs: ReportInputs, settings: ReportSettings, required: RequiredTables, variants: list[str],
                 notes: Notes) -> dict:
    """Datasets, music per genre and split, test mixtures, data quality. Its ``facts`` (sources,
    test music clips, test mixture rows) feed the comparison with the original study."""
    music, quality = required.music, required.quality
    section = {"overview": table(tables.dataset_overview(music, required.noise, settings.music_source,
                                                         settings.noise_source)),
               "splits": None, "splits_missing": None, "mixtures": None, "mixtures_missing": None,
               "flagged": len(quality), "quality_counts": None, "quality_shown": None, "quality_shown_count": 0}
    facts = {"music_source": settings.music_source, "noise_source": settings.noise_source}
    splits_path = optional(inputs.music_splits)
    if splits_path is not None:
        splits = pd.read_csv(splits_path)
        section["splits"] = table(tables.split_table(splits, music))
        facts["test_music"] = int((splits["split"] == "test").sum())
    else:
        section["splits_missing"] = notes.missing("The music split table", inputs.music_splits)
    mix_rows = []
    for variant in variants:
        path = optional(inputs.test_features.get(variant))
        if path is not None:
            mixtures, rate = _store_mixtures(path)
            mix_rows.append(tables.mixture_row(variant, tables.n_noises(settings.variants, variant), mixtures, rate))
    if mix_rows:
        section["mixtures"] = table(pd.DataFrame(mix_rows))
        facts["test_mixtures"] = {r["variant"]: r for r in mix_rows}
    else:
        section["mixtures_missing"] = notes.missing("The test feature files (test mixture counts and SNRs)")
    if len(quality):
        shown = quality.head(30)
        section.update(quality_counts=table(tables.quality_counts(quality)), quality_shown=table(shown),
                       quality_shown_count=len(shown))
    section["facts"] = facts
    return section


def separation_section(separation: pd.DataFrame, variants: list[str]) -> dict:
    """The separation summary pooled over test SNRs, then per SNR (when there are several)."""
    pooled, per_snr = tables.split_by_snr(tables.separation_table(separation, variants))

    def highlight(row: pd.Series) -> bool:
        return row["method"] == "danet"

    classes = tables.noise_classes_table(separation, variants)
    return {"pooled": table(pooled, highlight=highlight),
            "per_snr": table(per_snr, highlight=highlight) if not per_snr.empty else None,
            "noise_classes": table(classes, highlight=highlight) if not classes.empty else None}


def classification_section(inputs: ReportInputs, settings: ReportSettings, summary: pd.DataFrame,
                           variants: list[str], notes: Notes) -> dict:
    """The headline classifier's tables, accuracy-vs-SNR plot and confusion matrices, then
    every classifier compared (when there are several)."""
    section: dict = {"headline": None, "headline_training": None, "accuracy_plot": None,
                     "accuracy_missing": None, "confusion": [], "confusion_missing": None}
    if inputs.classifier_summaries:
        headline = next(iter(inputs.classifier_summaries))
        section["headline"] = headline
        section["headline_training"] = (" + ".join(settings.classifiers.get(headline, []))
                                        or "its configured conditions")
    pooled, per_snr = tables.split_by_snr(tables.classification_table(summary))

    def highlight(row: pd.Series) -> bool:
        return row["method"] in ("clean", "danet")

    section["pooled"] = table(pooled, highlight=highlight)
    section["per_snr"] = table(per_snr, highlight=highlight) if not per_snr.empty else None
    plot = optional(inputs.accuracy_plot)
    if plot is not None:
        section["accuracy_plot"] = image(plot.read_bytes(), "accuracy against SNR", 1100)
    else:
        section["accuracy_missing"] = notes.missing("The accuracy-vs-SNR plot", inputs.accuracy_plot)
    confusion_dir = optional(inputs.confusion_dir)
    if confusion_dir is None:
        section["confusion_missing"] = notes.missing("The confusion matrices", inputs.confusion_dir)
    else:
        figures = []
        for variant, method in [("clean", "clean")] + [(v, m) for v in variants for m in METHODS]:
            png = confusion_dir / ("clean.png" if method == "clean" else f"{variant}/{method}.png")
            if png.is_file():
                caption = "clean music" if method == "clean" else f"{variant}: {method}"
                figures.append((image(png.read_bytes(), "confusion matrix " + caption, 380), caption))
        section["confusion"] = figures
        if not figures:
            section["confusion_missing"] = notes.missing("Confusion matrix images", confusion_dir)
    section["compared"] = _classifiers_compared(inputs, settings, variants, notes)
    return section


def _classifiers_compared(inputs: ReportInputs, settings: ReportSettings, variants: list[str],
                          notes: Notes) -> dict | None:
    """Every classifier side by side (the section shows the headline one); None with one."""
    if len(inputs.classifier_summaries) < 2:
        return None
    summaries, missing = {}, []
    for name, path in inputs.classifier_summaries.items():
        if optional(path) is None:
            missing.append(notes.missing(f"The classification summary of classifier {name}", path))
        else:
            summaries[name] = pd.read_csv(path)
    headline = next(iter(inputs.classifier_summaries))
    compared = None
    if summaries:
        compared = table(tables.classifiers_table(summaries, settings.classifiers, variants, settings.headline_method),
                         highlight=lambda r: r["classifier"] == headline)
    return {"missing": missing, "headline": headline, "table": compared}


def no_harm_section(inputs: ReportInputs, settings: ReportSettings, summary: pd.DataFrame, variants: list[str],
                    notes: Notes) -> dict:
    """The no-harm stage: the weights fitted on the calibration set with their validation scores and
    plots, the headline's choice on validation (every classifier's fusion and raw scores), the
    weights applied to the test clips per SNR, and the headline method against the mixture at
    every SNR (accuracy, wins and losses, McNemar's p)."""
    fits, plots, missing = {}, [], []
    for (variant, base), (fit_path, scores_path, plot_path) in inputs.no_harm_fits.items():
        if optional(fit_path) is None or optional(scores_path) is None:
            missing.append(notes.missing(f"The no-harm fit of {base} on {variant}", fit_path))
            continue
        fits[(variant, base)] = (json.loads(Path(fit_path).read_text()), pd.read_csv(scores_path))
        if optional(plot_path) is not None:
            plots.append((image(Path(plot_path).read_bytes(), f"no-harm fit {variant} {base}", 900),
                          f"{variant}: {base}"))
    indexes = {}
    for (variant, method), folder in inputs.no_harm_outputs.items():
        index = Path(folder) / "index.csv"
        if index.is_file():
            indexes[(variant, method)] = pd.read_csv(index)
        else:
            missing.append(notes.missing(f"The weights of {method} on {variant}", index))
    fusions = {}
    for (variant, method, classifier), path in inputs.fusion_fits.items():
        if optional(path) is None:
            missing.append(notes.missing(f"The late-fusion fit of {method} for {classifier} on {variant}", path))
        else:
            fusions[(variant, method, classifier)] = json.loads(Path(path).read_text())
    classifiers = list(settings.classifiers) or sorted({c for _, _, c in fusions})
    choice = tables.headline_choice_table(fusions, fits, classifiers, variants, settings.headline_method)
    checked = summary[summary["method"].isin(["danet", settings.headline_method]) & summary["snr_db"].notna()]
    rows = [{"variant": r["variant"], "method": r["method"], "SNR (dB)": f"{r['snr_db']:g}",
             "mixture": r["mixture_accuracy"], "denoised": r["accuracy"], "gap closed": r["gap_closed"],
             "wins": r.get("wins_vs_mixture"), "losses": r.get("losses_vs_mixture"),
             "McNemar p": r.get("mcnemar_p"),
             "verdict": ("significant loss" if r.get("mcnemar_p", 1.0) < 0.05 and r.get("losses_vs_mixture", 0)
                         > r.get("wins_vs_mixture", 0) else
                         "not worse than the mixture" if r["accuracy"] >= r["mixture_accuracy"] else
                         "worse, not significantly")}
            for _, r in checked.iterrows() if r["variant"] in variants]
    return {"fits": table(tables.no_harm_fits_table(fits)) if fits else None,
            "weights": table(tables.no_harm_weights_table(indexes)) if indexes else None,
            "choice": (table(choice, highlight=lambda r: r["headline"] == tables.HEADLINE_MARK)
                       if len(choice) else None),
            "check": table(pd.DataFrame(rows), highlight=lambda r: r["verdict"] == "significant loss") if rows else None,
            "headline_method": settings.headline_method, "plots": plots, "missing": missing}


def training_section(inputs: ReportInputs, notes: Notes) -> dict:
    """DANet's training curves (one figure) and each classifier's."""
    histories, danet_missing = {}, []
    for key, path in inputs.danet_histories.items():
        if optional(path) is not None:
            histories[key] = pd.read_csv(path)
        else:
            danet_missing.append(notes.missing(f"The training history of {key[0]} on {key[1]}", path))
    danet = image(plot_danet_histories(histories), "DANet training curves", 1100) if histories else None
    classifiers = []
    for name, path in inputs.classifier_histories.items():
        if optional(path) is not None:
            plot = image(plot_classifier_history(pd.read_csv(path), f"music2vec {name}"),
                         f"music2vec {name} training curves", 900)
            classifiers.append({"name": name, "plot": plot, "missing": None})
        else:
            classifiers.append({"name": name, "plot": None, "missing": notes.missing(
                f"The training history of classifier {name}", path)})
    return {"danet_missing": danet_missing, "danet": danet, "classifiers": classifiers}


def original_section(required: RequiredTables, settings: ReportSettings, variants: list[str], facts: dict) -> dict:
    """What this run measured on (from the data section's facts) and both comparison tables."""
    # sorted as text, as the page has always listed them
    snrs = sorted({s for r in facts.get("test_mixtures", {}).values() for s in r["test SNRs (dB)"].split(", ")})
    test_music = facts.get("test_music")
    classification, separation = tables.comparison_tables(required.summary, required.separation,
                                                          settings.variants, variants)
    return {"music_source": facts.get("music_source"), "noise_source": facts.get("noise_source"),
            "test_music": test_music if test_music is not None else "an unknown number of",
            "snrs": ", ".join(snrs) or "unknown",
            "classification": table(classification), "separation": table(separation)}


def provenance_section(inputs: ReportInputs, settings: ReportSettings, notes: Notes) -> dict:
    """Commit, seed, device and versions; wall time per rule; the configuration shown."""
    section = {"facts": table(provenance_facts(settings.repo, settings.seed)), "wall": None, "wall_missing": None}
    bench = optional(inputs.benchmarks_dir)
    times, skipped = wall_times(bench, inputs.benchmark_patterns) if bench is not None else (None, [])
    if times is None or times.empty:
        section["wall_missing"] = notes.missing("Benchmark files (wall times per rule)", inputs.benchmarks_dir)
    else:
        def one_digit(value: object) -> str:
            return fmt(value, 1)

        section["wall"] = table(with_total(times),
                                formats={"seconds (sum)": one_digit, "seconds (longest job)": one_digit},
                                highlight=lambda r: r["rule"] == "all rules")
    section["skipped"] = [notes.add(f"Benchmark file {s.path} was skipped: {s.reason}.") for s in skipped]
    section["config_caption"] = settings.config_caption
    section["config_yaml"] = config_yaml(settings.config_shown)
    return section
