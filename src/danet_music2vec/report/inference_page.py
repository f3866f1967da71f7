"""results/inference/: the tables and the page of a folder of one's own recordings.

The recordings' folders come from :func:`danet_music2vec.inference.user_audio.process_recording`
(one ``result.json`` each). From them: ``predictions.csv`` (:func:`predictions_table`, one row per
recording that could be used), ``problems.csv`` (:func:`problems_table`, one row per file that
could not, with the reason) and one self-contained page (:func:`render_inference_page`, through
``templates/inference.html.j2``): the predictions, the problems, per recording players of the
input, the denoised music and the estimated noise, their spectrograms and the class probabilities
(on the input, the denoised music and, for a fusion method, fused) as a bar plot, and the models'
provenance (run folder, commit, config hash, model files). Like the
main report, it reads no config: :class:`InferencePageSettings` carries what it is told.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import soundfile as sf

from ..fileio import atomic_path
from ..inference.user_audio import MUSIC_8K, NOISE_8K, read_excerpt, read_result
from ..methods import FUSION_METHODS
from ..plots import plot_genre_probabilities, plot_recording_spectrograms
from .elements import Audio, Image, audio, fmt, image, table
from .provenance import git_commit, package_versions
from .render import environment

PREDICTION_FIRST_COLUMNS = ("file", "duration_s", "predicted", "predicted_input", "blind_snr_db", "mix_weight",
                            "fusion_weight")
PROBLEM_COLUMNS = ("file", "reason")
# Signal name -> player label, in the order the players stand.
RECORDING_SOURCES = (("input", "input (8 kHz, as the models hear it)"), ("denoised", "denoised music"),
                     ("noise", "estimated noise"))


@dataclass(frozen=True)
class InferencePageSettings:
    """What the page is told: the method, variant and classifier used, where the models and the
    recordings are, the config hash of the settings the models were made with, and how many
    seconds of each recording it plays."""

    method: str
    variant: str
    classifier: str
    run_folder: str
    input_folder: str
    config_hash: str
    page_seconds: float = 10.0
    working_rate: int = 8000
    chunk_seconds: float = 30.0
    overlap_seconds: float = 2.0
    title: str = "danet-music2vec: your own recordings"


def read_results(folders: Sequence[str | os.PathLike]) -> list[dict]:
    """Every recording's ``result.json``, each with its ``folder``, in the order given."""
    records = []
    for folder in folders:
        record = read_result(folder)
        record["folder"] = str(folder)
        records.append(record)
    return records


def predictions_table(records: Sequence[dict]) -> pd.DataFrame:
    """One row per usable recording: file, duration_s, predicted (the fused posterior's genre
    for a fusion method, else the denoised music's), predicted_input, blind_snr_db (the base
    separation's), mix_weight (the no-harm weight of the input), fusion_weight (the weight of the
    input's posterior in the fusion; empty but for a fusion method), ``input_<genre>``,
    ``denoised_<genre>`` and ``fused_<genre>`` (empty but for a fusion method) probabilities, then
    sample_rate, channels, audio_format, chunks and the output folder."""
    rows = []
    names: list[str] = []
    for record in records:
        if record["status"] != "ok":
            continue
        if names and record["class_names"] != names:
            raise ValueError(f"{record['file']}: classes {record['class_names']}, other recordings have {names}")
        names = list(record["class_names"])
        fused = record.get("probs_fused") or [None] * len(names)
        rows.append({
            **{column: record.get(column) for column in PREDICTION_FIRST_COLUMNS if column != "file"},
            "file": record["file"],
            **{f"input_{name}": p for name, p in zip(names, record["probs_input"], strict=True)},
            **{f"denoised_{name}": p for name, p in zip(names, record["probs_denoised"], strict=True)},
            **{f"fused_{name}": p for name, p in zip(names, fused, strict=True)},
            "sample_rate": record["sample_rate"], "channels": record["channels"],
            "audio_format": record["audio_format"], "chunks": record["chunks"], "folder": record.get("folder", ""),
        })
    columns = [*PREDICTION_FIRST_COLUMNS, *(f"input_{n}" for n in names), *(f"denoised_{n}" for n in names),
               *(f"fused_{n}" for n in names), "sample_rate", "channels", "audio_format", "chunks", "folder"]
    return pd.DataFrame(rows, columns=columns)


