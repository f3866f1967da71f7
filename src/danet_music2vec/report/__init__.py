"""One self-contained HTML page of a run: data, separation, classification, examples, provenance.

Everything is inline: images as base64 PNG, audio as base64 16-bit WAV, styles in the page,
no script and no external resource, so the file can be mailed or archived alone.

Inputs fall in two groups. *Required* ones (manifests, quality report, separation and
classification summaries) fail with :class:`ReportInputError` naming the file. Everything
else (plots, histories, example audio, predictions, benchmarks) is optional: when missing
the page says so in place and in its "Notes" list, and the report is still written.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import math
import os
import platform
import re
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..fileio import atomic_path
from ..methods import SEPARATION_METHODS as METHODS
from ..plots import plot_classifier_history, plot_danet_histories, plot_spectrograms

PACKAGES = ("torch", "snakemake", "numpy", "librosa", "mir_eval", "fast_bss_eval", "scikit-learn",
            "scipy", "pandas", "matplotlib", "h5py", "noisereduce")
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
EXAMPLE_SOURCES = (("mixture", "mixture (input)"), ("denoised", "denoised music (danet)"),
                   ("noise_estimate", "estimated noise (danet)"), ("music", "clean music (reference)"))
MAX_BYTES = 15 * 1024 * 1024

# The original study (shared/reference/original-study.md): 50 real GTZAN test clips,
# ESC-50 noise added at the files' own levels; number of noise clips -> figures.
ORIGINAL_CLASSIFICATION = {
    1: {"accuracy": (0.58, 0.38, 0.22), "f1_weighted": (0.56, 0.36, 0.11)},
    2: {"accuracy": (0.58, 0.28, 0.16), "f1_weighted": (0.56, 0.26, 0.07)},
}
ORIGINAL_SEPARATION = {1: {"gnsdr": -0.78, "gsir": 6.0, "gsar": 9.3}, 2: {"gnsdr": 0.76, "gsir": 5.2, "gsar": 9.4}}


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
    benchmarks_dir: str | os.PathLike | None = None
    benchmark_patterns: Mapping[str, str] = field(default_factory=dict)


@dataclass
class ReportSettings:
    config: Mapping = field(default_factory=dict)
    example_clips: int = 2
    audio_seconds: float = 10.0
    repo: str | os.PathLike = "."
    variants: Sequence[str] | None = None
    title: str = "danet-music2vec: denoising music with DANet before genre classification"


# --------------------------------------------------------------------------- HTML pieces


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def fmt(value: object, digits: int = 2) -> str:
    """A number for a table cell; NaN/None as an en dash."""
    if value is None:
        return "–"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if not np.isfinite(value):
            return "–"
        if float(value).is_integer() and abs(value) >= 1000:
            return f"{int(value):d}"
        return f"{value:.{digits}f}"
    if isinstance(value, str) and value.lower() == "nan":
        return "–"
    return str(value)


def html_table(frame: pd.DataFrame, formats: Mapping[str, Callable[[object], str]] | None = None,
               css_class: str = "", highlight: Callable[[pd.Series], bool] | None = None,
               raw_columns: Iterable[str] = ()) -> str:
    """A table; numbers right-aligned. ``raw_columns`` hold trusted HTML."""
    formats = formats or {}
    raw = set(raw_columns)
    head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    body = []
    for _, row in frame.iterrows():
        cells = []
        for column in frame.columns:
            value = row[column]
            text = formats.get(column, fmt)(value)
            numeric = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
            cls = ' class="num"' if numeric else ""
            cells.append(f"<td{cls}>{text if column in raw else esc(text)}</td>")
        mark = ' class="hl"' if highlight is not None and highlight(row) else ""
        body.append(f"<tr{mark}>{''.join(cells)}</tr>")
    return f'<table class="{esc(css_class)}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def img_tag(png: bytes, alt: str, width: int | None = None) -> str:
    if not png.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValueError(f"{alt}: not a PNG image")
    style = f' style="max-width:{width}px"' if width else ""
    return f'<img src="{data_uri(png, "image/png")}" alt="{esc(alt)}"{style}>'


def audio_tag(wav: bytes, label: str) -> str:
    return (f'<figure class="audio"><figcaption>{esc(label)}</figcaption>'
            f'<audio controls preload="auto" src="{data_uri(wav, "audio/wav")}" '
            f'aria-label="{esc(label)}"></audio></figure>')


def wav_bytes(audio: np.ndarray, sample_rate: int) -> bytes:
    """16-bit PCM WAV in memory (every browser plays it)."""
    import soundfile as sf

    buffer = io.BytesIO()
    sf.write(buffer, np.clip(audio, -1.0, 1.0), sample_rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()






# --------------------------------------------------------------------------- reading


def _require(path: str | os.PathLike | None, what: str) -> Path:
    if path is None or not Path(path).is_file():
        raise ReportInputError(f"{path}: required input of the report ({what}) is missing")
    return Path(path)


def read_required_csv(path: str | os.PathLike, what: str, columns: Iterable[str] = (), **kwargs) -> pd.DataFrame:
    path = _require(path, what)
    try:
        frame = pd.read_csv(path, **kwargs)
    except Exception as error:  # pandas raises several types for broken files
        raise ReportInputError(f"{path}: {what} cannot be read ({error})") from error
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ReportInputError(f"{path}: {what} lacks columns {missing}")
    return frame


def _optional(path: str | os.PathLike | None) -> Path | None:
    return Path(path) if path is not None and Path(path).exists() else None


# --------------------------------------------------------------------------- provenance


def git_commit(repo: str | os.PathLike) -> str:
    """HEAD's commit (with '+ uncommitted changes' when tracked files differ), or 'unknown'."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True,
                              timeout=20, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if not re.fullmatch(r"[0-9a-f]{40}", head):
        return "unknown"
    try:
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo,
                               capture_output=True, text=True, timeout=20, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        dirty = ""
    return head + (" + uncommitted changes" if dirty else "")


