"""fetch.download: downloads against a real HTTP server on 127.0.0.1, checksums, safe extraction."""

from __future__ import annotations

import csv
import hashlib
import os
import socket
from pathlib import Path

import archives
import pytest
import soundfile as sf

from danet_music2vec.fetch.download import (
    ArchiveError, DownloadError, UnsafeArchiveError, download, file_checksum, parse_checksum, safe_extract,
)

# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def gtzan_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = archives.make_gtzan_tarball(tmp_path_factory.mktemp("gtzan") / "genres.tar.gz")
    return path.read_bytes()


@pytest.fixture(scope="module")
def esc50_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = archives.make_esc50_zip(tmp_path_factory.mktemp("esc50") / "master.zip", seconds=1.0)
    return path.read_bytes()


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def md5(data: bytes) -> str:
    return "md5:" + hashlib.md5(data).hexdigest()


def assert_folder_empty(folder: Path) -> None:
    """Nothing at all in ``folder``: no dest, no hidden temporary file."""
    assert sorted(p.name for p in folder.iterdir()) == []


def tree(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


# --------------------------------------------------------------------------- downloads that succeed


def test_http_tarball_verified_by_sha256_extracts_to_gtzan_layout(http_server, gtzan_bytes, tmp_path):
    url = http_server.serve("/genres.tar.gz", gtzan_bytes)
    dest = tmp_path / "dl" / "genres.tar.gz"

    assert download(url, dest, checksum=sha256(gtzan_bytes), progress=False) == dest
    assert dest.read_bytes() == gtzan_bytes
    assert [p.name for p in dest.parent.iterdir()] == ["genres.tar.gz"]

    out = safe_extract(dest, tmp_path / "extracted")
    assert out == tmp_path / "extracted"
    assert tree(out) == {
        "genres",
        "genres/blues",
        "genres/blues/blues.00000.wav",
        "genres/blues/blues.00001.wav",
        "genres/jazz",
        "genres/jazz/jazz.00000.wav",
        "genres/jazz/jazz.00001.wav",
    }
    info = sf.info(out / "genres/jazz/jazz.00001.wav")
    assert (info.samplerate, info.channels, info.subtype, info.frames) == (22050, 1, "PCM_16", 22050)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_http_download_verified_by_md5_and_uppercase_digest(http_server, gtzan_bytes, tmp_path):
    url = http_server.serve("/genres.tar.gz", gtzan_bytes)
    download(url, tmp_path / "a.tar.gz", checksum=md5(gtzan_bytes), progress=False)
    upper = "MD5:" + hashlib.md5(gtzan_bytes).hexdigest().upper()
    download(url, tmp_path / "b.tar.gz", checksum=upper, progress=False)
    assert (tmp_path / "a.tar.gz").read_bytes() == (tmp_path / "b.tar.gz").read_bytes() == gtzan_bytes


def test_http_download_without_content_length_still_verified(http_server, gtzan_bytes, tmp_path):
    url = http_server.serve("/genres.tar.gz", gtzan_bytes, mode="nolength")
    dest = download(url, tmp_path / "g.tar.gz", checksum=sha256(gtzan_bytes), progress=False)
    assert dest.read_bytes() == gtzan_bytes


def test_http_esc50_zip_verified_extracts_to_esc50_layout(http_server, esc50_bytes, tmp_path):
    url = http_server.serve("/master.zip", esc50_bytes)
    archive = download(url, tmp_path / "master.zip", checksum=sha256(esc50_bytes), progress=False)

    out = safe_extract(archive, tmp_path / "esc50")
    meta = out / "ESC-50-master" / "meta" / "esc50.csv"
    with open(meta, newline="") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames) == ("filename", "fold", "target", "category", "esc10", "src_file", "take")
        rows = list(reader)
    # sorted by file name, fold first, as the real esc50.csv
    assert [(r["category"], r["target"]) for r in rows] == [("dog", "0"), ("rain", "10"), ("dog", "0"), ("rain", "10")]
    assert [r["filename"] for r in rows] == sorted(r["filename"] for r in rows)
    audio_dir = out / "ESC-50-master" / "audio"
    assert sorted(p.name for p in audio_dir.iterdir()) == sorted(r["filename"] for r in rows)
    for row in rows:
        fold, src_file, take, target = row["filename"].removesuffix(".wav").split("-")
        assert (fold, src_file, take, target) == (row["fold"], row["src_file"], row["take"], row["target"])
        info = sf.info(audio_dir / row["filename"])
        assert (info.samplerate, info.channels, info.subtype) == (44100, 1, "PCM_16")


