"""Small, deterministic stand-ins for the dataset archives, for tests.

Plain functions (no pytest fixtures) so any test can call them with a path from
``tmp_path``:

* :func:`make_gtzan_tarball` - a tiny GTZAN ``genres.tar.gz`` in the real layout,
  optionally with undecodable clips like GTZAN's broken ``jazz.00054.wav``.
* :func:`make_esc50_zip` - a tiny ESC-50 GitHub ``master.zip`` in the real layout,
  with ``meta/esc50.csv``.
* :func:`make_unsafe_tarball` / :func:`make_unsafe_zip` - archives that a safe
  extractor must refuse (path traversal, absolute names, links).

The same arguments always give byte-identical archives (fixed timestamps, owners
and seeds), so their checksums are stable within one Python/zlib version.
Compression of tarballs follows the file name: ``.tar.gz``/``.tgz`` gzip,
``.tar.bz2`` bzip2, ``.tar.xz`` xz, anything else uncompressed.
"""

from __future__ import annotations

import csv
import gzip
import io
import stat
import tarfile
import zipfile
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import soundfile as sf

#: The ten ESC-50 categories that also form ESC-10 (the ``esc10`` column).
ESC10_CATEGORIES = frozenset(
    {
        "dog",
        "rooster",
        "rain",
        "sea_waves",
        "crackling_fire",
        "crying_baby",
        "sneezing",
        "clock_tick",
        "helicopter",
        "chainsaw",
    }
)

#: Column order of ESC-50's ``meta/esc50.csv``.
ESC50_COLUMNS = ("filename", "fold", "target", "category", "esc10", "src_file", "take")

#: Name of the file that unsafe archives try to write outside the extraction folder.
ESCAPED_NAME = "escaped.txt"

_MTIME = 1_000_000_000  # fixed timestamp (2001-09-09) for reproducible archives
_ZIP_DATE = (2001, 9, 9, 0, 0, 0)


# --------------------------------------------------------------------------- audio


def tone_clip(seed: int, seconds: float, sample_rate: int) -> np.ndarray:
    """A deterministic mono float32 clip in [-1, 1]: a sine plus a little noise.

    The frequency (110-990 Hz) and noise depend on ``seed`` so different clips differ.
    """
    n = int(round(seconds * sample_rate))
    rng = np.random.default_rng(seed)
    t = np.arange(n, dtype=np.float64) / sample_rate
    freq = 110.0 * (1 + seed % 9)
    audio = 0.5 * np.sin(2 * np.pi * freq * t) + 0.05 * rng.standard_normal(n)
    return np.clip(audio, -1.0, 1.0).astype(np.float32)


def wav_bytes(audio: np.ndarray, sample_rate: int) -> bytes:
    """Encode ``audio`` as a mono 16-bit PCM WAV file, returned as bytes."""
    buf = io.BytesIO()
    sf.write(buf, audio, sample_rate, format="WAV", subtype="PCM_16")
    return buf.getvalue()


def garbage_bytes(seed: int, size: int = 4096) -> bytes:
    """Deterministic bytes that no audio decoder accepts (no RIFF header)."""
    return b"NOT A WAV FILE\n" + np.random.default_rng(seed).bytes(size)


# --------------------------------------------------------------------------- tar helpers


def _tar_mode(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".tar.gz", ".tgz")):
        return "gz"
    if name.endswith((".tar.bz2", ".tbz2")):
        return "bz2"
    if name.endswith((".tar.xz", ".txz")):
        return "xz"
    return ""