def package_versions(names: Iterable[str] = PACKAGES) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in names:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def device_description() -> str:
    try:
        import torch
    except ImportError:
        return f"cpu ({os.cpu_count()} cores; torch not installed)"
    if torch.cuda.is_available():
        return f"cuda ({torch.cuda.get_device_name(0)}), {os.cpu_count()} CPU cores"
    return f"cpu ({os.cpu_count()} cores, {platform.machine()}; no CUDA device visible)"


def _pattern_regex(pattern: str) -> re.Pattern:
    """A Snakemake path pattern as a regex matching the end of a path ({wildcard} = one path part)."""
    parts = re.split(r"(\{[^{}]+\})", pattern)
    regex = "".join("[^/]+" if p.startswith("{") and p.endswith("}") else re.escape(p) for p in parts)
    return re.compile(r"(?:^|/)" + regex + r"\Z")


def rule_of_benchmark(path: str | os.PathLike, patterns: Mapping[str, str]) -> str:
    """The rule whose benchmark pattern matches the end of ``path`` (the most literal one on
    ties), else the path's last two parts without the suffix."""
    posix = Path(path).as_posix()
    best, best_literal = None, -1
    for rule, pattern in patterns.items():
        if _pattern_regex(pattern).search(posix):
            literal = len(re.sub(r"\{[^{}]+\}", "", pattern))
            if literal > best_literal:
                best, best_literal = rule, literal
    return best or "/".join(Path(path).with_suffix("").parts[-2:])


def wall_times(benchmarks_dir: str | os.PathLike, patterns: Mapping[str, str]) -> pd.DataFrame:
    """Per rule: jobs, summed and longest seconds of Snakemake's benchmark files (column ``s``;
    the mean over repeats of one file)."""
    rows = []
    for tsv in sorted(Path(benchmarks_dir).resolve().rglob("*.tsv")):
        try:
            seconds = float(pd.read_csv(tsv, sep="\t")["s"].astype(float).mean())
        except Exception:  # a half-written or foreign file: not a reason to fail the report
            continue
        if np.isfinite(seconds):
            rows.append({"rule": rule_of_benchmark(tsv, patterns), "seconds": seconds})
    columns = ["rule", "jobs", "seconds (sum)", "seconds (longest job)"]
    if not rows:
        return pd.DataFrame(columns=columns)
    table = pd.DataFrame(rows).groupby("rule", sort=False)["seconds"].agg(["count", "sum", "max"]).reset_index()
    table.columns = columns
    return table.sort_values("seconds (sum)", ascending=False, ignore_index=True)


# --------------------------------------------------------------------------- plots








# --------------------------------------------------------------------------- example clips


def choose_examples(mix_table: pd.DataFrame, available: Iterable[str], n: int,
                    preferred_music: Sequence[str] = ()) -> list[int]:
    """Row positions of ``n`` test mixtures: the preferred music clips first (the same clips in
    every variant), then evenly spread over the sorted ids (so different genres), at the SNR
    closest to 0 dB."""
    available = set(available)
    table = mix_table.reset_index(drop=True)
    table = table[table["mix_id"].isin(available)]
    if table.empty or n <= 0:
        return []
    snr = table["snr_db"].astype(float)
    table = table[(snr - 0).abs() == (snr - 0).abs().min()].sort_values("mix_id")
    chosen = []
    for music_id in preferred_music:
        hit = table.index[table["music_id"] == music_id]
        if len(hit) and hit[0] not in chosen:
            chosen.append(int(hit[0]))
    for position in np.linspace(0, len(table) - 1, num=min(n, len(table))).round().astype(int):
        if len(chosen) >= n:
            break
        index = int(table.index[position])
        if index not in chosen:
            chosen.append(index)
    for index in table.index:  # fill if rounding collided
        if len(chosen) >= n:
            break
        if int(index) not in chosen:
            chosen.append(int(index))
    return chosen[:n]


