"""The report's tables as pandas frames, from the run's summaries (no HTML, no files).

Column names are the page's headers; values stay numbers (the template formats them).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..methods import CLASSIFIED_METHODS as METHODS
from ..methods import FUSION_METHODS, NO_HARM_METHODS, no_harm_curve

METHOD_NOTES = {
    "mixture": "no processing (the mixture itself)",
    "clean_8khz": "the clean music through the same 8 kHz path as every method's output (a perfect "
                  "separation): classified, as the ceiling of any method, not scored by BSS Eval",
    "oracle_ibm": "ideal binary mask (uses the references: a ceiling)",
    "oracle_irm": "ideal ratio mask (uses the references: a ceiling)",
    "noisereduce": "spectral gating baseline",
    "danet_original": "DANet, the original study's setup (log-magnitude objective)",
    "danet": "DANet, masks on the linear magnitude (the paper's objective)",
}
SOURCE_DESCRIPTIONS = {"synthetic": "the embedded synthetic stand-in (built offline from the seed)",
                       "download": "the real dataset, downloaded", "folder": "the real dataset, from a local folder"}

# The original study (shared/reference/original-study.md): 50 real GTZAN test clips,
# ESC-50 noise added at the files' own levels; number of noise clips -> figures.
ORIGINAL_CLASSIFICATION = {
    1: {"accuracy": (0.58, 0.38, 0.22), "f1_weighted": (0.56, 0.36, 0.11)},
    2: {"accuracy": (0.58, 0.28, 0.16), "f1_weighted": (0.56, 0.26, 0.07)},
}
ORIGINAL_SEPARATION = {1: {"gnsdr": -0.78, "gsir": 6.0, "gsar": 9.3}, 2: {"gnsdr": 0.76, "gsir": 5.2, "gsar": 9.4}}


def pooled_row(summary: pd.DataFrame, variant: str | None, method: str) -> pd.Series | None:
    """The row of one condition pooled over test SNRs (its only row when there is one SNR)."""
    rows = summary[(summary["variant"] == variant) & (summary["method"] == method)]
    if rows.empty:
        return None
    if len(rows) == 1:
        return rows.iloc[0]
    pooled = rows[rows["snr_db"].isna()]
    return pooled.iloc[0] if not pooled.empty else rows.iloc[0]


def n_noises(variants: Mapping[str, int] | None, variant: str) -> int | None:
    """Noise clips per mixture of ``variant``: the settings', else the name's trailing number."""
    value = (variants or {}).get(variant)
    if value is None:
        match = re.search(r"(\d+)$", variant)
        return int(match.group(1)) if match else None
    return int(value)


def _get(row: pd.Series | None, column: str) -> float:
    return row[column] if row is not None else math.nan


def headline_table(summary: pd.DataFrame, separation: pd.DataFrame, variants: list[str],
                   headline_method: str = "danet") -> pd.DataFrame:
    """Per variant: clean, mixture, danet and headline-method accuracy (pooled), the gaps closed,
    the fewest wins minus losses of the headline method against the mixture at any SNR, and
    danet's GNSDR."""
    clean = pooled_row(summary, "clean", "clean")
    rows = []
    for variant in variants:
        mixture, danet = pooled_row(summary, variant, "mixture"), pooled_row(summary, variant, "danet")
        sep = pooled_row(all_noise_classes(separation), variant, "danet")
        row = {
            "variant": variant,
            "clean accuracy": _get(clean, "accuracy"),
            "mixture accuracy": _get(mixture, "accuracy"),
            "danet accuracy": _get(danet, "accuracy"),
            "gap closed by danet": _get(danet, "gap_closed"),
        }
        if headline_method != "danet":
            headline = pooled_row(summary, variant, headline_method)
            per_snr = summary[(summary["variant"] == variant) & (summary["method"] == headline_method)
                              & summary["snr_db"].notna()]
            row[f"{headline_method} accuracy"] = _get(headline, "accuracy")
            row[f"gap closed by {headline_method}"] = _get(headline, "gap_closed")
            row[f"{headline_method}: smallest p of a loss"] = (
                per_snr.loc[per_snr["losses_vs_mixture"] > per_snr["wins_vs_mixture"], "mcnemar_p"].min()
                if "mcnemar_p" in per_snr and (per_snr["losses_vs_mixture"] > per_snr["wins_vs_mixture"]).any()
                else math.nan)
        row["danet GNSDR (dB)"] = _get(sep, "gnsdr_mean")
        rows.append(row)
    return pd.DataFrame(rows)


