"""Building the noise world's ESC-50 folder: classes, folds, file names, the table and the credits.

Real classes take their takes from the recordings collected by
:func:`danet_music2vec.synthetic.noise.recordings.collect_recordings`: the takes of a class
cycle over its source recordings, and every source (one original recording, whatever the
number of its cuts) is kept in one fold, as ESC-50 keeps each Freesound recording in one.
Procedural classes synthesise every take from the seed; each take is its own source, and a
class's takes cycle over the five folds. A class may have both kinds of takes.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from ...audio import load_audio, write_wav
from ...fileio import atomic_path
from ...seeding import stable_hash
from .classes import CSV_COLUMNS, ESC10, MAX_CLIPS_PER_CLASS, NB_FOLDS, STREAM_CLASS, STREAM_CLIP, STREAM_FOLDS, TARGET
from .procedural import PROCEDURAL_CLASSES, PROCEDURAL_ID_BASE, procedural_clip
from .recordings import copy_licences, read_recordings
from .takes import recording_take

# First line of the CREDITS.md a build writes: marks a folder this module may replace.
_CREDITS_TITLE = "# Credits: synthetic ESC-50 stand-in (danet_music2vec.synth_noise)"
AUDIO_FORMATS = {"wav": ("WAV", ".wav"), "flac": ("FLAC", ".flac")}
_RECORDED_ID_BASE, _RECORDED_ID_SPAN = 100_000, 800_000  # src_file numbers of real sources: 100000..899999


def take_label(index: int) -> str:
    """A, B, ..., Z, AA, AB, ... (ESC-50 uses letters for takes of one source)."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def class_targets(categories: Sequence[str]) -> dict[str, int]:
    """ESC-50's target numbers for its classes, then 50, 51, ... for the others in name order."""
    extra = sorted(c for c in set(categories) if c not in TARGET)
    return {**{c: TARGET[c] for c in categories if c in TARGET}, **{c: 50 + i for i, c in enumerate(extra)}}


# The order in which a class's sources fill the folds: with ESC-50's usual split (fold 4
# validation, fold 5 test) a class of one source still trains, of two trains and tests, of
# three also validates.
FOLD_ORDER = (1, 5, 4, 2, 3)


def source_folds(seed: int, category: str, sources: Sequence[str]) -> dict[str, int]:
    """Each source recording of a class in one fold: a seeded order of the sources, in FOLD_ORDER."""
    rng = np.random.default_rng([seed, STREAM_FOLDS, stable_hash(category)])
    order = rng.permutation(len(sources))
    return {sources[j]: FOLD_ORDER[i % NB_FOLDS] for i, j in enumerate(order)}


def source_number(key: str) -> int:
    """A numeric src_file for a source key (ESC-50 uses Freesound ids): stable across builds."""
    return _RECORDED_ID_BASE + stable_hash(key) % _RECORDED_ID_SPAN


def _procedural_fold(seed: int, category: str, take: int) -> int:
    """Takes of a procedural class cycle through the folds from a seeded start."""
    rng = np.random.default_rng([seed, STREAM_CLASS, stable_hash(category)])
    return int((rng.integers(NB_FOLDS) + take) % NB_FOLDS) + 1


def _replaceable(root: Path) -> bool:
    """Only a missing/empty folder or an earlier build of this module may be replaced."""
    if not root.exists():
        return True
    if not root.is_dir():
        return False
    if not any(root.iterdir()):
        return True
    credits = root / "CREDITS.md"
    return credits.is_file() and credits.read_text(encoding="utf-8").startswith(_CREDITS_TITLE)