def load_example(features: str | os.PathLike, separation: str | os.PathLike, mix_index: int,
                 max_seconds: float) -> dict:
    """Mixture, clean music (references) and danet's music and noise estimates of one clip."""
    import soundfile as sf

    from ..data.features import SegmentStore
    from ..evaluation.bss import read_separation_index

    with SegmentStore(features) as store:
        row = store.mixtures().iloc[mix_index]
        rate = int(store.attrs["sample_rate"])
        waves = store.waveforms(mix_index)
    index = read_separation_index(separation).loc[row["mix_id"]]
    denoised, rate_music = sf.read(index["music_path"], dtype="float32")
    noise_estimate, rate_noise = sf.read(index["noise_path"], dtype="float32")
    if rate_music != rate or rate_noise != rate:
        raise ValueError(f"{separation}: estimates at {rate_music}/{rate_noise} Hz, references at {rate} Hz")
    n = min(len(waves["mixture"]), int(round(max_seconds * rate)))
    signals = {"mixture": waves["mixture"], "denoised": denoised, "noise_estimate": noise_estimate,
               "music": waves["music"]}
    return {"mix_id": str(row["mix_id"]), "music_id": str(row["music_id"]), "snr_db": float(row["snr_db"]),
            "sample_rate": rate, "seconds": len(waves["mixture"]) / rate,
            "signals": {k: np.asarray(v[:n], dtype=np.float32) for k, v in signals.items()}}