def problems_table(records: Sequence[dict], other_files: Sequence[str] = ()) -> pd.DataFrame:
    """One row per file that gave no prediction: file, reason (the recordings' problems, then the
    folder's files that are not audio)."""
    rows = [{"file": r["file"], "reason": r["reason"]} for r in records if r["status"] != "ok"]
    rows += [{"file": name, "reason": f"not an audio file (suffix {Path(name).suffix or 'none'!r})"}
             for name in other_files]
    return pd.DataFrame(rows, columns=list(PROBLEM_COLUMNS))


def file_digest(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_provenance(models: Mapping[str, str | os.PathLike]) -> pd.DataFrame:
    """role, file, sha256 (first 16 hex digits) and fingerprint (the hash of the training settings
    and data stored in the model file by its training; ``-`` for files without one) of each file."""
    import torch

    rows = []
    for role, path in models.items():
        fingerprint = "–"
        if str(path).endswith(".pt"):
            state = torch.load(path, map_location="cpu", weights_only=True)
            fingerprint = str(state.get("fingerprint", "–")) if isinstance(state, dict) else "–"
        rows.append({"role": role, "file": str(path), "sha256": file_digest(path)[:16], "fingerprint": fingerprint})
    return pd.DataFrame(rows, columns=["role", "file", "sha256", "fingerprint"])


def provenance_facts(settings: InferencePageSettings, curve: Mapping | None = None) -> pd.DataFrame:
    """item/value rows: the run folder, its git commit, the config hash, method, variant,
    classifier, the fitted curve (the no-harm weight's, or for a fusion method the fusion
    weight's), and the versions of the packages that did the work."""
    run = Path(settings.run_folder).resolve()
    rows = [
        {"item": "run folder", "value": str(run)},
        {"item": "git commit of the run folder", "value": git_commit(run)},
        {"item": "config hash (settings the models were made with)", "value": settings.config_hash},
        {"item": "method", "value": settings.method},
        {"item": "variant (its models)", "value": settings.variant},
        {"item": "classifier", "value": settings.classifier},
    ]
    if curve:
        shown = (f"constant, mu = {curve['constant']:.3g}" if curve["kind"] == "constant" else
                 f"logistic, centre {curve['centre_db']:g} dB, width {curve['width_db']:g} dB")
        item = "late-fusion weight curve" if settings.method in FUSION_METHODS else "no-harm weight curve"
        rows.append({"item": item, "value": shown})
    rows += [{"item": name, "value": version}
             for name, version in package_versions(("torch", "numpy", "soundfile", "soxr")).items()]
    return pd.DataFrame(rows)


@dataclass
class RecordingEntry:
    file: str
    key: str
    summary: str
    folder: str = ""
    players: list[Audio] = field(default_factory=list)
    spectrogram: Image | None = None
    probabilities: Image | None = None


def _read_start(path: Path, seconds: float) -> np.ndarray:
    with sf.SoundFile(path) as handle:
        return handle.read(int(round(seconds * handle.samplerate)), dtype="float32")


def recording_entry(record: dict, input_path: str | os.PathLike, settings: InferencePageSettings) -> RecordingEntry:
    """One usable recording's players (the first ``page_seconds`` of the input at the working rate,
    the denoised music and the estimated noise, at one gain so their levels compare), spectrograms
    and probability bars."""
    folder = Path(record["folder"])
    predicted = record["predicted"]
    head = f"{fmt(record['duration_s'], 1)} s, {record['channels']} channel(s) at {record['sample_rate']} Hz " \
           f"({record['audio_format']}); "
    if record.get("probs_fused") is not None:
        denoised = record.get("predicted_denoised") or record["class_names"][int(np.argmax(record["probs_denoised"]))]
        summary = (f"{head}predicted genre: {predicted} from the fused posteriors (p = {max(record['probs_fused']):.2f}; "
                   f"fusion weight of the input's posterior {record['fusion_weight']:.2f}), {denoised} on the denoised "
                   f"music, {record['predicted_input']} on the unprocessed input; blind SNR estimate "
                   f"{record['blind_snr_db']:.1f} dB.")
    else:
        summary = (f"{head}predicted genre: {predicted} on the denoised music "
                   f"(p = {max(record['probs_denoised']):.2f}), {record['predicted_input']} on the unprocessed input; "
                   f"blind SNR estimate {record['blind_snr_db']:.1f} dB, weight of the input {record['mix_weight']:.2f}.")
    entry = RecordingEntry(record["file"], record["key"], summary, folder=str(record.get("folder", "")))
    names = record["class_names"]
    bars = {"unprocessed input": record["probs_input"], "denoised music": record["probs_denoised"]}
    if record.get("probs_fused") is not None:
        bars[f"fused (w = {record['fusion_weight']:.2f})"] = record["probs_fused"]
    entry.probabilities = image(
        # Titles name no file: a file name may hold letters the plot's font lacks (the page names it).
        plot_genre_probabilities(names, bars, "genre probabilities"), f"genre probabilities of {record['file']}", 520)
    if settings.page_seconds <= 0:
        return entry
    rate = settings.working_rate
    signals = {"input": read_excerpt(input_path, rate, settings.page_seconds),
               "denoised": _read_start(folder / MUSIC_8K, settings.page_seconds),
               "noise": _read_start(folder / NOISE_8K, settings.page_seconds)}
    peak = max(float(np.max(np.abs(s))) if s.size else 0.0 for s in signals.values())
    gain = 0.99 / peak if peak > 0.99 else 1.0
    entry.players = [audio(signals[name] * gain, rate, label) for name, label in RECORDING_SOURCES]
    shown = min(settings.page_seconds, record["duration_s"])
    entry.spectrogram = image(plot_recording_spectrograms(signals, rate, f"first {shown:.1f} s",
                                                          dict(RECORDING_SOURCES)),
                              f"spectrograms of {record['file']}", 1100)
    return entry


def render_inference_page(records: Sequence[dict], input_paths: Mapping[str, str | os.PathLike],
                          settings: InferencePageSettings, *, other_files: Sequence[str] = (),
                          models: Mapping[str, str | os.PathLike] | None = None, curve: Mapping | None = None) -> str:
    """The page as one HTML string.

    Args:
        records: :func:`read_results` of every recording of the folder.
        input_paths: key -> the recording's file (the page plays its start).
        other_files: the folder's files that are not audio (listed with the problems).
        models: role -> model file, for the provenance table.
    """
    predictions = predictions_table(records)
    problems = problems_table(records, other_files)
    fusion = settings.method in FUSION_METHODS
    weight = "fusion_weight" if fusion else "mix_weight"
    shown = predictions[["file", "duration_s", "predicted", "predicted_input", "blind_snr_db", weight]].rename(
        columns={"duration_s": "duration (s)", "predicted": "predicted (fused)" if fusion else "predicted (denoised)",
                 "predicted_input": "predicted (input)", "blind_snr_db": "blind SNR (dB)",
                 "mix_weight": "weight of the input", "fusion_weight": "fusion weight of the input"})
    if fusion:  # the denoised music's own genre, beside the fused one
        names = [c.removeprefix("denoised_") for c in predictions.columns if c.startswith("denoised_")]
        denoised = predictions[[f"denoised_{n}" for n in names]].to_numpy(dtype=float).argmax(axis=1)
        shown.insert(3, "predicted (denoised)", [names[i] for i in denoised])
    entries = [recording_entry(r, input_paths[r["key"]], settings) for r in records if r["status"] == "ok"]
    context = {
        "title": settings.title,
        "generated": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "settings": settings,
        "counts": {"files": len(records) + len(other_files), "ok": len(predictions), "problems": len(problems)},
        "predictions": table(shown) if len(shown) else None,
        "problems": table(problems, css_class="problems") if len(problems) else None,
        "entries": entries,
        "fusion": fusion,
        "base": FUSION_METHODS.get(settings.method, settings.method),
        "facts": table(provenance_facts(settings, curve)),
        "models": table(model_provenance(models)) if models else None,
    }
    return environment().get_template("inference.html.j2").render(context)


def write_inference_outputs(records: Sequence[dict], input_paths: Mapping[str, str | os.PathLike],
                            settings: InferencePageSettings, *, page: str | os.PathLike,
                            predictions: str | os.PathLike, problems: str | os.PathLike,
                            other_files: Sequence[str] = (), models: Mapping[str, str | os.PathLike] | None = None,
                            curve: Mapping | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """predictions.csv, problems.csv and the page, each written atomically; returns the two tables."""
    predicted, failed = predictions_table(records), problems_table(records, other_files)
    with atomic_path(predictions) as tmp:
        predicted.to_csv(tmp, index=False, float_format="%.10g", encoding="utf-8")
    with atomic_path(problems) as tmp:
        failed.to_csv(tmp, index=False, encoding="utf-8")
    text = render_inference_page(records, input_paths, settings, other_files=other_files, models=models, curve=curve)
    with atomic_path(page) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return predicted, failed
