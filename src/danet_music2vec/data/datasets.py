"""Dataset layouts (GTZAN, ESC-50), clip manifests with a data-quality policy, and splits.

One loader serves the real datasets and the embedded synthetic ones, which are
written in exactly the same layouts.

Quality policy (stated once, applied everywhere): a clip that cannot be decoded,
is shorter than the minimum length, or is silent is *skipped and reported*. It
stays in the manifest with ``usable=False`` and its problem, and is listed in the
quality report; no later stage reads it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import soundfile as sf

from ..audio import AudioError, active_span, load_audio, rms_db

GTZAN_GENRES: tuple[str, ...] = (
    "blues", "classical", "country", "disco", "hiphop",
    "jazz", "metal", "pop", "reggae", "rock",
)
AUDIO_SUFFIXES = (".wav", ".au")
GTZAN_CLIP_ID = re.compile(r"^(?P<genre>[a-z]+)\.(?P<number>\d{5})$")
ESC50_COLUMNS: tuple[str, ...] = ("filename", "fold", "target", "category", "esc10", "src_file", "take")
SPLITS: tuple[str, ...] = ("train", "valid", "test")
MANIFEST_COLUMNS: tuple[str, ...] = (
    "clip_id", "path", "label", "source", "duration_s", "sample_rate", "channels",
    "rms_db", "usable", "problem",
)


class DatasetError(ValueError):
    """A dataset folder that does not have the expected layout; names the folder and the problem."""

    def __init__(self, path: str | os.PathLike, problem: str) -> None:
        super().__init__(f"{Path(path)}: {problem}")


def scan_gtzan(root: str | os.PathLike) -> pd.DataFrame:
    """List the clips of a dataset in GTZAN's layout, ``root/genres/<genre>/<genre>.000NN.wav``.

    The original archive holds Sun ``.au`` files and most mirrors ``.wav``; both are read.

    The source (artist) of a clip comes from ``genres/<genre>/metadata.csv`` when the
    synthetic generator wrote one; the real GTZAN has no artist list, so each clip is
    its own source there (the fault-filtered split lists handle artists instead).

    Returns:
        One row per wav file, sorted by clip id: clip_id, path, label, source.
    """
    root = Path(root)
    genres_dir = root / "genres"
    if not genres_dir.is_dir():
        raise DatasetError(root, "no genres/ folder: expected GTZAN's layout genres/<genre>/<genre>.000NN.wav")
    rows = []
    for genre in GTZAN_GENRES:
        genre_dir = genres_dir / genre
        if not genre_dir.is_dir():
            continue
        artists = _synthetic_artists(genre_dir / "metadata.csv")
        for wav in sorted(p for p in genre_dir.iterdir() if p.suffix in AUDIO_SUFFIXES):
            match = GTZAN_CLIP_ID.match(wav.stem)
            if match is None or match["genre"] != genre:
                continue  # stray files (e.g. ._ copies from macOS) are not clips
            rows.append({
                "clip_id": wav.stem,
                "path": str(wav),
                "label": genre,
                "source": artists.get(wav.stem, wav.stem),
            })
    if not rows:
        raise DatasetError(
            genres_dir, f"no clips found; expected genre folders among {', '.join(GTZAN_GENRES)} holding .wav or .au files"
        )
    return pd.DataFrame(rows).sort_values("clip_id", ignore_index=True)


def _synthetic_artists(metadata: Path) -> dict[str, str]:
    if not metadata.is_file():
        return {}
    table = pd.read_csv(metadata, dtype=str)
    return dict(zip(table["clip_id"], table["artist"]))


def scan_esc50(root: str | os.PathLike) -> pd.DataFrame:
    """List the clips of a dataset in ESC-50's layout, ``root/meta/esc50.csv`` + ``root/audio/`` (any audio format).

    Returns:
        One row per csv row, in the csv's order: clip_id (file stem), path, label
        (category), source (src_file: clips of one recording), fold, target.
    """
    root = Path(root)
    meta = root / "meta" / "esc50.csv"
    if not meta.is_file():
        raise DatasetError(root, "no meta/esc50.csv: expected ESC-50's layout meta/esc50.csv and audio/*.wav")
    table = pd.read_csv(meta, dtype={"src_file": str, "take": str})
    missing = [c for c in ESC50_COLUMNS if c not in table.columns]
    if missing:
        raise DatasetError(meta, f"missing columns {missing}; expected {list(ESC50_COLUMNS)}")
    if table.empty:
        raise DatasetError(meta, "lists no clips")
    return pd.DataFrame({
        "clip_id": [Path(name).stem for name in table["filename"]],
        "path": [str(root / "audio" / name) for name in table["filename"]],
        "label": table["category"],
        "source": table["src_file"],
        "fold": table["fold"].astype(int),
        "target": table["target"].astype(int),
    })


def inspect_clips(table: pd.DataFrame, *, min_seconds: float, silence_db: float) -> pd.DataFrame:
    """Decode every clip once and apply the quality policy.

    Args:
        table: from :func:`scan_gtzan` or :func:`scan_esc50` (needs clip_id, path).
        min_seconds: clips shorter than this are not usable.
        silence_db: clips whose RMS level (dBFS) is below this are not usable.

    Returns:
        ``table`` with duration_s, sample_rate, channels, rms_db, active_start_s,
        active_end_s (the span between the first and last frame above ``silence_db``),
        usable and problem added.
    """
    names = ("duration_s", "sample_rate", "channels", "rms_db", "active_start_s", "active_end_s", "usable", "problem")
    columns: dict[str, list] = {k: [] for k in names}
    for path in table["path"]:
        duration = rate = channels = level = active_start = active_end = np.nan
        problem = ""
        try:
            info = sf.info(path)
            rate, channels = info.samplerate, info.channels
            # A full decode, not just the header: truncated or garbled data only shows here.
            audio, _ = load_audio(path, sample_rate=None, mono=True)
            duration = audio.shape[0] / rate
            level = rms_db(audio)
            active_start, active_end = active_span(audio, rate, silence_db)
            if duration < min_seconds:
                problem = f"too short: {duration:.2f} s < {min_seconds:g} s"
            elif level < silence_db:
                problem = f"silent: RMS {level:.1f} dBFS < {silence_db:g} dBFS"
        except AudioError as error:
            problem = error.problem
        except Exception as error:  # sf.info raises on undecodable headers
            problem = f"cannot be decoded ({error})"
        columns["duration_s"].append(duration)
        columns["sample_rate"].append(rate)
        columns["channels"].append(channels)
        columns["rms_db"].append(level if np.isfinite(level) else -np.inf)
        columns["active_start_s"].append(active_start)
        columns["active_end_s"].append(active_end)
        columns["usable"].append(problem == "")
        columns["problem"].append(problem)
    out = table.copy()
    for key, values in columns.items():
        out[key] = values
    return out


def quality_report(manifest: pd.DataFrame) -> pd.DataFrame:
    """The clips the quality policy skipped: clip_id, path, problem, action."""
    bad = manifest.loc[~manifest["usable"], ["clip_id", "path", "problem"]].copy()
    bad["action"] = "skipped"
    return bad.reset_index(drop=True)
