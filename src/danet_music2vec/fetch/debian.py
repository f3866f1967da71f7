"""Fetch a pinned Debian package with ``apt-get download`` and read files out of it.

The default noise world is built from environmental recordings shipped in Debian
(bookworm) packages; the machines reach only PyPI and Debian's mirrors. A package is
pinned by name, version, file name and the .deb's sha256; the file is checked before it
is renamed onto its destination, as in :mod:`danet_music2vec.fetch.pypi`.

A .deb is an ``ar`` archive of ``debian-binary``, ``control.tar.*`` and ``data.tar.*``
(deb(5)). The files are read straight from the compressed ``data.tar.*`` stream, never
extracted to disk and never held whole in memory, so a 200 MB package costs its
decompression time and the bytes of the requested files only.
"""

from __future__ import annotations

import lzma
import os
import posixpath
import re
import shutil
import subprocess
import tarfile
import tempfile
import warnings
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .download import file_checksum
from ..fileio import atomic_path

#: Environment variable naming a folder of verified downloads shared between builds and test runs.
DOWNLOADS_ENV = "DANET_MUSIC2VEC_DOWNLOADS"

#: The config that builds the noise world from PyPI wheels alone (no apt needed).
WHEELS_ONLY_CONFIG = "config/noise_wheels_only.yaml"

_AR_MAGIC = b"!<arch>\n"
_AR_HEADER_BYTES = 60
_MAX_LINK_HOPS = 8
_STREAM_BUFFER_BYTES = 256 * 1024

# tarfile stream modes by data.tar suffix; all are readable with the standard library.
_TAR_MODES = {"": "r|", ".xz": "r|xz", ".gz": "r|gz", ".bz2": "r|bz2"}

# apt-get's messages when it does not know a package or version; usually the package
# lists are missing (a fresh container) rather than the pin being wrong.
_APT_NOT_FOUND = re.compile(
    r"Version '[^']*' for '[^']*' was not found|Unable to locate package|has no installation candidate"
    r"|Can't select (?:candidate )?version|No packages found",
)


@dataclass(frozen=True)
class DebianPackage:
    """One pinned .deb: ``apt-get download {name}={version}`` gives ``filename``.

    Attributes:
        name: the Debian package name ("openttd-opensfx").
        version: the exact version, epoch included ("1:0.9.28-sdl2-1").
        filename: the .deb's file name as apt saves it (an epoch's ":" becomes "%3a").
        sha256: hex sha256 of the .deb file.
    """

    name: str
    version: str
    filename: str
    sha256: str

    def __post_init__(self) -> None:
        # A typo in a pin should fail here, naming the pin, not later as a confusing apt error.
        if not re.fullmatch(r"[a-z0-9][a-z0-9+.-]+", self.name):
            raise ValueError(f"Debian package pin: {self.name!r} is not a Debian package name")
        if not self.version or any(c.isspace() for c in self.version):
            raise ValueError(f"Debian package pin {self.name}: version {self.version!r} is empty or has spaces")
        if not self.filename.endswith(".deb") or "/" in self.filename or self.filename.startswith("."):
            raise ValueError(f"Debian package pin {self.name}: filename {self.filename!r} is not a plain .deb name")
        if not re.fullmatch(r"[0-9a-f]{64}", self.sha256):
            raise ValueError(f"Debian package pin {self.name}: sha256 {self.sha256!r} is not 64 lower-case hex digits")

    @property
    def spec(self) -> str:
        """``NAME=VERSION`` as apt-get takes it."""
        return f"{self.name}={self.version}"

    @property
    def what(self) -> str:
        """A few words for messages ("Debian package openttd-opensfx=1.0.3-2")."""
        return f"Debian package {self.spec}"