def test_progress_bar_goes_to_stderr_only_when_enabled(http_server, gtzan_bytes, tmp_path, capsys):
    url = http_server.serve("/genres.tar.gz", gtzan_bytes)
    download(url, tmp_path / "quiet.tar.gz", checksum=sha256(gtzan_bytes), progress=False)
    quiet = capsys.readouterr()
    assert quiet.out == "" and quiet.err == ""
    download(url, tmp_path / "loud.tar.gz", checksum=sha256(gtzan_bytes), progress=True)
    loud = capsys.readouterr()
    assert loud.out == "" and "loud.tar.gz" in loud.err


def test_no_checksum_downloads_but_warns_unverified_on_stderr(http_server, gtzan_bytes, tmp_path, capsys):
    url = http_server.serve("/genres.tar.gz", gtzan_bytes)
    dest = download(url, tmp_path / "g.tar.gz", checksum=None, progress=False)
    assert dest.read_bytes() == gtzan_bytes
    err = capsys.readouterr().err
    assert "WARNING" in err and "unverified" in err and url in err


# --------------------------------------------------------------------------- downloads that fail


def test_checksum_mismatch_names_url_expected_and_actual_and_leaves_nothing(http_server, gtzan_bytes, tmp_path):
    url = http_server.serve("/genres.tar.gz", gtzan_bytes)
    wrong = "sha256:" + "0" * 64
    folder = tmp_path / "dl"
    folder.mkdir()

    with pytest.raises(DownloadError) as excinfo:
        download(url, folder / "genres.tar.gz", checksum=wrong, progress=False)
    message = str(excinfo.value)
    assert url in message
    assert wrong in message
    assert sha256(gtzan_bytes) in message
    assert_folder_empty(folder)


def test_md5_mismatch_reports_md5_digests(http_server, gtzan_bytes, tmp_path):
    url = http_server.serve("/genres.tar.gz", gtzan_bytes)
    with pytest.raises(DownloadError, match="expected md5:f{32}, got " + md5(gtzan_bytes)):
        download(url, tmp_path / "g.tar.gz", checksum="md5:" + "f" * 32, progress=False)
    assert_folder_empty(tmp_path)


def test_truncated_transfer_raises_and_leaves_nothing(http_server, gtzan_bytes, tmp_path):
    url = http_server.serve("/genres.tar.gz", gtzan_bytes, mode="truncate")
    with pytest.raises(DownloadError, match="truncated") as excinfo:
        # checksum=None: the length check alone must catch it
        download(url, tmp_path / "genres.tar.gz", checksum=None, progress=False)
    assert url in str(excinfo.value)
    assert str(len(gtzan_bytes)) in str(excinfo.value)
    assert_folder_empty(tmp_path)


def test_connection_reset_mid_transfer_raises_and_leaves_nothing(http_server, gtzan_bytes, tmp_path):
    url = http_server.serve("/genres.tar.gz", gtzan_bytes, mode="reset")
    with pytest.raises(DownloadError) as excinfo:
        download(url, tmp_path / "genres.tar.gz", checksum=sha256(gtzan_bytes), progress=False)
    assert url in str(excinfo.value)
    assert_folder_empty(tmp_path)


def test_http_404_names_url_and_leaves_nothing(http_server, tmp_path):
    url = http_server.base + "/missing.tar.gz"
    with pytest.raises(DownloadError, match="404") as excinfo:
        download(url, tmp_path / "genres.tar.gz", checksum="sha256:" + "0" * 64, progress=False)
    assert url in str(excinfo.value)
    assert_folder_empty(tmp_path)


