"""Fetch dataset archives with checksum verification and extract them safely.

Both halves are all-or-nothing: :func:`download` leaves either the complete,
verified file at ``dest`` or nothing (no partial file, no temporary file), and
:func:`safe_extract` leaves either the complete extracted folder at ``dest`` or
nothing. Archives are checked member by member before anything is written, so a
crafted archive cannot write outside ``dest`` (path traversal, absolute names,
links, device files).
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import re
import stat
import sys
import tarfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from tqdm import tqdm

from .. import __version__
from ..fileio import atomic_path

#: Supported checksum algorithms and the length of their hex digest.
CHECKSUM_ALGORITHMS: dict[str, int] = {"md5": 32, "sha256": 64}

#: Archive name endings :func:`safe_extract` understands.
TAR_SUFFIXES: tuple[str, ...] = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
ZIP_SUFFIXES: tuple[str, ...] = (".zip",)

_CHUNK_BYTES = 1 << 20
_USER_AGENT = f"danet-music2vec/{__version__} (python urllib)"


class DownloadError(RuntimeError):
    """A download or extraction failed; the message names the source or archive."""


class ArchiveError(DownloadError):
    """An archive is missing, corrupt, truncated or of an unsupported type."""


class UnsafeArchiveError(ArchiveError):
    """An archive member could write outside the destination or is not a plain file/folder.

    Attributes:
        archive: the archive file.
        member: the offending member's name as stored in the archive.
    """

    def __init__(self, archive: str | os.PathLike, member: str, problem: str) -> None:
        self.archive = Path(archive)
        self.member = member
        self.problem = problem
        super().__init__(
            f"refusing to extract {self.archive}: member {member!r} {problem}; "
            "nothing was extracted"
        )


# --------------------------------------------------------------------------- checksums


def parse_checksum(checksum: str) -> tuple[str, str]:
    """Split ``"md5:<hex>"`` or ``"sha256:<hex>"`` into ``(algorithm, hex)``.

    The algorithm name and hex digits are lower-cased; surrounding whitespace is
    ignored.

    Raises:
        ValueError: not a string, no ``algorithm:`` prefix, an unsupported
            algorithm, or a digest of the wrong length or with non-hex characters.
    """
    if not isinstance(checksum, str):
        raise ValueError(f"checksum must be a string like 'sha256:<hex>', got {checksum!r}")
    text = checksum.strip()
    algorithm, sep, digest = text.partition(":")
    if not sep:
        raise ValueError(
            f"malformed checksum {checksum!r}: expected '<algorithm>:<hex digest>' "
            f"with algorithm one of {sorted(CHECKSUM_ALGORITHMS)}"
        )
    algorithm = algorithm.strip().lower()
    digest = digest.strip().lower()
    if algorithm not in CHECKSUM_ALGORITHMS:
        raise ValueError(
            f"malformed checksum {checksum!r}: unsupported algorithm {algorithm!r}, "
            f"expected one of {sorted(CHECKSUM_ALGORITHMS)}"
        )
    expected_len = CHECKSUM_ALGORITHMS[algorithm]
    if not re.fullmatch(r"[0-9a-f]+", digest or "-"):
        raise ValueError(f"malformed checksum {checksum!r}: digest is not hexadecimal")
    if len(digest) != expected_len:
        raise ValueError(
            f"malformed checksum {checksum!r}: a {algorithm} digest has {expected_len} hex "
            f"digits, got {len(digest)}"
        )
    return algorithm, digest


def _new_hash(algorithm: str) -> "hashlib._Hash":
    if algorithm not in CHECKSUM_ALGORITHMS:
        raise ValueError(
            f"unsupported checksum algorithm {algorithm!r}, expected one of "
            f"{sorted(CHECKSUM_ALGORITHMS)}"
        )
    return hashlib.new(algorithm)


def file_checksum(path: str | os.PathLike, algorithm: str) -> str:
    """Hex digest of a file's bytes with ``algorithm`` ("md5" or "sha256"), read in chunks."""
    hasher = _new_hash(algorithm.lower())
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK_BYTES), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


# --------------------------------------------------------------------------- download