class DebMemberError(KeyError, ValueError):
    """Requested files are not regular files in a .deb's data; names the .deb and the files.

    Both a KeyError (a name was not found) and a ValueError (the package is not what the
    caller expects), so either ``except`` catches it.

    Attributes:
        deb: the package file.
        missing: the requested names that could not be read.
    """

    def __init__(self, deb: Path, missing: list[str], message: str) -> None:
        super().__init__(message)
        self.deb = deb
        self.missing = missing
        self.message = message

    def __str__(self) -> str:  # KeyError would print the message quoted
        return self.message


# --------------------------------------------------------------------------- fetching


def fetch_deb(pin: DebianPackage, dest: str | os.PathLike) -> Path:
    """Get the pinned .deb into ``dest`` (a file path or an existing folder).

    In order: an already verified file at ``dest`` is kept (no network); a verified copy
    in the folder named by ``DANET_MUSIC2VEC_DOWNLOADS`` is copied; otherwise
    ``apt-get download NAME=VERSION`` runs in a temporary folder beside ``dest`` (no root
    needed once the package lists exist). A downloaded file is also stored in the
    ``DANET_MUSIC2VEC_DOWNLOADS`` folder when that variable is set.

    Returns:
        the verified file.

    Raises:
        RuntimeError: apt-get is not installed, does not know the package or version
            (the message says how to fetch the package lists), fails otherwise (its
            output ends the message), or saves a different file name.
        ValueError: the downloaded file's sha256 differs from the pin (the message names
            the file, expected and actual hash). A failed attempt leaves nothing new at
            ``dest`` and no temporary file.
    """
    dest = Path(dest)
    if dest.is_dir():
        dest = dest / pin.filename
    if dest.is_file() and file_checksum(dest, "sha256") == pin.sha256:
        return dest
    cached = _downloads_folder()
    cached_file = cached / pin.filename if cached is not None else None
    if (cached_file is not None and cached_file.is_file() and not _same_file(cached_file, dest)
            and _copy_if_verified(cached_file, dest, pin.sha256)):
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{pin.name}-", dir=dest.parent) as tmp_dir:
        downloaded = _apt_get_download(pin, Path(tmp_dir))
        actual = file_checksum(downloaded, "sha256")
        if actual != pin.sha256:
            raise ValueError(f"{pin.filename} from apt-get download {pin.spec}: sha256 mismatch: "
                             f"expected {pin.sha256}, got {actual}")
        with atomic_path(dest) as tmp:
            shutil.move(downloaded, tmp)
    if cached_file is not None and not _same_file(cached_file, dest):
        _store_in_downloads(dest, cached_file)
    return dest


def _downloads_folder() -> Path | None:
    value = os.environ.get(DOWNLOADS_ENV, "").strip()
    return Path(value) if value else None