def _usable(manifest: pd.DataFrame) -> pd.DataFrame:
    if "usable" not in manifest:
        return manifest
    return manifest[manifest["usable"].astype(str).str.lower().isin(["true", "1"])]


def dataset_overview(music: pd.DataFrame, noise: pd.DataFrame, music_source: str, noise_source: str) -> pd.DataFrame:
    """One row per dataset: source, clips, usable clips, classes, usable hours."""
    rows = []
    for name, manifest, source in (("music (GTZAN layout)", music, music_source),
                                   ("noise (ESC-50 layout)", noise, noise_source)):
        usable = _usable(manifest)
        rows.append({
            "dataset": name, "source": SOURCE_DESCRIPTIONS.get(source, source),
            "clips": len(manifest), "usable": len(usable),
            "classes": manifest["label"].nunique() if "label" in manifest else math.nan,
            "hours (usable)": usable["duration_s"].sum() / 3600 if "duration_s" in manifest else math.nan,
        })
    return pd.DataFrame(rows)


def split_table(splits: pd.DataFrame, music: pd.DataFrame) -> pd.DataFrame:
    """Music clips per genre (rows, then ``all``) and split (train, valid, test columns)."""
    joined = splits.merge(music[["clip_id", "label"]], on="clip_id", how="left")
    present = set(joined["split"])
    table = pd.crosstab(joined["label"], joined["split"]).reindex(
        columns=[c for c in ("train", "valid", "test") if c in present])
    table.loc["all"] = table.sum()
    return table.reset_index().rename(columns={"label": "genre"})


def mixture_row(variant: str, noise_clips: int | None, mixtures: pd.DataFrame, sample_rate: int) -> dict:
    """One variant's test mixtures (a feature file's mixture table): counts, SNRs, length."""
    return {"variant": variant, "noise clips per mixture": noise_clips,
            "test mixtures": len(mixtures), "music clips": mixtures["music_id"].nunique(),
            "test SNRs (dB)": ", ".join(f"{s:g}" for s in sorted(mixtures["snr_db"].astype(float).unique())),
            "seconds per clip": float(np.mean(mixtures["n_samples"]) / sample_rate)}


def quality_counts(quality: pd.DataFrame) -> pd.DataFrame:
    """Flagged clips per dataset, problem and action."""
    return quality.groupby(["dataset", "problem", "action"], dropna=False).size().reset_index(name="clips")


def all_noise_classes(separation: pd.DataFrame) -> pd.DataFrame:
    """The separation summary's rows over all noise classes (the whole table when it has no split)."""
    if "noise_classes" not in separation:
        return separation
    return separation[separation["noise_classes"] == "all"]


def noise_classes_table(separation: pd.DataFrame, variants: list[str],
                        methods: Sequence[str] = ("danet", "danet_original", "noisereduce", "oracle_irm")) -> pd.DataFrame:
    """Per variant, SNR and method: blind GNSDR and its share of the IRM's at the same SNR, on test
    mixtures whose noise classes were trained on (seen) and held out of training (unseen).
    Empty when the summary has no such split."""
    if "noise_classes" not in separation or not set(separation["noise_classes"]) >= {"seen", "unseen"}:
        return pd.DataFrame()
    rows = []
    frame = separation.assign(_snr=separation["snr_db"].map(lambda s: "all" if pd.isna(s) else f"{s:g}"))
    for variant in variants:
        part = frame[frame["variant"] == variant]
        for snr in dict.fromkeys(part["_snr"]):
            at = part[part["_snr"] == snr]
            for method in methods:
                row = {"variant": variant, "SNR (dB)": snr, "method": method}
                for kind in ("seen", "unseen"):
                    hit = at[(at["method"] == method) & (at["noise_classes"] == kind)]
                    irm = at[(at["method"] == "oracle_irm") & (at["noise_classes"] == kind)]
                    value = float(hit["gnsdr_mean"].iloc[0]) if len(hit) else math.nan
                    ceiling = float(irm["gnsdr_mean"].iloc[0]) if len(irm) else math.nan
                    row[f"{kind} clips"] = int(hit["n_clips"].iloc[0]) if len(hit) else 0
                    row[f"{kind} GNSDR"] = value
                    row[f"{kind}: % of IRM"] = 100 * value / ceiling if ceiling > 0 else math.nan
                rows.append(row)
    return pd.DataFrame(rows)