def test_connection_refused_names_url_and_leaves_nothing(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/genres.tar.gz"
    with pytest.raises(DownloadError) as excinfo:
        download(url, tmp_path / "genres.tar.gz", checksum=None, timeout_s=5, progress=False)
    assert url in str(excinfo.value)
    assert_folder_empty(tmp_path)


def test_unsupported_url_scheme_is_refused(tmp_path):
    with pytest.raises(DownloadError, match="ftp://example.org/x.zip.*unsupported URL scheme"):
        download("ftp://example.org/x.zip", tmp_path / "x.zip", checksum=None, progress=False)
    assert_folder_empty(tmp_path)


def test_failed_download_does_not_touch_an_existing_dest(http_server, tmp_path):
    dest = tmp_path / "genres.tar.gz"
    dest.write_bytes(b"previous")
    with pytest.raises(DownloadError):
        download(http_server.base + "/missing.tar.gz", dest, checksum=None, progress=False)
    assert dest.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["genres.tar.gz"]


# --------------------------------------------------------------------------- local sources


@pytest.mark.parametrize("as_url", [False, True], ids=["local-path", "file-url"])
def test_local_source_is_copied_and_verified(gtzan_bytes, tmp_path, as_url):
    src = tmp_path / "cache" / "genres.tar.gz"
    src.parent.mkdir()
    src.write_bytes(gtzan_bytes)
    source = src.as_uri() if as_url else str(src)
    dest = tmp_path / "dl" / "genres.tar.gz"

    assert download(source, dest, checksum=md5(gtzan_bytes), progress=False) == dest
    assert dest.read_bytes() == gtzan_bytes
    assert src.read_bytes() == gtzan_bytes  # copied, not moved

    with pytest.raises(DownloadError) as excinfo:
        download(source, tmp_path / "dl" / "bad.tar.gz", checksum="sha256:" + "1" * 64, progress=False)
    assert source in str(excinfo.value) and sha256(gtzan_bytes) in str(excinfo.value)
    assert [p.name for p in dest.parent.iterdir()] == ["genres.tar.gz"]


@pytest.mark.parametrize("as_url", [False, True], ids=["local-path", "file-url"])
def test_missing_local_source_raises_naming_it(tmp_path, as_url):
    src = tmp_path / "nowhere.tar.gz"
    source = src.as_uri() if as_url else str(src)
    out = tmp_path / "dl"
    with pytest.raises(DownloadError) as excinfo:
        download(source, out / "genres.tar.gz", checksum=None, progress=False)
    assert source in str(excinfo.value)
    assert not out.exists() or not any(out.iterdir())


# --------------------------------------------------------------------------- checksums


@pytest.mark.parametrize(
    ("checksum", "problem"),
    [
        ("d41d8cd98f00b204e9800998ecf8427e", "algorithm"),  # no prefix
        ("sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709", "unsupported algorithm 'sha1'"),
        ("md5:xyz", "not hexadecimal"),
        ("md5:", "not hexadecimal"),
        ("sha256:abc123", "64 hex digits, got 6"),
        ("md5:" + "a" * 64, "32 hex digits, got 64"),
        ("", "expected '<algorithm>:<hex digest>'"),
    ],
)
def test_malformed_checksum_raises_value_error_naming_problem(checksum, problem):
    with pytest.raises(ValueError) as excinfo:
        parse_checksum(checksum)
    assert problem in str(excinfo.value)
    assert repr(checksum) in str(excinfo.value)


def test_malformed_checksum_fails_download_before_fetching(tmp_path):
    with pytest.raises(ValueError, match="malformed checksum"):
        download("http://127.0.0.1:9/never.tar.gz", tmp_path / "x.tar.gz", checksum="sha256:nope", progress=False)
    assert_folder_empty(tmp_path)


def test_parse_checksum_normalises_case_and_whitespace():
    assert parse_checksum(" SHA256:" + "AB" * 32 + " ") == ("sha256", "ab" * 32)
    assert parse_checksum("md5:" + "0f" * 16) == ("md5", "0f" * 16)


def test_file_checksum_matches_hashlib(tmp_path):
    data = os.urandom(3 * 1024 * 1024 + 17)  # spans several read chunks
    path = tmp_path / "blob"
    path.write_bytes(data)
    assert file_checksum(path, "sha256") == hashlib.sha256(data).hexdigest()
    assert file_checksum(path, "md5") == hashlib.md5(data).hexdigest()
    with pytest.raises(ValueError, match="sha1"):
        file_checksum(path, "sha1")


# --------------------------------------------------------------------------- extraction


@pytest.mark.parametrize("suffix", [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz"])
def test_every_tar_compression_extracts(tmp_path, suffix):
    archive = archives.make_gtzan_tarball(tmp_path / f"genres{suffix}", genres=("rock",), clips_per_genre=1, seconds=0.1)
    out = safe_extract(archive, tmp_path / "out")
    assert tree(out) == {"genres", "genres/rock", "genres/rock/rock.00000.wav"}


def test_extract_replaces_existing_dest_folder(tmp_path):
    archive = archives.make_gtzan_tarball(tmp_path / "genres.tar.gz", genres=("pop",), clips_per_genre=1, seconds=0.1)
    out = tmp_path / "out"
    (out / "stale").mkdir(parents=True)
    safe_extract(archive, out)
    assert tree(out) == {"genres", "genres/pop", "genres/pop/pop.00000.wav"}


def _assert_refused(archive: Path, tmp_path: Path, kind: str) -> None:
    dest = tmp_path / "out"
    with pytest.raises(UnsafeArchiveError) as excinfo:
        safe_extract(archive, dest)
    member = archives.unsafe_member_name(archive, kind)
    assert str(archive) in str(excinfo.value)
    assert member in str(excinfo.value)
    assert excinfo.value.member == member
    assert isinstance(excinfo.value, DownloadError)
    assert not dest.exists()
    # nothing escaped into the archive's folder (where dotdot/absolute/links point) and no temp dir left
    assert sorted(p.name for p in tmp_path.iterdir()) == [archive.name]


@pytest.mark.parametrize("kind", archives.UNSAFE_TAR_KINDS)
def test_unsafe_tarball_is_refused_and_nothing_is_written(tmp_path, kind):
    archive = archives.make_unsafe_tarball(tmp_path / f"unsafe-{kind}.tar.gz", kind)
    _assert_refused(archive, tmp_path, kind)


@pytest.mark.parametrize("kind", archives.UNSAFE_ZIP_KINDS)
def test_unsafe_zip_is_refused_and_nothing_is_written(tmp_path, kind):
    archive = archives.make_unsafe_zip(tmp_path / f"unsafe-{kind}.zip", kind)
    _assert_refused(archive, tmp_path, kind)


def test_tar_device_and_fifo_members_are_refused(tmp_path):
    import tarfile

    for kind in (tarfile.CHRTYPE, tarfile.BLKTYPE, tarfile.FIFOTYPE):
        info = tarfile.TarInfo("genres/dev")
        info.type = kind
        archive = archives.write_tar(tmp_path / "dev.tar", [(info, None)])
        with pytest.raises(UnsafeArchiveError, match="genres/dev"):
            safe_extract(archive, tmp_path / "out")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["dev.tar"]


@pytest.mark.parametrize("name", ["genres.tar.gz", "master.zip", "genres.tar"])
def test_corrupt_archive_raises_error_naming_archive(tmp_path, name):
    archive = tmp_path / name
    archive.write_bytes(os.urandom(4096))
    with pytest.raises(ArchiveError) as excinfo:
        safe_extract(archive, tmp_path / "out")
    assert str(archive) in str(excinfo.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


@pytest.mark.parametrize("name", ["genres.tar.gz", "master.zip"])
def test_truncated_archive_raises_and_extracts_nothing(tmp_path, name):
    full = tmp_path / "full"
    full.mkdir()
    if name.endswith(".zip"):
        good = archives.make_esc50_zip(full / name, seconds=0.5)
    else:
        good = archives.make_gtzan_tarball(full / name, seconds=0.5)
    archive = tmp_path / name
    archive.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ArchiveError, match=str(archive)):
        safe_extract(archive, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full", name]


def test_unknown_archive_type_and_missing_archive_are_errors(tmp_path):
    odd = tmp_path / "genres.rar"
    odd.write_bytes(b"Rar!")
    with pytest.raises(ArchiveError, match="unsupported archive type"):
        safe_extract(odd, tmp_path / "out")
    with pytest.raises(ArchiveError, match="not an existing file"):
        safe_extract(tmp_path / "absent.zip", tmp_path / "out")
    assert not (tmp_path / "out").exists()