def download(
    source: str,
    dest: str | os.PathLike,
    *,
    checksum: str | None,
    timeout_s: float = 60.0,
    progress: bool = True,
) -> Path:
    """Fetch ``source`` to ``dest`` and verify its checksum; all or nothing.

    Args:
        source: an ``http://`` or ``https://`` URL, a ``file://`` URL, or a plain
            local path to an already downloaded archive (copied, not moved).
        dest: the file to create. Its folder is created if needed. The bytes are
            streamed to a temporary name in that folder and renamed onto ``dest``
            only after the length and checksum checks pass.
        checksum: ``"md5:<hex>"`` or ``"sha256:<hex>"``; ``None`` downloads
            without verification and prints a warning to stderr.
        timeout_s: socket timeout for connecting and for each read, in seconds.
        progress: show a tqdm progress bar on stderr.

    Returns:
        ``dest`` as a Path.

    Raises:
        ValueError: ``checksum`` is malformed (raised before anything is fetched).
        DownloadError: HTTP error, connection failure or reset, timeout, a
            transfer shorter than its Content-Length, a missing local file, an
            unsupported URL scheme, or a checksum mismatch. The message names
            ``source`` (and, for a mismatch, the expected and actual checksums).
            Nothing is left at ``dest`` by the failed attempt and no temporary
            file remains (a file already at ``dest`` beforehand is not touched).
    """
    dest = Path(dest)
    expected = parse_checksum(checksum) if checksum is not None else None
    if expected is None:
        print(
            f"WARNING: downloading {source} without a checksum: {dest} is unverified",
            file=sys.stderr,
        )
    algorithm = expected[0] if expected else "sha256"

    try:
        with atomic_path(dest) as tmp:
            with _open_source(source, timeout_s) as (stream, length):
                hasher = _new_hash(algorithm)
                received = _copy_stream(stream, tmp, hasher, length, dest.name, progress)
            if length is not None and received != length:
                raise DownloadError(
                    f"download of {source} was truncated: received {received} of "
                    f"{length} bytes"
                )
            if expected is not None:
                actual = hasher.hexdigest()
                if actual != expected[1]:
                    raise DownloadError(
                        f"checksum mismatch for {source}: expected {algorithm}:{expected[1]}, "
                        f"got {algorithm}:{actual}"
                    )
    except DownloadError:
        raise
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"download of {source} failed: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise DownloadError(f"download of {source} failed: {exc.reason}") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise DownloadError(
            f"download of {source} failed: {_describe(exc)}"
        ) from exc
    return dest


@contextlib.contextmanager
def _open_source(source: str, timeout_s: float) -> Iterator[tuple[BinaryIO, int | None]]:
    """Yield ``(binary stream, expected byte count or None)`` for a URL or local path."""
    scheme = urllib.parse.urlsplit(source).scheme.lower() if "://" in source else ""
    if scheme in ("http", "https"):
        request = urllib.request.Request(source, headers={"User-Agent": _USER_AGENT})
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            header = response.headers.get("Content-Length")
            length = int(header) if header is not None and header.strip().isdigit() else None
            yield response, length
        return
    if scheme == "file":
        path = Path(urllib.request.url2pathname(urllib.parse.urlsplit(source).path))
    elif scheme:
        raise DownloadError(
            f"cannot download {source}: unsupported URL scheme {scheme!r} "
            "(use http, https, file or a local path)"
        )
    else:
        path = Path(source)
    if not path.is_file():
        raise DownloadError(f"cannot copy {source}: {path} is not an existing file")
    with open(path, "rb") as stream:
        yield stream, os.fstat(stream.fileno()).st_size


def _copy_stream(
    stream: BinaryIO,
    tmp: Path,
    hasher: "hashlib._Hash",
    length: int | None,
    label: str,
    progress: bool,
) -> int:
    """Copy ``stream`` into the new file ``tmp``, hashing on the way; return the byte count."""
    received = 0
    with open(tmp, "wb") as out, tqdm(
        total=length,
        desc=label,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        file=sys.stderr,
        disable=not progress,
        leave=False,
    ) as bar:
        while True:
            chunk = stream.read(_CHUNK_BYTES)
            if not chunk:
                break
            out.write(chunk)
            hasher.update(chunk)
            received += len(chunk)
            bar.update(len(chunk))
        out.flush()
        os.fsync(out.fileno())
    return received


