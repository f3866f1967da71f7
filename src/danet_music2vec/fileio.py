"""Atomic file and folder writing: an output either exists complete or not at all."""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator


# Errors of the place an output goes, not of what the caller reads while writing it.
WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG, errno.EIO}


class OutputWriteError(OSError):
    """An output could not be written (disk full, read-only folder, ...); names the output."""


@contextlib.contextmanager
def atomic_path(dest: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; rename it onto ``dest`` on success.

    The temporary name lives in the same folder so the final ``os.replace`` is a
    rename on one file system (atomic). On any exception the temporary file or
    folder is removed and ``dest`` is left untouched. A file-system error (full disk,
    read-only folder) is raised as :class:`OutputWriteError` naming ``dest``: the
    errors themselves often name only the temporary file, or nothing at all.
    """
    dest = Path(dest)
    tmp: Path | None = None
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        tmp.unlink()  # callers create a file or a folder of their own at this name
        yield tmp
        if not tmp.exists():
            raise FileNotFoundError(f"nothing was written for {dest}")
        if dest.is_dir() and not dest.is_symlink():
            shutil.rmtree(dest)
        os.replace(tmp, dest)
    except BaseException as error:
        if tmp is not None:
            remove_path(tmp)
        if isinstance(error, OSError) and not isinstance(error, OutputWriteError) and error.errno in WRITE_ERRORS:
            raise OutputWriteError(error.errno, f"cannot write {dest}: {error.strerror}", str(dest)) from error
        raise


def remove_stale_temporaries(dest: str | os.PathLike) -> list[Path]:
    """Remove the temporaries :func:`atomic_path` left beside ``dest`` when a writer was killed
    (SIGKILL runs no cleanup); returns what was removed. Only for a ``dest`` that one job writes."""
    dest = Path(dest)
    stale = sorted(dest.parent.glob(f".{glob.escape(dest.name)}.*.tmp")) if dest.parent.is_dir() else []
    for path in stale:
        remove_path(path)
    return stale


def remove_path(path: Path) -> None:
    """Remove a file, link or folder if it exists."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink()