def separation_table(separation: pd.DataFrame, variants: list[str]) -> pd.DataFrame:
    """The summary with the percent of the oracle IRM's (blind) GNSDR at the same SNR, in method
    order; ``SNR (dB)`` as in :func:`classification_table` (``all`` on a pooled row). All noise
    classes together (:func:`noise_classes_table` splits them)."""
    separation = all_noise_classes(separation)
    rows = []
    order = {m: i for i, m in enumerate(METHODS)}
    frame = separation.assign(_o=separation["method"].map(lambda m: order.get(m, len(order))))
    if "snr_db" not in frame:
        frame = frame.assign(snr_db=math.nan)
    several = frame.groupby(["variant", "method"])["snr_db"].transform("size") > 1
    for variant in variants:
        part = frame[frame["variant"] == variant].sort_values("_o", kind="stable")
        for _, row in part.iterrows():
            same_snr = part["snr_db"].isna() if pd.isna(row["snr_db"]) else part["snr_db"] == row["snr_db"]
            irm = part.loc[same_snr & (part["method"] == "oracle_irm"), "gnsdr_mean"]
            irm_value = float(irm.iloc[0]) if len(irm) else math.nan
            share = 100 * row["gnsdr_mean"] / irm_value if np.isfinite(irm_value) and irm_value > 0 else math.nan
            snr = ("all" if several.loc[row.name] else "–") if pd.isna(row["snr_db"]) else f"{row['snr_db']:g}"
            rows.append({
                "variant": variant, "method": row["method"], "SNR (dB)": snr, "clips": int(row["n_clips"]),
                "GNSDR mean": row["gnsdr_mean"], "GNSDR median": row["gnsdr_median"],
                "GSIR": row["gsir_mean"], "GSAR": row["gsar_mean"],
                "oracle GNSDR": row["oracle_gnsdr_mean"], "oracle GSIR": row["oracle_gsir_mean"],
                "oracle GSAR": row["oracle_gsar_mean"],
                "swapped %": 100 * row["swapped_share"], "silent %": 100 * row["silent_share"],
                "% of oracle IRM GNSDR": share,
            })
    return pd.DataFrame(rows)


def _wins_losses(row: pd.Series) -> str:
    """``wins / losses`` of a condition against the mixture on the same clips (empty for clean and mixture)."""
    wins, losses = row.get("wins_vs_mixture", math.nan), row.get("losses_vs_mixture", math.nan)
    if pd.isna(wins) or row["method"] in ("clean", "mixture"):
        return ""
    return f"{int(wins)} / {int(losses)}"


def classification_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Every row of a classification summary; ``SNR (dB)`` is ``all`` on the pooled row of a
    condition with several test SNRs, ``–`` on a condition's only row."""
    rows = []
    for _, row in summary.iterrows():
        rows.append({
            "variant": row["variant"], "method": row["method"],
            "SNR (dB)": "–" if pd.isna(row["snr_db"]) else f"{row['snr_db']:g}",
            "clips": int(row["n_clips"]), "accuracy": row["accuracy"],
            "95 % CI": f"{row['accuracy_ci_low']:.2f} – {row['accuracy_ci_high']:.2f}",
            "precision (w)": row["precision_weighted"], "recall (w)": row["recall_weighted"],
            "F1 (w)": row["f1_weighted"], "F1 (macro)": row["f1_macro"],
            "gap closed": row["gap_closed"], "gap closed (8 kHz clean)": row.get("gap_closed_8khz", math.nan),
            "wins / losses vs mixture": _wins_losses(row),
            "McNemar p": row.get("mcnemar_p", math.nan),
            "note": "" if pd.isna(row["note"]) else row["note"],
        })
    table = pd.DataFrame(rows)
    if not table.empty:
        multi = summary.groupby(["variant", "method"])["snr_db"].transform("size") > 1
        table.loc[(summary["snr_db"].isna() & multi).to_numpy(), "SNR (dB)"] = "all"
    return table