def _check_int(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise ValueError(f"{name} must be an integer in {low}..{high}, got {value!r}")


def build_synthetic_esc50(
    root: str | os.PathLike,
    recordings_dir: str | os.PathLike | None,
    *,
    clips_per_class: int,
    seed: int,
    procedural: Sequence[str] = PROCEDURAL_CLASSES,
    sample_rate: int = 22050,
    duration_s: float = 5.0,
    audio_format: str = "flac",
    workers: int = 1,
) -> pd.DataFrame:
    """Build the noise world's folder (audio/, meta/esc50.csv, licences/, CREDITS.md) at ``root``.

    Args:
        root: output folder; replaced as a whole (built beside it, then renamed). An
            existing non-empty folder that is not an earlier build is refused.
        recordings_dir: a folder of :func:`~.recordings.collect_recordings` (None: procedural
            classes only).
        clips_per_class: 1..40 takes per class.
        seed: non-negative integer; every random choice derives from it.
        procedural: the procedural classes to synthesise (any of PROCEDURAL_CLASSES).
        sample_rate, duration_s: of every clip (ESC-50: 44100 Hz, 5.0 s; the pipeline works at 8 kHz).
        audio_format: ``flac`` (lossless, about half the size) or ``wav``, 16-bit either way.
        workers: threads that make clips; the files are identical for any number.

    Returns:
        The esc50.csv rows sorted by filename, columns CSV_COLUMNS with dtypes
        filename/category/src_file/take str, fold/target int64, esc10 bool.
    """
    _check_int("clips_per_class", clips_per_class, 1, MAX_CLIPS_PER_CLASS)
    _check_int("seed", seed, 0, 2**63 - 1)
    _check_int("sample_rate", sample_rate, 8000, 192000)
    _check_int("workers", workers, 1, 256)
    if isinstance(duration_s, bool) or not isinstance(duration_s, (int, float)) or not 0.5 <= duration_s <= 60.0:
        raise ValueError(f"duration_s must be in 0.5..60 s, got {duration_s!r}")
    if audio_format not in AUDIO_FORMATS:
        raise ValueError(f"audio_format must be one of {', '.join(AUDIO_FORMATS)}, got {audio_format!r}")
    unknown = sorted(set(procedural) - set(PROCEDURAL_CLASSES))
    if unknown or isinstance(procedural, str):
        raise ValueError(f"procedural must be names from {PROCEDURAL_CLASSES}, got {procedural!r}")
    root = Path(root)
    if not _replaceable(root):
        raise ValueError(f"{root}: exists and is not a synthetic ESC-50 build; refusing to replace it")
    recordings = read_recordings(recordings_dir) if recordings_dir is not None else None
    real = sorted(set(recordings["category"])) if recordings is not None else []
    categories = sorted(set(real) | set(procedural))
    if not categories:
        raise ValueError("no noise classes: neither recordings nor procedural classes were given")
    targets = class_targets(categories)
    n = int(round(sample_rate * duration_s))
    decoded: dict[str, np.ndarray] = {}
    if recordings is not None:
        for path in recordings["path"]:
            decoded[path], _ = load_audio(path, sample_rate=sample_rate)
    folds = {c: source_folds(seed, c, sorted(set(recordings.loc[recordings["category"] == c, "source"])))
             for c in real}
    container, suffix = AUDIO_FORMATS[audio_format]

    def jobs_of(category: str) -> list[tuple]:
        """One job per take: (category, take, source key or None, file path or None)."""
        jobs = []
        rows = recordings.loc[recordings["category"] == category] if category in real else None
        sources = sorted(folds[category]) if rows is not None else []
        kinds = ([("real", s) for s in sources] + ([("procedural", None)] if category in procedural else []))
        for take in range(clips_per_class):
            kind, source = kinds[take % len(kinds)]
            if kind == "procedural":
                jobs.append((category, take, None, None))
                continue
            files = sorted(rows.loc[rows["source"] == source, "path"])
            jobs.append((category, take, source, files[(take // len(kinds)) % len(files)]))
        return jobs

    def make_clip(job: tuple, audio_dir: Path) -> tuple:
        """Synthesise and write one clip; returns its csv row."""
        category, take, source, path = job
        target = targets[category]
        if source is None:
            clip = procedural_clip(seed, category, take, n, sample_rate)
            fold = _procedural_fold(seed, category, take)
            src_file, take_name = str(PROCEDURAL_ID_BASE + 100 * target + take), "A"
        else:
            rng = np.random.default_rng([seed, STREAM_CLIP, stable_hash(category), take])
            clip = recording_take(rng, decoded[path], n, sample_rate)
            fold = folds[category][source]
            src_file, take_name = str(source_number(source)), take_label(take)
        filename = f"{fold}-{src_file}-{take_name}-{target}{suffix}"
        write_wav(audio_dir / filename, clip, sample_rate, subtype="PCM_16", format=container)
        return (filename, fold, target, category, ESC10.get(category, False), src_file, take_name)

    jobs = [job for category in categories for job in jobs_of(category)]
    with atomic_path(root) as tmp_root:
        audio_dir = tmp_root / "audio"
        audio_dir.mkdir(parents=True)
        if workers == 1:
            rows = [make_clip(job, audio_dir) for job in jobs]
        else:
            # Clips are independent (own generator, own file), so threads cannot change
            # the result; numpy/scipy release the GIL in the heavy loops.
            with ThreadPoolExecutor(max_workers=workers) as pool:
                rows = list(pool.map(lambda job: make_clip(job, audio_dir), jobs))
        frame = pd.DataFrame(rows, columns=list(CSV_COLUMNS))
        frame = frame.astype({"fold": "int64", "target": "int64", "esc10": "bool"})
        if frame["filename"].duplicated().any():
            clash = frame.loc[frame["filename"].duplicated(), "filename"].tolist()[:3]
            raise RuntimeError(f"two takes got the same file name {clash}: two source keys share a number")
        frame = frame.sort_values("filename", kind="stable").reset_index(drop=True)
        with atomic_path(tmp_root / "meta" / "esc50.csv") as tmp_csv:
            frame.to_csv(tmp_csv, index=False, lineterminator="\n")
        if recordings is not None:
            copy_licences(recordings_dir, tmp_root / "licences")
            listed = recordings.drop(columns=["path"]).assign(
                src_file=[str(source_number(s)) for s in recordings["source"]])
            with atomic_path(tmp_root / "meta" / "recordings.csv") as tmp_table:
                listed.to_csv(tmp_table, index=False, lineterminator="\n")
        with atomic_path(tmp_root / "CREDITS.md") as tmp_credits:
            tmp_credits.write_text(_credits(seed, clips_per_class, sample_rate, duration_s, real, procedural,
                                            recordings), encoding="utf-8")
    return frame


def _credits(seed: int, clips_per_class: int, sample_rate: int, duration_s: float, real: Sequence[str],
             procedural: Sequence[str], recordings: pd.DataFrame | None) -> str:
    """CREDITS.md: how the folder was built, and every recording's package, licence and credit."""
    lines = [_CREDITS_TITLE, "",
             f"Built with seed {seed}, {clips_per_class} clips per class, {sample_rate} Hz, {duration_s} s.", "",
             f"Real classes ({len(real)}): takes of recordings from pinned Debian and PyPI packages "
             "(danet_music2vec.synthetic.noise.sources); each package's copyright, licence and credit "
             "files are in licences/<package>/, and every recording is listed below and in "
             "meta/recordings.csv.", "",
             f"Procedural classes ({len(procedural)}: {', '.join(procedural) or 'none'}) are generated by "
             "danet_music2vec.synthetic.noise from the seed; no recordings are used.", ""]
    if recordings is not None:
        lines += ["| class | package | file | licence | credit |", "|---|---|---|---|---|"]
        for row in recordings.sort_values(["category", "package", "member"]).itertuples():
            lines.append(f"| {row.category} | {row.package} | {row.member} | {row.licence} | {row.credit} |")
    return "\n".join(lines) + "\n"
