"""Folders that refuse writes, for tests of atomic outputs: a full tmpfs and a read-only bind mount.

Both need root and CAP_SYS_ADMIN (CI has them); elsewhere the test is skipped, saying why.
Whoever mounts unmounts: ``subprocess.run(["umount", str(folder)], check=True)`` in a finally.
"""

from __future__ import annotations

import errno
import subprocess
from pathlib import Path

import pytest


def mount(*args: str) -> None:
    result = subprocess.run(["mount", *args], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount here (needs root and CAP_SYS_ADMIN): {result.stderr.strip()}")


def mount_full_disk(folder: Path) -> None:
    """A 64 KiB tmpfs at ``folder``, filled to the last byte."""
    mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder))
    try:
        with open(folder / "filler", "wb", buffering=0) as filler:  # unbuffered: nothing left to flush on close
            while True:
                filler.write(b"\0" * 4096)
    except OSError as error:
        if error.errno != errno.ENOSPC:
            subprocess.run(["umount", str(folder)], check=True)
            raise


def mount_read_only(folder: Path, empty: Path) -> None:
    """An empty read-only folder at ``folder`` (root ignores file modes, so chmod would prove nothing)."""
    empty.mkdir()
    mount("-o", "bind,ro", str(empty), str(folder))