def _same_file(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


class _NotVerified(Exception):
    """Internal: a copy did not verify, so atomic_path must discard it."""


def _copy_if_verified(source: Path, dest: Path, sha256: str) -> bool:
    """Copy ``source`` onto ``dest`` if the copy has ``sha256``; leave nothing otherwise."""
    try:
        with atomic_path(dest) as tmp:
            shutil.copyfile(source, tmp)
            # The copy is hashed, not the source: what lands at dest is what was checked.
            if file_checksum(tmp, "sha256") != sha256:
                raise _NotVerified
    except _NotVerified:
        return False
    return True


def _store_in_downloads(verified: Path, cached_file: Path) -> None:
    """Keep a verified download for the next build; a cache that cannot be written is only a warning."""
    try:
        with atomic_path(cached_file) as tmp:
            shutil.copyfile(verified, tmp)
    except OSError as error:
        warnings.warn(f"{cached_file}: could not store the download in {DOWNLOADS_ENV} ({error})", stacklevel=3)


def _apt_get_download(pin: DebianPackage, folder: Path) -> Path:
    """Run ``apt-get download NAME=VERSION`` in ``folder``; return the pinned file it saved."""
    apt_get = shutil.which("apt-get")
    if apt_get is None:
        raise RuntimeError(
            f"cannot fetch {pin.what}: apt-get is not installed (not on PATH). The default noise "
            f"world is built from Debian packages and needs Debian's apt; on a machine without it, "
            f"use the wheel-only noise world, {WHEELS_ONLY_CONFIG}"
        )
    # C locale: apt's messages are matched below and must not be translated.
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    result = subprocess.run([apt_get, "download", pin.spec], cwd=folder, capture_output=True, text=True,
                            env=env, check=False)
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        if _APT_NOT_FOUND.search(output):
            raise RuntimeError(
                f"apt-get download {pin.spec} failed: apt does not know {pin.spec}. The package lists "
                f"may be missing (a fresh machine or container has none); `apt-get update` (as root) "
                f"fetches them. apt said:\n{output[-2000:]}"
            )
        raise RuntimeError(f"apt-get download {pin.spec} failed ({result.returncode}):\n{output[-2000:]}")
    downloaded = folder / pin.filename
    if not downloaded.is_file():
        found = sorted(p.name for p in folder.iterdir())
        raise RuntimeError(f"apt-get download {pin.spec} gave {found}, not {pin.filename} "
                           "(another architecture, or a filename pin that does not match apt's naming?)")
    return downloaded


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class _ArMember:
    name: str
    start: int  # offset of the member's bytes in the .deb
    size: int


def _ar_members(deb: Path) -> list[_ArMember]:
    """The members of the ``ar`` archive ``deb`` (common format, as dpkg-deb writes it)."""
    total = deb.stat().st_size
    members: list[_ArMember] = []
    with open(deb, "rb") as f:
        if f.read(len(_AR_MAGIC)) != _AR_MAGIC:
            raise ValueError(f"{deb}: not a Debian package (no ar archive header)")
        pos = len(_AR_MAGIC)
        while pos < total:
            f.seek(pos)
            header = f.read(_AR_HEADER_BYTES)
            if len(header) < _AR_HEADER_BYTES or header[58:60] != b"`\n":
                raise ValueError(f"{deb}: truncated or corrupt ar member header at byte {pos}")
            try:
                name = header[:16].decode("ascii").rstrip(" ")
                size_text = header[48:58].decode("ascii").strip()
            except UnicodeDecodeError:
                raise ValueError(f"{deb}: ar member header at byte {pos} is not ASCII") from None
            # GNU ar ends names with "/"; "/" and "//" alone are symbol and long-name tables,
            # "#1/" is BSD's long name: neither belongs in a .deb.
            if name.endswith("/") and name not in ("/", "//"):
                name = name[:-1]
            if not name or name.startswith(("/", "#1/")):
                raise ValueError(f"{deb}: unexpected ar member {name!r} at byte {pos} (symbol table or long name)")
            if not size_text.isdigit():
                raise ValueError(f"{deb}: ar member {name!r} has a malformed size {size_text!r}")
            size = int(size_text)
            start = pos + _AR_HEADER_BYTES
            if start + size > total:
                raise ValueError(f"{deb}: ar member {name!r} is truncated ({size} bytes declared, "
                                 f"{total - start} present)")
            members.append(_ArMember(name, start, size))
            pos = start + size + (size & 1)  # members start on even offsets
    return members


def _data_member(deb: Path) -> tuple[_ArMember, str]:
    """The ``data.tar.*`` member of ``deb`` and the tarfile stream mode that reads it."""
    members = _ar_members(deb)
    names = [m.name for m in members]
    if len(members) < 3 or names[0] != "debian-binary" or not names[1].startswith("control.tar"):
        raise ValueError(f"{deb}: not a Debian package: ar members {names}, expected debian-binary, "
                         "control.tar.*, data.tar.*")
    with open(deb, "rb") as f:
        f.seek(members[0].start)
        format_version = f.read(min(members[0].size, 16))
    if not format_version.startswith(b"2."):
        raise ValueError(f"{deb}: unsupported .deb format version {format_version!r} (expected 2.x)")
    data = [m for m in members if m.name.startswith("data.tar")]
    # deb(5): further members must start with "_" (signatures and such) and are ignored.
    unexpected = [m.name for m in members[2:] if not m.name.startswith(("data.tar", "_"))]
    if len(data) != 1 or unexpected:
        raise ValueError(f"{deb}: not a Debian package: ar members {names}, expected exactly one data.tar.*")
    member = data[0]
    suffix = member.name[len("data.tar"):]
    if suffix == ".zst":
        raise ValueError(f"{deb}: {member.name} is zstd-compressed, which the Python standard library "
                         "cannot read; only data.tar, data.tar.xz, .gz and .bz2 are supported")
    if suffix not in _TAR_MODES:
        raise ValueError(f"{deb}: {member.name}: unsupported data compression (supported: data.tar, "
                         "data.tar.xz, .gz, .bz2)")
    return member, _TAR_MODES[suffix]


class _MemberReader:
    """A read-only file over one ar member's bytes, for tarfile's stream mode."""

    def __init__(self, f: BinaryIO, member: _ArMember) -> None:
        self._f = f
        self._left = member.size
        self.name = member.name
        f.seek(member.start)

    def read(self, size: int = -1) -> bytes:
        if size < 0 or size > self._left:
            size = self._left
        chunk = self._f.read(size)
        self._left -= len(chunk)
        return chunk


def _normalise(name: str) -> str:
    """An archive path without "./" or "/" at the front ("./usr/share/x" -> "usr/share/x")."""
    name = posixpath.normpath("/" + name.replace("\\", "/"))  # "/" first: ".." cannot climb out
    return name.lstrip("/")


@dataclass
class _Listing:
    """What one pass over data.tar learns: the kind of every path and the link targets."""

    kinds: dict[str, str]  # path -> "file", "hardlink", "symlink", "folder" or "other", in archive order
    symlinks: dict[str, str]  # path -> link text as stored
    hardlinks: dict[str, str]  # path -> normalised target path


class _LinkError(Exception):
    """Internal: why a requested name does not end at a regular file."""


def _scan(deb: Path, wanted: set[str], read: dict[str, bytes], follow_links: bool) -> _Listing:
    """Stream data.tar once, reading the regular files in ``wanted`` into ``read``.

    With ``follow_links``, a wanted link's lexical target is added to ``wanted`` as it
    is met, so a target later in the archive is read in this same pass.
    """
    member, mode = _data_member(deb)
    listing = _Listing({}, {}, {})
    try:
        with open(deb, "rb") as f, tarfile.open(fileobj=_MemberReader(f, member), mode=mode,
                                                bufsize=_STREAM_BUFFER_BYTES) as tar:
            while (info := tar.next()) is not None:
                name = _normalise(info.name)
                # A later entry of the same name replaces an earlier one, as when unpacking.
                listing.kinds.pop(name, None)
                listing.symlinks.pop(name, None)
                listing.hardlinks.pop(name, None)
                if info.isreg():
                    listing.kinds[name] = "file"
                    if name in wanted:
                        extracted = tar.extractfile(info)
                        assert extracted is not None  # a regular file always has a stream
                        read[name] = extracted.read()
                elif info.issym():
                    listing.kinds[name] = "symlink"
                    listing.symlinks[name] = info.linkname
                    if follow_links and name in wanted:
                        wanted.add(_lexical_target(name, info.linkname))
                elif info.islnk():
                    listing.kinds[name] = "hardlink"
                    listing.hardlinks[name] = _normalise(info.linkname)
                    if follow_links and name in wanted:
                        wanted.add(_normalise(info.linkname))
                else:
                    listing.kinds[name] = "folder" if info.isdir() else "other"
    except (tarfile.TarError, lzma.LZMAError, zlib.error, EOFError, OSError) as error:
        # gzip's bad data is an OSError too; a missing .deb was reported by _data_member already.
        raise ValueError(f"{deb}: {member.name} is corrupt or truncated "
                         f"({type(error).__name__}: {' '.join(str(error).split())})") from error
    return listing


def _lexical_target(link: str, target: str) -> str:
    """Where a symlink points, ignoring links along the way (a guess made during the pass)."""
    if target.startswith("/"):
        return _normalise(target)
    return _normalise(posixpath.join(posixpath.dirname(link), target))


def _resolve(name: str, listing: _Listing) -> str:
    """The regular file that archive path ``name`` ends at, following symlinks at every component.

    Raises:
        _LinkError: ``name`` is missing, not a regular file, or a link whose target is.
    """
    pending = [p for p in name.split("/") if p]
    done: list[str] = []
    hops = 0
    while pending:
        part = pending.pop(0)
        if part == ".":
            continue
        if part == "..":
            if done:  # as on a file system, ".." at the root stays at the root
                done.pop()
            continue
        path = "/".join([*done, part])
        link = listing.symlinks.get(path)
        if link is None:
            done.append(part)
            continue
        hops += 1
        if hops > _MAX_LINK_HOPS:
            raise _LinkError(f"more than {_MAX_LINK_HOPS} symlinks to follow (a loop?)")
        if link.startswith("/"):
            done = []
        pending = [p for p in link.split("/") if p] + pending
    resolved = "/".join(done)
    for _ in range(_MAX_LINK_HOPS):
        if resolved not in listing.hardlinks:
            break
        resolved = listing.hardlinks[resolved]
    kind = listing.kinds.get(resolved)
    if kind == "file":
        return resolved
    what = "not in the package" if kind is None else f"a {kind}, not a regular file"
    if resolved != name:
        raise _LinkError(f"a link to {resolved!r}, which is {what}")
    raise _LinkError(what)


def deb_data_members(deb: str | os.PathLike) -> list[str]:
    """The regular files in a .deb's data, in archive order ("usr/share/doc/x/copyright").

    Names are normalised without a leading "./"; hard links count as regular files
    (they are on disk once unpacked), symlinks and folders do not.

    Raises:
        ValueError: not a .deb, an odd ar layout, zstd or other unsupported data
            compression, or corrupt data; the message names the file.
    """
    listing = _scan(Path(deb), set(), {}, follow_links=False)
    return [name for name, kind in listing.kinds.items() if kind in ("file", "hardlink")]


def read_deb_members(deb: str | os.PathLike, members: Iterable[str]) -> dict[str, bytes]:
    """The bytes of the requested files of a .deb's data, keyed by the names as given.

    Names may start with "./" or "/". The compressed data.tar stream is read once;
    nothing is written to disk and only the requested files are kept in memory. A
    requested symlink (or one in a folder path) is followed inside the package, relative
    or absolute, up to 8 hops; its target is read in the same pass when it comes later in
    the archive, and in one more pass when it came earlier.

    Raises:
        DebMemberError: (a KeyError and a ValueError) requested names that are not
            regular files in the package, or links whose target is not; names the .deb
            and each of them with the reason.
        ValueError: not a .deb, an odd ar layout, zstd or other unsupported data
            compression, or corrupt data; the message names the file.
    """
    deb = Path(deb)
    requested = {name: _normalise(name) for name in members}
    read: dict[str, bytes] = {}
    listing = _scan(deb, set(requested.values()), read, follow_links=True)

    resolved: dict[str, str] = {}
    reasons: dict[str, str] = {}
    for given, name in requested.items():
        try:
            resolved[given] = _resolve(name, listing)
        except _LinkError as error:
            reasons[given] = str(error)
    if reasons:
        detail = "; ".join(f"{given!r}: {reason}" for given, reason in reasons.items())
        raise DebMemberError(deb, list(reasons), f"{deb}: {len(reasons)} requested file(s) cannot be read "
                             f"from the package data: {detail}")
    earlier = {target for target in resolved.values() if target not in read}
    if earlier:  # link targets that came before their links in the archive
        _scan(deb, earlier, read, follow_links=False)
    return {given: read[target] for given, target in resolved.items()}