# --------------------------------------------------------------------------- extraction


def safe_extract(archive: str | os.PathLike, dest: str | os.PathLike) -> Path:
    """Extract a .tar, .tar.gz/.tgz, .tar.bz2, .tar.xz or .zip archive into ``dest``.

    Every member is checked first; the whole archive is refused, before anything
    is written, if any member has an absolute name, a ``..`` component, is a
    symlink or hardlink, a device or fifo (tar), or a zip entry whose external
    attributes mark a symlink. Extraction goes into a temporary folder beside
    ``dest`` that is renamed onto ``dest`` at the end (replacing an existing
    folder there), so a failure leaves nothing new at ``dest``. The archive's
    own top folder (e.g. ``genres/``) is kept: ``dest/genres/...``.

    Returns:
        ``dest`` as a Path.

    Raises:
        UnsafeArchiveError: a member is unsafe; names the archive and member.
        ArchiveError: the archive is missing, corrupt, truncated or its name has
            no supported ending; names the archive.
    """
    archive = Path(archive)
    dest = Path(dest)
    if not archive.is_file():
        raise ArchiveError(f"cannot extract {archive}: not an existing file")
    name = archive.name.lower()
    if name.endswith(ZIP_SUFFIXES):
        extractor: Callable[[Path, Path], None] = _extract_zip
    elif name.endswith(TAR_SUFFIXES):
        extractor = _extract_tar
    else:
        raise ArchiveError(
            f"cannot extract {archive}: unsupported archive type, expected a name ending "
            f"in one of {', '.join(TAR_SUFFIXES + ZIP_SUFFIXES)}"
        )
    try:
        with atomic_path(dest) as tmp:
            tmp.mkdir()
            extractor(archive, tmp)
    except ArchiveError:
        raise
    except Exception as exc:  # corrupt data surfaces as many types (zlib, lzma, EOF, OSError)
        raise ArchiveError(
            f"cannot extract {archive}: corrupt or unreadable archive "
            f"({_describe(exc)})"
        ) from exc
    return dest


def _describe(exc: BaseException) -> str:
    """``"Type: message"`` on one line (some tarfile errors span several lines)."""
    return f"{type(exc).__name__}: " + " ".join(str(exc).split())


def _name_problem(name: str) -> str | None:
    """Why a member name is unsafe, or None when it stays inside the extraction folder."""
    if not name or "\x00" in name:
        return "has an empty or NUL-containing name"
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "has an absolute path"
    if ".." in re.split(r"[/\\]", name):
        return "has a '..' path component"
    return None


def _extract_tar(archive: Path, into: Path) -> None:
    with tarfile.open(archive, mode="r:*") as tar:
        members = tar.getmembers()  # reads the whole archive: corrupt data fails here
        for member in members:
            problem = _name_problem(member.name)
            if problem is None:
                if member.issym():
                    problem = f"is a symlink (to {member.linkname!r})"
                elif member.islnk():
                    problem = f"is a hardlink (to {member.linkname!r})"
                elif member.ischr() or member.isblk():
                    problem = "is a device file"
                elif member.isfifo():
                    problem = "is a fifo"
                elif not (member.isreg() or member.isdir()):
                    problem = f"has unsupported tar type {member.type!r}"
            if problem is not None:
                raise UnsafeArchiveError(archive, member.name, problem)
        if hasattr(tarfile, "data_filter"):  # Python >= 3.11.4 / 3.12: second line of defence
            tar.extractall(into, members=members, filter="data")
        else:  # pragma: no cover - older Pythons; members were checked above
            tar.extractall(into, members=members)


def _extract_zip(archive: Path, into: Path) -> None:
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
        for info in infos:
            problem = _name_problem(info.filename)
            if problem is None and stat.S_ISLNK(info.external_attr >> 16):
                problem = "is a symlink"
            if problem is not None:
                raise UnsafeArchiveError(archive, info.filename, problem)
        zf.extractall(into, members=infos)  # CRC-32 is checked while reading
