"""The recordings folder and the method a run of it uses: what the Snakefile reads to plan the
inference jobs, kept free of torch (every Snakemake start parses the Snakefile, and on a cluster
each job starts Snakemake twice). :mod:`.user_audio` processes the recordings and re-exports these."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..methods import FUSION_METHODS, NO_HARM_METHODS

# What libsndfile 1.2 decodes; a file of another suffix is listed as a problem, not opened.
AUDIO_SUFFIXES = (".wav", ".wave", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".aif", ".aiff", ".aifc", ".au",
                  ".snd", ".caf", ".w64", ".rf64")
# The methods a recording may get: the blind separations (no reference), their no-harm outputs
# and the late fusions of their posteriors with the input's.
BLIND_METHODS = ("danet", "danet_original", "noisereduce")
USER_METHODS = (BLIND_METHODS + tuple(m for m, base in NO_HARM_METHODS.items() if base in BLIND_METHODS)
                + tuple(m for m, base in FUSION_METHODS.items() if base in BLIND_METHODS))
_KEY = re.compile(r"^[a-z0-9_]+-[0-9a-f]{8}$")


@dataclass(frozen=True)
class UserAudioSettings:
    """How recordings are read, cut and classified (seconds at the working rate).

    ``chunk_seconds``: length of a separation chunk and of a classifier window;
    ``overlap_seconds``: least overlap of consecutive chunks (cross-faded);
    ``min_seconds``: shorter recordings are problems; ``block_seconds``: decoding block;
    ``seed``: the config's seed (k-means subsamples, as the study's separation).
    """

    chunk_seconds: float = 30.0
    overlap_seconds: float = 2.0
    min_seconds: float = 0.2
    block_seconds: float = 10.0
    seed: int = 0

    def __post_init__(self) -> None:
        if not self.chunk_seconds > 0 or not 0 <= self.overlap_seconds <= self.chunk_seconds / 2:
            raise ValueError(f"need chunk_seconds > 0 and 0 <= overlap_seconds <= chunk_seconds / 2, got "
                             f"{self.chunk_seconds} and {self.overlap_seconds}")
        if not self.block_seconds > 0 or self.min_seconds < 0:
            raise ValueError(f"need block_seconds > 0 and min_seconds >= 0, got {self.block_seconds}, "
                             f"{self.min_seconds}")


def file_key(relative_path: str) -> str:
    """A stable ASCII name for a recording: a slug of its file name and 8 hex digits of the
    sha1 of its path relative to the folder (so two ``take 1.wav`` in different subfolders,
    or names that differ only in non-ASCII letters, get different keys)."""
    name = Path(relative_path).name
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[:40].strip("_") or "file"
    digest = hashlib.sha1(Path(relative_path).as_posix().encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}"


def is_file_key(text: str) -> bool:
    return bool(_KEY.match(text))


def list_recordings(folder: str | os.PathLike) -> tuple[dict[str, str], list[str]]:
    """The files of ``folder`` (recursively; names starting with a dot and what is inside such
    folders left out): key -> path relative to the folder for those with an audio suffix
    (:data:`AUDIO_SUFFIXES`, any case), sorted by path; and the relative paths of the others.

    Raises:
        NotADirectoryError: ``folder`` is not a folder.
    """
    root = Path(folder)
    if not root.is_dir():
        raise NotADirectoryError(f"{folder}: not a folder")
    audio, other = {}, []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if path.suffix.lower() in AUDIO_SUFFIXES:
            key = file_key(relative.as_posix())
            if key in audio:  # a sha1 prefix collision of two paths: never silently merged
                raise ValueError(f"{folder}: {audio[key]!r} and {relative.as_posix()!r} have the same key {key}")
            audio[key] = relative.as_posix()
        else:
            other.append(relative.as_posix())
    return audio, other


def base_method(method: str) -> str:
    """The separation a method's denoised music comes from (a no-harm output's or a fusion's base)."""
    return NO_HARM_METHODS.get(method, FUSION_METHODS.get(method, method))


def resolve_method(configured: str, headline: str) -> str:
    """The method of config ``inference.method`` (``configured``); empty: the headline
    (``evaluation.headline_method``) where it is a no-harm output or a fusion of danet (danet
    separates, then the input is added back or the posteriors fused), else danet."""
    if configured:
        return configured
    return headline if base_method(headline) == "danet" and headline in USER_METHODS else "danet"