# --------------------------------------------------------------------------- the page


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1200px;padding:0 1.2em 3em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-top:1em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}h3{margin-top:1.4em}
table{border-collapse:collapse;margin:.6em 0 1em;font-size:.86em}th,td{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}
th{background:#f2f2f2;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}tr.hl td{background:#fff7d6}
.note{background:#fff3f0;border-left:4px solid #e0785c;padding:.4em .8em;margin:.6em 0}
.info{background:#eef5ff;border-left:4px solid #5c8de0;padding:.4em .8em;margin:.6em 0}
.grid{display:flex;flex-wrap:wrap;gap:1em}.grid figure{margin:0}figure figcaption{font-size:.85em;color:#555}
img{max-width:100%;height:auto}figure.audio{display:inline-block;margin:.3em 1em .3em 0}audio{width:260px}
pre{background:#f7f7f7;padding:.8em;overflow-x:auto;font-size:.8em}nav a{margin-right:1em}
.headline td,.headline th{font-size:1.05em}td{white-space:nowrap}td:last-child{white-space:normal}
"""


class Page:
    """Accumulates sections and the notes about missing optional inputs."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.notes: list[str] = []
        self.sections: list[tuple[str, str]] = []

    def section(self, anchor: str, title: str) -> None:
        self.sections.append((anchor, title))
        self.parts.append(f'<h2 id="{esc(anchor)}">{esc(title)}</h2>')

    def add(self, text: str) -> None:
        self.parts.append(text)

    def missing(self, what: str, path: object = None) -> None:
        message = f"{what} is not available" + (f" ({path} is missing)" if path is not None else "") + "."
        self.notes.append(message)
        self.parts.append(f'<p class="note">{esc(message)}</p>')


def _variants(settings: ReportSettings, *frames: pd.DataFrame) -> list[str]:
    if settings.variants:
        return list(settings.variants)
    names: list[str] = []
    for frame in frames:
        if "variant" in frame:
            names += [v for v in frame["variant"] if v != "clean"]
    return list(dict.fromkeys(names))


def _pooled(summary: pd.DataFrame, variant: str, method: str) -> pd.Series | None:
    """The row of one condition pooled over test SNRs (its only row when there is one SNR)."""
    rows = summary[(summary["variant"] == variant) & (summary["method"] == method)]
    if rows.empty:
        return None
    if len(rows) == 1:
        return rows.iloc[0]
    pooled = rows[rows["snr_db"].isna()]
    return pooled.iloc[0] if not pooled.empty else rows.iloc[0]


def _n_noises(config: Mapping, variant: str) -> int | None:
    value = config.get("mixing", {}).get("variants", {}).get(variant)
    if value is None:
        match = re.search(r"(\d+)$", variant)
        return int(match.group(1)) if match else None
    return int(value)


def _headline(page: Page, summary: pd.DataFrame, separation: pd.DataFrame, variants: list[str]) -> None:
    clean = _pooled(summary, "clean", "clean")
    rows = []
    for variant in variants:
        mixture, danet = _pooled(summary, variant, "mixture"), _pooled(summary, variant, "danet")
        sep = separation[(separation["variant"] == variant) & (separation["method"] == "danet")]
        rows.append({
            "variant": variant,
            "clean accuracy": clean["accuracy"] if clean is not None else math.nan,
            "mixture accuracy": mixture["accuracy"] if mixture is not None else math.nan,
            "danet accuracy": danet["accuracy"] if danet is not None else math.nan,
            "gap closed by danet": danet["gap_closed"] if danet is not None else math.nan,
            "danet GNSDR (dB)": sep["gnsdr_mean"].iloc[0] if not sep.empty else math.nan,
        })
    page.add('<p>Headline (pooled over test SNRs). The gap closed is (acc<sub>danet</sub> − acc<sub>mixture</sub>) / '
             '(acc<sub>clean</sub> − acc<sub>mixture</sub>): 1 = as good as clean music, 0 = no better than not denoising.</p>')
    page.add(html_table(pd.DataFrame(rows), css_class="headline"))


def _dataset_section(page: Page, inputs: ReportInputs, settings: ReportSettings, music: pd.DataFrame,
                     noise: pd.DataFrame, quality: pd.DataFrame, variants: list[str]) -> dict:
    config = settings.config
    page.section("data", "Data")
    sources = config.get("datasets", {})
    music_source = sources.get("music", {}).get("source", "unknown")
    noise_source = sources.get("noise", {}).get("source", "unknown")
    described = {"synthetic": "the embedded synthetic stand-in (built offline from the seed)",
                 "download": "the real dataset, downloaded", "folder": "the real dataset, from a local folder"}
    usable_music = music[music["usable"].astype(str).str.lower().isin(["true", "1"])] if "usable" in music else music
    usable_noise = noise[noise["usable"].astype(str).str.lower().isin(["true", "1"])] if "usable" in noise else noise
    overview = pd.DataFrame([
        {"dataset": "music (GTZAN layout)", "source": described.get(music_source, music_source),
         "clips": len(music), "usable": len(usable_music),
         "classes": music["label"].nunique() if "label" in music else math.nan,
         "hours (usable)": usable_music["duration_s"].sum() / 3600 if "duration_s" in music else math.nan},
        {"dataset": "noise (ESC-50 layout)", "source": described.get(noise_source, noise_source),
         "clips": len(noise), "usable": len(usable_noise),
         "classes": noise["label"].nunique() if "label" in noise else math.nan,
         "hours (usable)": usable_noise["duration_s"].sum() / 3600 if "duration_s" in noise else math.nan},
    ])
    page.add(html_table(overview))
    splits_path = _optional(inputs.music_splits)
    facts = {"music_source": music_source, "noise_source": noise_source}
    if splits_path is not None:
        splits = pd.read_csv(splits_path)
        joined = splits.merge(music[["clip_id", "label"]], on="clip_id", how="left")
        table = pd.crosstab(joined["label"], joined["split"]).reindex(columns=[c for c in ("train", "valid", "test") if c in set(joined["split"])])
        table.loc["all"] = table.sum()
        page.add("<h3>Music clips per genre and split</h3>")
        page.add(html_table(table.reset_index().rename(columns={"label": "genre"})))
        facts["test_music"] = int((splits["split"] == "test").sum())
    else:
        page.missing("The music split table", inputs.music_splits)
    mix_rows = []
    for variant in variants:
        path = _optional(inputs.test_features.get(variant))
        if path is None:
            continue
        from ..data.features import SegmentStore

        with SegmentStore(path) as store:
            mixtures = store.mixtures()
        mix_rows.append({"variant": variant, "noise clips per mixture": _n_noises(config, variant),
                         "test mixtures": len(mixtures), "music clips": mixtures["music_id"].nunique(),
                         "test SNRs (dB)": ", ".join(f"{s:g}" for s in sorted(mixtures["snr_db"].astype(float).unique())),
                         "seconds per clip": float(np.mean(mixtures["n_samples"]) / store_rate(path))})
    if mix_rows:
        page.add("<h3>Test mixtures</h3>")
        page.add(html_table(pd.DataFrame(mix_rows)))
        facts["test_mixtures"] = {r["variant"]: r for r in mix_rows}
    else:
        page.missing("The test feature files (test mixture counts and SNRs)")
    page.add("<h3>Data quality</h3>")
    if quality.empty:
        page.add('<p class="info">The quality check skipped or repaired no clip.</p>')
    else:
        counts = quality.groupby(["dataset", "problem", "action"], dropna=False).size().reset_index(name="clips")
        page.add(f"<p>The quality check flagged {len(quality)} clip{'s' if len(quality) != 1 else ''}:</p>")
        page.add(html_table(counts))
        shown = quality.head(30)
        page.add(f"<details><summary>flagged clips ({len(shown)} of {len(quality)} shown)</summary>"
                 f"{html_table(shown)}</details>")
    return facts


def store_rate(path: str | os.PathLike) -> int:
    import h5py

    with h5py.File(path, "r") as h5:
        return int(h5.attrs.get("sample_rate", 8000))


SEPARATION_COLUMNS = ["variant", "method", "n_clips", "gnsdr_mean", "gnsdr_median", "gsir_mean", "gsar_mean",
                      "oracle_gnsdr_mean", "oracle_gsir_mean", "oracle_gsar_mean", "swapped_share", "silent_share"]


def separation_table(separation: pd.DataFrame, variants: list[str]) -> pd.DataFrame:
    """The summary with the percent of the oracle IRM's (blind) GNSDR, in method order."""
    rows = []
    order = {m: i for i, m in enumerate(METHODS)}
    frame = separation.assign(_o=separation["method"].map(lambda m: order.get(m, len(order))))
    for variant in variants:
        part = frame[frame["variant"] == variant].sort_values("_o")
        irm = part.loc[part["method"] == "oracle_irm", "gnsdr_mean"]
        irm_value = float(irm.iloc[0]) if len(irm) else math.nan
        for _, row in part.iterrows():
            share = 100 * row["gnsdr_mean"] / irm_value if np.isfinite(irm_value) and irm_value > 0 else math.nan
            rows.append({
                "variant": variant, "method": row["method"], "clips": int(row["n_clips"]),
                "GNSDR mean": row["gnsdr_mean"], "GNSDR median": row["gnsdr_median"],
                "GSIR": row["gsir_mean"], "GSAR": row["gsar_mean"],
                "oracle GNSDR": row["oracle_gnsdr_mean"], "oracle GSIR": row["oracle_gsir_mean"],
                "oracle GSAR": row["oracle_gsar_mean"],
                "swapped %": 100 * row["swapped_share"], "silent %": 100 * row["silent_share"],
                "% of oracle IRM GNSDR": share,
            })
    return pd.DataFrame(rows)


def classification_table(summary: pd.DataFrame) -> pd.DataFrame:
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
            "note": "" if pd.isna(row["note"]) else row["note"],
        })
    table = pd.DataFrame(rows)
    if not table.empty:
        multi = summary.groupby(["variant", "method"])["snr_db"].transform("size") > 1
        table.loc[(summary["snr_db"].isna() & multi).to_numpy(), "SNR (dB)"] = "all"
    return table


def classifier_training(config: Mapping) -> dict[str, list[str]]:
    """Classifier name -> its training conditions, from config music2vec.classifiers."""
    return {c["name"]: list(c["training_conditions"]) for c in config.get("music2vec", {}).get("classifiers", [])}


def classifiers_table(summaries: Mapping[str, pd.DataFrame], training: Mapping[str, Sequence[str]],
                      variants: list[str]) -> pd.DataFrame:
    """Per classifier, variant and test SNR: clean, mixture and danet accuracy and the gap closed."""
    rows = []
    for name, summary in summaries.items():
        clean = _pooled(summary, "clean", "clean")
        for variant in variants:
            part = summary[(summary["variant"] == variant)
                           & summary["method"].isin(["mixture", "clean_8khz", "danet"])]
            snrs = sorted({float(v) for v in part["snr_db"].dropna()}) or [math.nan]
            for snr in snrs:
                found = {}
                for method in ("mixture", "clean_8khz", "danet"):
                    rows_m = part[part["method"] == method]
                    hit = rows_m[rows_m["snr_db"] == snr] if not math.isnan(snr) else rows_m
                    found[method] = hit.iloc[0] if len(hit) else None
                accuracy = {m: found[m]["accuracy"] if found[m] is not None else math.nan for m in found}
                clean_accuracy = clean["accuracy"] if clean is not None else math.nan
                rows.append({
                    "classifier": name, "trained on": " + ".join(training.get(name, [])) or "?",
                    "variant": variant, "SNR (dB)": "–" if math.isnan(snr) else f"{snr:g}",
                    "clean": clean_accuracy, "mixture": accuracy["mixture"], "danet": accuracy["danet"],
                    # a share of a gap of a few points is mostly noise: show how large the gap is
                    "gap (points)": 100 * (clean_accuracy - accuracy["mixture"]),
                    "gap closed by danet": found["danet"]["gap_closed"] if found["danet"] is not None else math.nan,
                    "clean, 8 kHz": accuracy["clean_8khz"],
                    "gap closed, 8 kHz clean": (found["danet"].get("gap_closed_8khz", math.nan)
                                                if found["danet"] is not None else math.nan),
                })
    return pd.DataFrame(rows)


def comparison_tables(summary: pd.DataFrame, separation: pd.DataFrame, config: Mapping,
                      variants: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    clean = _pooled(summary, "clean", "clean")
    class_rows, sep_rows = [], []
    for n_noises in (1, 2):
        variant = next((v for v in variants if _n_noises(config, v) == n_noises), None)
        label = f"{n_noises} noise{'s' if n_noises > 1 else ''}"
        for metric, name in (("accuracy", "accuracy"), ("f1_weighted", "weighted F1")):
            original = ORIGINAL_CLASSIFICATION[n_noises][metric]
            ours = {m: _pooled(summary, variant, m) if variant else None for m in ("mixture", "danet_original", "danet")}
            class_rows.append({
                "figure": f"{name}, {label}",
                "original: clean": original[0], "original: mixture": original[1], "original: DANet": original[2],
                "this run: clean": clean[metric] if clean is not None else math.nan,
                "this run: mixture": ours["mixture"][metric] if ours["mixture"] is not None else math.nan,
                "this run: danet_original": ours["danet_original"][metric] if ours["danet_original"] is not None else math.nan,
                "this run: danet": ours["danet"][metric] if ours["danet"] is not None else math.nan,
            })
        for metric, name in (("gnsdr", "GNSDR"), ("gsir", "GSIR"), ("gsar", "GSAR")):
            row = {"figure": f"{name} (dB), {label}", "original: DANet": ORIGINAL_SEPARATION[n_noises][metric]}
            for method in ("danet_original", "danet"):
                part = separation[(separation["variant"] == variant) & (separation["method"] == method)]
                row[f"this run: {method}, oracle pairing"] = part[f"oracle_{metric}_mean"].iloc[0] if len(part) else math.nan
                row[f"this run: {method}, blind"] = part[f"{metric}_mean"].iloc[0] if len(part) else math.nan
            sep_rows.append(row)
    return pd.DataFrame(class_rows), pd.DataFrame(sep_rows)


def render(inputs: ReportInputs, settings: ReportSettings | None = None) -> str:
    """The report page as one HTML string."""
    settings = settings or ReportSettings()
    config = settings.config or {}
    quality = read_required_csv(inputs.quality, "data quality report", ["clip_id", "problem", "action"])
    music = read_required_csv(inputs.music_manifest, "music manifest", ["clip_id", "label"], dtype={"clip_id": str})
    noise = read_required_csv(inputs.noise_manifest, "noise manifest", ["clip_id"], dtype={"clip_id": str})
    separation = read_required_csv(inputs.separation_summary, "separation summary",
                                   SEPARATION_COLUMNS)
    summary = read_required_csv(
        inputs.classification_summary, "classification summary",
        ["variant", "method", "snr_db", "n_clips", "accuracy", "accuracy_ci_low", "accuracy_ci_high",
         "precision_weighted", "recall_weighted", "f1_weighted", "f1_macro", "gap_closed", "note"])
    variants = _variants(settings, separation, summary)
    page = Page()

    # ---- headline
    _headline(page, summary, separation, variants)

    # ---- data
    facts = _dataset_section(page, inputs, settings, music, noise, quality, variants)

    # ---- separation
    page.section("separation", "Separation (BSS Eval on whole test clips)")
    page.add("<p>GNSDR = mean over clips of SDR(music estimate) − SDR(mixture); GSIR and GSAR the means of "
             "SIR and SAR, in dB. <b>Blind</b> columns score the output each method labels as music (what a "
             "listener gets); <b>oracle</b> columns let BSS Eval pick the pairing with the references, as the "
             "original study did. The last column is the blind GNSDR as a percentage of the oracle ideal ratio "
             "mask's, the ceiling of mask-based separation.</p>")
    page.add(html_table(separation_table(separation, variants), highlight=lambda r: r["method"] == "danet"))
    page.add("<ul>" + "".join(f"<li><b>{esc(m)}</b>: {esc(t)}</li>" for m, t in METHOD_NOTES.items()) + "</ul>")

    # ---- classification
    page.section("classification", "Genre classification (music2vec)")
    page.add("<p>Accuracy with its 95 % Wilson interval; precision, recall and F1 weighted by class support "
             "(w) as in the original study, and macro F1. Gap closed as in the headline, per variant, method "
             "and SNR. Every condition but clean music has passed through the 8 kHz working rate; "
             "<b>clean_8khz</b> is the clean music through that same path, so the <i>gap closed (8 kHz "
             "clean)</i> column measures the gap that noise costs, without the part the band limit costs "
             "(clean minus clean_8khz), which no separation at 8 kHz can win back.</p>")
    if inputs.classifier_summaries:
        headline = next(iter(inputs.classifier_summaries))
        on = " + ".join(classifier_training(config).get(headline, [])) or "its configured conditions"
        page.add(f"<p>Classifier <b>{esc(headline)}</b> (trained on {esc(on)}); every classifier of the run is "
                 "compared below.</p>")
    table = classification_table(summary)
    pooled = table[(table["SNR (dB)"] == "all") | ~table.duplicated(["variant", "method"], keep=False)]
    highlight = lambda r: r["method"] in ("clean", "danet")  # noqa: E731
    page.add(html_table(pooled, highlight=highlight))
    if len(pooled) < len(table):
        page.add("<h3>Per test SNR</h3>")
        page.add(html_table(table[table["SNR (dB)"] != "all"], highlight=highlight))
    page.add("<h3>Accuracy against the test SNR</h3>")
    plot = _optional(inputs.accuracy_plot)
    if plot is not None:
        page.add(img_tag(plot.read_bytes(), "accuracy against SNR", 1100))
    else:
        page.missing("The accuracy-vs-SNR plot", inputs.accuracy_plot)
    page.add("<h3>Confusion matrices</h3>")
    confusion_dir = _optional(inputs.confusion_dir)
    if confusion_dir is None:
        page.missing("The confusion matrices", inputs.confusion_dir)
    else:
        figures = []
        for variant, method in [("clean", "clean")] + [(v, m) for v in variants for m in METHODS]:
            png = confusion_dir / ("clean.png" if method == "clean" else f"{variant}/{method}.png")
            if png.is_file():
                caption = "clean music" if method == "clean" else f"{variant}: {method}"
                figures.append(f"<figure>{img_tag(png.read_bytes(), 'confusion matrix ' + caption, 380)}"
                               f"<figcaption>{esc(caption)}</figcaption></figure>")
        if figures:
            page.add(f'<div class="grid">{"".join(figures)}</div>')
        else:
            page.missing("Confusion matrix images", confusion_dir)
    _classifiers_section(page, inputs, settings, variants)

    # ---- examples
    _examples_section(page, inputs, settings, variants, music)

    # ---- training
    page.section("training", "Training curves")
    histories = {}
    for key, path in inputs.danet_histories.items():
        if _optional(path) is not None:
            histories[key] = pd.read_csv(path)
        else:
            page.missing(f"The training history of {key[0]} on {key[1]}", path)
    if histories:
        page.add("<h3>DANet</h3><p>Loss per epoch; the two setups optimise different objectives, so their "
                 "scales differ. Shaded: epochs trained with k-means attractors; star: the epoch kept.</p>")
        page.add(img_tag(plot_danet_histories(histories), "DANet training curves", 1100))
    for name, path in inputs.classifier_histories.items():
        page.add(f"<h3>music2vec classifier {esc(name)}</h3>")
        if _optional(path) is not None:
            page.add(img_tag(plot_classifier_history(pd.read_csv(path), f"music2vec {name}"),
                             f"music2vec {name} training curves", 900))
        else:
            page.missing(f"The training history of classifier {name}", path)

    # ---- comparison with the original study
    page.section("original", "Comparison with the original study")
    test_music = facts.get("test_music")
    snrs = sorted({s for r in facts.get("test_mixtures", {}).values() for s in r["test SNRs (dB)"].split(", ")})
    page.add(
        '<p class="note"><b>Measured on different data.</b> The original study used 50 real GTZAN test clips '
        "with ESC-50 noise added at the files' own levels (no SNR control), a 4 × 300 BLSTM trained for 20 epochs, "
        f"and chose the music output per segment with the references. This run used {esc(facts.get('music_source'))} "
        f"music and {esc(facts.get('noise_source'))} noise, {esc(test_music if test_music is not None else 'an unknown number of')} "
        f"test music clips at {esc(', '.join(snrs) or 'unknown')} dB SNR, and the model size and training budget of "
        "its config. Compare directions, not values.</p>")
    class_cmp, sep_cmp = comparison_tables(summary, separation, config, variants)
    page.add("<h3>Classification</h3>")
    page.add(html_table(class_cmp))
    page.add("<h3>Separation</h3><p>The original's segment-wise reference pairing is closest to this run's "
             "oracle-pairing columns.</p>")
    page.add(html_table(sep_cmp))

    # ---- provenance
    _provenance_section(page, inputs, settings)

    # ---- notes
    page.section("notes", "Notes")
    if page.notes:
        page.add("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in page.notes) + "</ul>")
    else:
        page.add('<p class="info">Every optional input was present.</p>')

    nav = "".join(f'<a href="#{esc(a)}">{esc(t.split(" (")[0])}</a>' for a, t in page.sections)
    generated = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(settings.title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{esc(settings.title)}</h1><p>Generated {esc(generated)}.</p><nav>{nav}</nav>"
        + "\n".join(page.parts) + "</body></html>\n"
    )


def _classifiers_section(page: Page, inputs: ReportInputs, settings: ReportSettings, variants: list[str]) -> None:
    """Every classifier of the run side by side (the section above shows the headline one)."""
    if len(inputs.classifier_summaries) < 2:
        return
    summaries = {}
    for name, path in inputs.classifier_summaries.items():
        if _optional(path) is None:
            page.missing(f"The classification summary of classifier {name}", path)
            continue
        summaries[name] = pd.read_csv(path)
    training = classifier_training(settings.config or {})
    headline = next(iter(inputs.classifier_summaries))
    page.add("<h3>Classifiers compared</h3>")
    page.add(f"<p>Each classifier is trained on its own conditions and scores every test condition; the tables "
             f"above are those of <b>{esc(headline)}</b>. A classifier that also trained on mixtures "
             "(multi-condition training) reads noisy music better, so its mixture accuracy rises too: compare "
             "the gap closed, not only the denoised accuracy.</p>")
    if summaries:
        page.add(html_table(classifiers_table(summaries, training, variants),
                            highlight=lambda r: r["classifier"] == headline))


def _examples_section(page: Page, inputs: ReportInputs, settings: ReportSettings, variants: list[str],
                      music: pd.DataFrame) -> None:
    page.section("examples", "Listen: example test clips")
    if settings.example_clips <= 0:
        page.add('<p class="info">No example clips requested (report.example_clips is 0).</p>')
        return
    page.add(f"<p>Mixture, danet's music output, danet's noise output and the clean music of "
             f"{settings.example_clips} test clip(s) per variant (the same music clips in every variant where "
             f"possible), at the 8 kHz working rate, the first {settings.audio_seconds:g} s at most. The four "
             "signals of a clip share one gain, so their levels compare.</p>")
    labels = dict(zip(music["clip_id"].astype(str), music["label"].astype(str)))
    predictions = {}
    for key, path in inputs.predictions.items():
        if _optional(path) is not None:
            frame = pd.read_csv(path, dtype={"id": str, "music_id": str})
            predictions[key] = frame
    preferred: list[str] = []
    for variant in variants:
        features = _optional(inputs.test_features.get(variant))
        separated = _optional(inputs.danet_separation.get(variant))
        if features is None or separated is None or not (separated / "index.csv").is_file():
            page.missing(f"Example audio of {variant} (test features or danet separation)",
                         inputs.danet_separation.get(variant) if features is not None else inputs.test_features.get(variant))
            continue
        from ..data.features import SegmentStore

        with SegmentStore(features) as store:
            mixtures = store.mixtures()
        available = pd.read_csv(separated / "index.csv", dtype={"mix_id": str})["mix_id"]
        chosen = choose_examples(mixtures, available, settings.example_clips, preferred)
        page.add(f"<h3>{esc(variant)}</h3>")
        for mix_index in chosen:
            clip = load_example(features, separated, mix_index, settings.audio_seconds)
            if clip["music_id"] not in preferred:
                preferred.append(clip["music_id"])
            peak = max(float(np.max(np.abs(s))) if s.size else 0.0 for s in clip["signals"].values())
            gain = 0.99 / peak if peak > 0.99 else 1.0
            genre = labels.get(clip["music_id"], "?")
            page.add(f"<h4>{esc(clip['mix_id'])} — true genre {esc(genre)}, SNR {clip['snr_db']:g} dB</h4>")
            said = []
            for (v, m), frame in predictions.items():
                if v == "clean":
                    hit = frame[frame["music_id"] == clip["music_id"]]
                elif v == variant and m in ("mixture", "danet"):
                    hit = frame[frame["id"] == clip["mix_id"]]
                else:
                    continue
                if len(hit):
                    said.append(f"{'clean' if v == 'clean' else m}: <b>{esc(hit['predicted'].iloc[0])}</b>")
            if said:
                page.add(f"<p>music2vec predicted — {'; '.join(said)}.</p>")
            players = "".join(audio_tag(wav_bytes(clip["signals"][name] * gain, clip["sample_rate"]), label)
                              for name, label in EXAMPLE_SOURCES)
            page.add(f"<div>{players}</div>")
            title = f"{variant}: {clip['mix_id']} ({genre})"
            page.add(img_tag(plot_spectrograms(clip["signals"], clip["sample_rate"], title, dict(EXAMPLE_SOURCES)),
                             f"spectrograms of {clip['mix_id']}", 900))


def _provenance_section(page: Page, inputs: ReportInputs, settings: ReportSettings) -> None:
    import yaml

    page.section("provenance", "Provenance and configuration")
    config = settings.config or {}
    facts = pd.DataFrame([
        {"item": "git commit", "value": git_commit(settings.repo)},
        {"item": "seed", "value": str(config.get("seed", "unknown"))},
        {"item": "device", "value": device_description()},
        {"item": "python", "value": platform.python_version()},
        {"item": "platform", "value": platform.platform()},
        *({"item": name, "value": version} for name, version in package_versions().items()),
    ])
    page.add(html_table(facts))
    page.add("<h3>Wall time per rule</h3>")
    bench = _optional(inputs.benchmarks_dir)
    times = wall_times(bench, inputs.benchmark_patterns) if bench is not None else None
    if times is None or times.empty:
        page.missing("Benchmark files (wall times per rule)", inputs.benchmarks_dir)
    else:
        total = pd.DataFrame([{"rule": "all rules", "jobs": int(times["jobs"].sum()),
                               "seconds (sum)": times["seconds (sum)"].sum(),
                               "seconds (longest job)": times["seconds (longest job)"].max()}])
        page.add("<p>From Snakemake's benchmark files: seconds per job summed over a rule's jobs. Jobs run in "
                 "parallel, so the sum exceeds the run's wall time; jobs that were not rerun keep their earlier "
                 "timing.</p>")
        page.add(html_table(pd.concat([times, total], ignore_index=True),
                            formats={"seconds (sum)": lambda v: fmt(v, 1), "seconds (longest job)": lambda v: fmt(v, 1)},
                            highlight=lambda r: r["rule"] == "all rules"))
    page.add("<h3>Configuration</h3>")
    page.add(f"<details open><summary>merged configuration of this run</summary><pre>"
             f"{esc(yaml.safe_dump(_plain(config), sort_keys=False, default_flow_style=None, width=110))}</pre></details>")


def _plain(value: object) -> object:
    """Snakemake's config as plain dicts and lists (for YAML)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    return value


def write_report(inputs: ReportInputs, out: str | os.PathLike, settings: ReportSettings | None = None,
                 max_bytes: int = MAX_BYTES) -> Path:
    """Render and write the page atomically; warns (on stdout) when it exceeds ``max_bytes``."""
    text = render(inputs, settings)
    with atomic_path(out) as tmp:
        tmp.write_text(text, encoding="utf-8")
    size = Path(out).stat().st_size
    print(f"wrote {out}: {size / 1e6:.1f} MB")
    if size > max_bytes:
        print(f"warning: {out} is {size / 1e6:.1f} MB, above {max_bytes / 1e6:.0f} MB; "
              "lower report.example_clips or report.audio_seconds")
    return Path(out)
