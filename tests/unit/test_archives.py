"""tests/archives.py itself: the stand-in archives are what the dataset tests take them for."""

from __future__ import annotations

import archives
import pytest
import soundfile as sf

from danet_music2vec.fetch.download import safe_extract


def test_gtzan_helper_writes_garbage_for_corrupt_clips(tmp_path):
    archive = archives.make_gtzan_tarball(tmp_path / "genres.tar.gz", corrupt=["jazz.00001"], seconds=0.2)
    out = safe_extract(archive, tmp_path / "out")
    with pytest.raises(sf.LibsndfileError):
        sf.read(out / "genres/jazz/jazz.00001.wav")
    audio, rate = sf.read(out / "genres/jazz/jazz.00000.wav")
    assert rate == 22050 and audio.shape == (4410,)
    with pytest.raises(ValueError, match="jazz.00099"):
        archives.make_gtzan_tarball(tmp_path / "x.tar.gz", corrupt=["jazz.00099"])


def test_helpers_are_byte_for_byte_deterministic(tmp_path):
    a = archives.make_gtzan_tarball(tmp_path / "a.tar.gz", seconds=0.1)
    b = archives.make_gtzan_tarball(tmp_path / "b.tar.gz", seconds=0.1)
    assert a.read_bytes() == b.read_bytes()
    c = archives.make_esc50_zip(tmp_path / "c.zip", seconds=0.1)
    d = archives.make_esc50_zip(tmp_path / "d.zip", seconds=0.1)
    assert c.read_bytes() == d.read_bytes()