def split_by_snr(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A :func:`classification_table` or :func:`separation_table` as (pooled rows, per-SNR rows;
    empty with one SNR)."""
    pooled = table[(table["SNR (dB)"] == "all") | ~table.duplicated(["variant", "method"], keep=False)]
    if len(pooled) == len(table):
        return pooled, table.iloc[0:0]
    return pooled, table[table["SNR (dB)"] != "all"]


def classifiers_table(summaries: Mapping[str, pd.DataFrame], training: Mapping[str, Sequence[str]],
                      variants: list[str], headline_method: str = "danet") -> pd.DataFrame:
    """Per classifier, variant and test SNR: clean, mixture, danet and headline-method accuracy,
    the gaps closed and the headline method's McNemar p-value against the mixture."""
    rows = []
    shown = list(dict.fromkeys(["mixture", "clean_8khz", "danet", headline_method]))
    for name, summary in summaries.items():
        clean = pooled_row(summary, "clean", "clean")
        for variant in variants:
            part = summary[(summary["variant"] == variant) & summary["method"].isin(shown)]
            snrs = sorted({float(v) for v in part["snr_db"].dropna()}) or [math.nan]
            for snr in snrs:
                found = {}
                for method in shown:
                    rows_m = part[part["method"] == method]
                    hit = rows_m[rows_m["snr_db"] == snr] if not math.isnan(snr) else rows_m
                    found[method] = hit.iloc[0] if len(hit) else None
                accuracy = {m: _get(found[m], "accuracy") for m in found}
                clean_accuracy = _get(clean, "accuracy")
                row = {
                    "classifier": name, "trained on": " + ".join(training.get(name, [])) or "?",
                    "variant": variant, "SNR (dB)": "–" if math.isnan(snr) else f"{snr:g}",
                    "clean": clean_accuracy, "mixture": accuracy["mixture"], "danet": accuracy["danet"],
                    # a share of a gap of a few points is mostly noise: show how large the gap is
                    "gap (points)": 100 * (clean_accuracy - accuracy["mixture"]),
                    "gap closed by danet": _get(found["danet"], "gap_closed"),
                }
                if headline_method != "danet":
                    row[headline_method] = accuracy[headline_method]
                    row[f"gap closed by {headline_method}"] = _get(found[headline_method], "gap_closed")
                row[f"McNemar p, {headline_method} vs mixture"] = _get(found[headline_method], "mcnemar_p")
                row["clean, 8 kHz"] = accuracy["clean_8khz"]
                row["gap closed, 8 kHz clean"] = (found["danet"].get("gap_closed_8khz", math.nan)
                                                  if found["danet"] is not None else math.nan)
                rows.append(row)
    return pd.DataFrame(rows)


def _yes_no(value: bool | None) -> str:
    """A fit's no-harm flag as the report shows it; empty for a fit from before it was recorded."""
    return "" if value is None else ("yes" if value else "no")


def no_harm_fits_table(fits: Mapping[tuple[str, str], tuple[dict, pd.DataFrame]]) -> pd.DataFrame:
    """Per variant and base method: each fitted curve, its validation scores (all calibration SNRs)
    and whether it does no harm on validation (at no calibration SNR fewer clips right than the
    mixture)."""
    rows = []
    for (variant, base), (fit, scores) in fits.items():
        pooled = scores[scores["snr_db"].isna()].set_index("output")
        for kind, entry in fit["curves"].items():
            curve = entry["curve"]
            shape = (f"logistic, centre {curve['centre_db']:g} dB, width {curve['width_db']:g} dB"
                     if curve["kind"] == "logistic" else
                     f"constant mu {curve['constant']:.3f} (attenuation limit "
                     f"{-20 * math.log10(curve['constant']) if curve['constant'] > 0 else math.inf:.0f} dB)")
            rows.append({"variant": variant, "base": base, "curve": kind, "fitted": shape,
                         "clips": int(fit["clips"]),
                         "valid accuracy: raw": pooled.loc["raw", "accuracy"] if "raw" in pooled.index else math.nan,
                         "valid accuracy: mixture": pooled.loc["mixture", "accuracy"] if "mixture" in pooled.index else math.nan,
                         "valid accuracy: fitted": pooled.loc[kind, "accuracy"] if kind in pooled.index else math.nan,
                         "valid log-lik: raw": pooled.loc["raw", "log_likelihood"] if "raw" in pooled.index else math.nan,
                         "valid log-lik: fitted": entry["log_likelihood"],
                         "valid NSDR: raw": pooled.loc["raw", "nsdr"] if "raw" in pooled.index else math.nan,
                         "valid NSDR: fitted": pooled.loc[kind, "nsdr"] if kind in pooled.index else math.nan,
                         "no harm on validation": _yes_no(entry.get("no_harm_on_validation"))})
    return pd.DataFrame(rows)


HEADLINE_MARK = "configured headline"
MEAN_OVER_VARIANTS = "mean over variants"


def _pooled_scores(scores: pd.DataFrame) -> pd.DataFrame:
    """A validation scores table's pooled rows (``snr_db`` empty), by output."""
    return scores[scores["snr_db"].isna()].set_index("output")


def headline_choice_table(fusions: Mapping[tuple[str, str, str], dict],
                          no_harm: Mapping[tuple[str, str], tuple[dict, pd.DataFrame]],
                          classifiers: Sequence[str], variants: Sequence[str],
                          headline_method: str) -> pd.DataFrame:
    """What the headline is chosen by: per classifier and variant, the calibration-set (validation)
    accuracy and mean log-likelihood of the true genre of the mixture, each fusion's base method
    raw and the fusion (from each fusion fit's ``scores``) and, for the headline classifier (the
    first) only, the no-harm outputs of those bases (their fits' pooled scores: the headline
    classifier fitted them); then each classifier and output's mean over the variants (empty
    unless every variant has it), with whether each fitted output does no harm on validation.
    The configured pair (the first classifier, ``headline_method``) is marked.

    Args:
        fusions: (variant, fusion method, classifier) -> the fit fuse_predictions.py writes (one
            without ``scores``, from before they were written, gives the fusion's log-likelihood).
        no_harm: (variant, base method) -> the no-harm fit and its validation scores table.
    """
    headline = classifiers[0] if classifiers else None
    rows = []
    for classifier in classifiers:
        per_variant = []
        for variant in variants:
            for method, base in FUSION_METHODS.items():
                fit = fusions.get((variant, method, classifier))
                if fit is None:
                    continue
                pooled = _pooled_scores(pd.DataFrame(fit.get("scores", []), columns=["snr_db", "output", "clips",
                                                                                      "accuracy", "log_likelihood"]))
                if "fusion" not in pooled.index:
                    pooled.loc["fusion"] = pd.Series({"clips": fit["clips"], "log_likelihood": fit["log_likelihood"]})
                # output -> (its name in the scores, those scores, its fit entry: {} for an unfitted output)
                shown = {"mixture": ("mixture", pooled, {}), base: ("raw", pooled, {})}
                if classifier == headline and (variant, base) in no_harm:
                    fit_of_base, base_scores = no_harm[(variant, base)]
                    curves = _pooled_scores(base_scores)
                    for output in (o for o, of in NO_HARM_METHODS.items() if of == base):
                        kind = no_harm_curve(output)
                        shown[output] = (kind, curves, fit_of_base.get("curves", {}).get(kind, {}))
                shown[method] = ("fusion", pooled, fit)
                for output, (name, scores, fitted) in shown.items():
                    row = scores.loc[name] if name in scores.index else None
                    per_variant.append({"classifier": classifier, "variant": variant, "output": output,
                                        "clips": int(row["clips"]) if row is not None else None,
                                        "valid accuracy": _get(row, "accuracy"),
                                        "valid log-lik": _get(row, "log_likelihood"),
                                        "no harm on validation": _yes_no(fitted.get("no_harm_on_validation"))})
        rows += per_variant
        for output in dict.fromkeys(r["output"] for r in per_variant):
            values = pd.DataFrame([r for r in per_variant if r["output"] == output])
            complete = len(values) == len(variants)
            rows.append({"classifier": classifier, "variant": MEAN_OVER_VARIANTS, "output": output,
                         "clips": None if values["clips"].isna().any() else int(values["clips"].sum()),
                         "valid accuracy": values["valid accuracy"].mean() if complete else math.nan,
                         "valid log-lik": values["valid log-lik"].mean() if complete else math.nan,
                         "no harm on validation": ""})
    table = pd.DataFrame(rows, columns=["classifier", "variant", "output", "clips", "valid accuracy", "valid log-lik",
                                        "no harm on validation"])
    table = table.dropna(subset=["valid accuracy", "valid log-lik"], how="all").reset_index(drop=True)
    table["headline"] = np.where((table["classifier"] == headline) & (table["output"] == headline_method),
                                 HEADLINE_MARK, "")
    return table


def no_harm_weights_table(indexes: Mapping[tuple[str, str], pd.DataFrame]) -> pd.DataFrame:
    """Per variant, no-harm method and test SNR: the mean, smallest and largest weight of the mixture."""
    rows = []
    for (variant, method), index in indexes.items():
        for snr, part in index.groupby("snr_db"):
            weights = part["mix_weight"].astype(float)
            rows.append({"variant": variant, "method": method, "SNR (dB)": f"{snr:g}", "clips": len(part),
                         "mean mu": weights.mean(), "min mu": weights.min(), "max mu": weights.max(),
                         "mean blind SNR (dB)": part["blind_snr_db"].astype(float).mean()})
    return pd.DataFrame(rows)


def comparison_tables(summary: pd.DataFrame, separation: pd.DataFrame, variants: Mapping[str, int] | None,
                      shown: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The original study's figures beside this run's, for 1 and 2 noise clips per mixture:
    (classification, separation). ``variants`` gives each variant's noise clips, ``shown`` the
    page's variants (the first with the right count is compared)."""
    clean = pooled_row(summary, "clean", "clean")
    class_rows, sep_rows = [], []
    for count in (1, 2):
        variant = next((v for v in shown if n_noises(variants, v) == count), None)
        label = f"{count} noise{'s' if count > 1 else ''}"
        for metric, name in (("accuracy", "accuracy"), ("f1_weighted", "weighted F1")):
            original = ORIGINAL_CLASSIFICATION[count][metric]
            ours = {m: pooled_row(summary, variant, m) if variant else None
                    for m in ("mixture", "danet_original", "danet")}
            class_rows.append({
                "figure": f"{name}, {label}",
                "original: clean": original[0], "original: mixture": original[1], "original: DANet": original[2],
                "this run: clean": _get(clean, metric),
                "this run: mixture": _get(ours["mixture"], metric),
                "this run: danet_original": _get(ours["danet_original"], metric),
                "this run: danet": _get(ours["danet"], metric),
            })
        for metric, name in (("gnsdr", "GNSDR"), ("gsir", "GSIR"), ("gsar", "GSAR")):
            row = {"figure": f"{name} (dB), {label}", "original: DANet": ORIGINAL_SEPARATION[count][metric]}
            for method in ("danet_original", "danet"):
                pooled = pooled_row(all_noise_classes(separation), variant, method)
                row[f"this run: {method}, oracle pairing"] = _get(pooled, f"oracle_{metric}_mean")
                row[f"this run: {method}, blind"] = _get(pooled, f"{metric}_mean")
            sep_rows.append(row)
    return pd.DataFrame(class_rows), pd.DataFrame(sep_rows)