def _tar_info(name: str, kind: bytes = tarfile.REGTYPE, size: int = 0, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = size if kind == tarfile.REGTYPE else 0
    info.linkname = linkname
    info.mtime = _MTIME
    info.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def write_tar(path: str | Path, members: Iterable[tuple[tarfile.TarInfo, bytes | None]]) -> Path:
    """Write ``(TarInfo, data or None)`` pairs to ``path``, compressed by its name.

    gzip output has a zero header timestamp so the bytes are reproducible.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _tar_mode(path)
    with open(path, "wb") as raw:
        if mode == "gz":
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
                with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
                    _add_members(tar, members)
        else:
            with tarfile.open(fileobj=raw, mode=f"w:{mode}" if mode else "w", format=tarfile.PAX_FORMAT) as tar:
                _add_members(tar, members)
    return path


def _add_members(tar: tarfile.TarFile, members: Iterable[tuple[tarfile.TarInfo, bytes | None]]) -> None:
    for info, data in members:
        tar.addfile(info, io.BytesIO(data) if data is not None else None)


def _regular(name: str, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
    return _tar_info(name, tarfile.REGTYPE, size=len(data)), data


def _directory(name: str) -> tuple[tarfile.TarInfo, None]:
    return _tar_info(name.rstrip("/"), tarfile.DIRTYPE), None


# --------------------------------------------------------------------------- GTZAN


def gtzan_clip_ids(genres: Sequence[str], clips_per_genre: int) -> list[str]:
    """Clip ids in GTZAN's naming, e.g. ``["blues.00000", "blues.00001", ...]``."""
    return [f"{genre}.{i:05d}" for genre in genres for i in range(clips_per_genre)]


def make_gtzan_tarball(
    path: str | Path,
    genres: Sequence[str] = ("blues", "jazz"),
    clips_per_genre: int = 2,
    seconds: float = 1.0,
    sample_rate: int = 22050,
    corrupt: Iterable[str] = (),
) -> Path:
    """Write a small GTZAN-style tarball and return its path.

    Layout (as in GTZAN's ``genres.tar.gz``)::

        genres/
        genres/<genre>/
        genres/<genre>/<genre>.000NN.wav     mono, 16-bit PCM, ``sample_rate`` Hz

    Args:
        path: output file; ``.tar.gz`` usual (compression follows the name).
        genres: genre folder names, in order.
        clips_per_genre: clips per genre, numbered from ``00000``.
        seconds: clip length.
        sample_rate: clip sample rate in Hz.
        corrupt: clip ids (``"jazz.00001"``) written as garbage bytes under their
            ``.wav`` name, like GTZAN's undecodable ``jazz.00054.wav``.

    Raises:
        ValueError: a ``corrupt`` id is not one of the generated clips.
    """
    ids = gtzan_clip_ids(genres, clips_per_genre)
    corrupt = set(corrupt)
    unknown = corrupt - set(ids)
    if unknown:
        raise ValueError(f"corrupt clip ids {sorted(unknown)} are not among the generated {ids}")
    members: list[tuple[tarfile.TarInfo, bytes | None]] = [_directory("genres")]
    seed = 0
    for genre in genres:
        members.append(_directory(f"genres/{genre}"))
        for i in range(clips_per_genre):
            clip_id = f"{genre}.{i:05d}"
            if clip_id in corrupt:
                data = garbage_bytes(seed)
            else:
                data = wav_bytes(tone_clip(seed, seconds, sample_rate), sample_rate)
            members.append(_regular(f"genres/{genre}/{clip_id}.wav", data))
            seed += 1
    return write_tar(path, members)


# --------------------------------------------------------------------------- ESC-50


def esc50_rows(categories: Sequence[tuple[str, int]], clips_per_category: int) -> list[dict[str, str]]:
    """The ``meta/esc50.csv`` rows the ESC-50 helper writes, as string dicts.

    File names follow ESC-50: ``<fold>-<src_file>-<take>-<target>.wav``; folds cycle
    1..5 over a category's clips; ``src_file`` is a made-up freesound id; take is "A". The rows
    are sorted by file name, as in the real esc50.csv (so fold by fold: the seed split, which
    cuts by row, then gives every category training clips, as it does on the real data).
    """
    rows = []
    for category, target in categories:
        for i in range(clips_per_category):
            fold = i % 5 + 1
            src_file = str(100000 + 1000 * int(target) + i)
            take = "A"
            rows.append(
                {
                    "filename": f"{fold}-{src_file}-{take}-{target}.wav",
                    "fold": str(fold),
                    "target": str(target),
                    "category": category,
                    "esc10": str(category in ESC10_CATEGORIES),
                    "src_file": src_file,
                    "take": take,
                }
            )
    return sorted(rows, key=lambda row: row["filename"])


def make_esc50_zip(
    path: str | Path,
    categories: Sequence[tuple[str, int]] = (("dog", 0), ("rain", 10)),
    clips_per_category: int = 2,
    seconds: float = 5.0,
    sample_rate: int = 44100,
) -> Path:
    """Write a small ESC-50-style zip (GitHub's ``master.zip``) and return its path.

    Layout::

        ESC-50-master/
        ESC-50-master/meta/esc50.csv    filename,fold,target,category,esc10,src_file,take
        ESC-50-master/audio/<fold>-<src_file>-<take>-<target>.wav   mono 16-bit

    Args:
        path: output ``.zip`` file.
        categories: ``(category name, target class index)`` pairs.
        clips_per_category: clips per category (see :func:`esc50_rows` for naming).
        seconds: clip length (ESC-50 clips are 5 s).
        sample_rate: clip sample rate in Hz (ESC-50 uses 44100).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = esc50_rows(categories, clips_per_category)
    csv_buf = io.StringIO()
    writer = csv.DictWriter(csv_buf, fieldnames=ESC50_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for folder in ("ESC-50-master/", "ESC-50-master/audio/", "ESC-50-master/meta/"):
            zf.writestr(_zip_info(folder, stat.S_IFDIR | 0o755), b"")
        zf.writestr(_zip_info("ESC-50-master/meta/esc50.csv"), csv_buf.getvalue().encode())
        for seed, row in enumerate(rows):
            audio = tone_clip(1000 + seed, seconds, sample_rate)
            zf.writestr(_zip_info(f"ESC-50-master/audio/{row['filename']}"), wav_bytes(audio, sample_rate))
    return path


def _zip_info(name: str, mode: int = stat.S_IFREG | 0o644) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.create_system = 3  # Unix, so external_attr's high 16 bits are a st_mode
    info.external_attr = mode << 16
    if stat.S_ISDIR(mode):
        info.external_attr |= 0x10  # MS-DOS directory flag
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


# --------------------------------------------------------------------------- unsafe archives

UNSAFE_TAR_KINDS = ("dotdot", "absolute", "symlink", "hardlink")
UNSAFE_ZIP_KINDS = ("dotdot", "absolute", "symlink")


def unsafe_member_name(path: str | Path, kind: str) -> str:
    """The name of the offending member that :func:`make_unsafe_tarball`/``zip`` writes.

    * ``dotdot``: ``genres/../../escaped.txt`` - from an extraction folder beside the
      archive this lands in the archive's own folder.
    * ``absolute``: the absolute path of ``escaped.txt`` beside the archive.
    * ``symlink`` / ``hardlink``: ``genres/link`` (pointing at ``../../escaped.txt``).
    """
    if kind == "dotdot":
        return f"genres/../../{ESCAPED_NAME}"
    if kind == "absolute":
        return str(Path(path).resolve().parent / ESCAPED_NAME)
    if kind in ("symlink", "hardlink"):
        return "genres/link"
    raise ValueError(f"unknown unsafe archive kind {kind!r}")


def make_unsafe_tarball(path: str | Path, kind: str) -> Path:
    """Write a tarball a safe extractor must refuse; return its path.

    The archive holds a harmless ``genres/ok.txt`` first and then one unsafe member
    (see :func:`unsafe_member_name`), so an extractor that writes before checking
    every member leaves ``ok.txt`` behind. ``kind`` is one of
    ``"dotdot"``, ``"absolute"``, ``"symlink"``, ``"hardlink"``.
    """
    if kind not in UNSAFE_TAR_KINDS:
        raise ValueError(f"unknown unsafe tarball kind {kind!r}, expected one of {UNSAFE_TAR_KINDS}")
    name = unsafe_member_name(path, kind)
    payload = b"this file escaped the extraction folder\n"
    members: list[tuple[tarfile.TarInfo, bytes | None]] = [
        _directory("genres"),
        _regular("genres/ok.txt", b"harmless\n"),
    ]
    if kind in ("dotdot", "absolute"):
        members.append(_regular(name, payload))
    elif kind == "symlink":
        members.append((_tar_info(name, tarfile.SYMTYPE, linkname=f"../../{ESCAPED_NAME}"), None))
    else:
        members.append((_tar_info(name, tarfile.LNKTYPE, linkname=f"../../{ESCAPED_NAME}"), None))
    return write_tar(path, members)


def make_unsafe_zip(path: str | Path, kind: str) -> Path:
    """Write a zip a safe extractor must refuse; return its path.

    Like :func:`make_unsafe_tarball`: ``genres/ok.txt`` first, then the unsafe entry.
    ``kind`` is ``"dotdot"``, ``"absolute"`` or ``"symlink"`` (an entry whose Unix
    mode in the external attributes is ``S_IFLNK``; its data is the link target).
    """
    if kind not in UNSAFE_ZIP_KINDS:
        raise ValueError(f"unknown unsafe zip kind {kind!r}, expected one of {UNSAFE_ZIP_KINDS}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    name = unsafe_member_name(path, kind)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(_zip_info("genres/", stat.S_IFDIR | 0o755), b"")
        zf.writestr(_zip_info("genres/ok.txt"), b"harmless\n")
        if kind == "symlink":
            zf.writestr(_zip_info(name, stat.S_IFLNK | 0o777), f"../../{ESCAPED_NAME}".encode())
        else:
            zf.writestr(_zip_info(name), b"this file escaped the extraction folder\n")
    return path
