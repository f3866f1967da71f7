"""fetch.debian and fetch.containers: .deb files and sound containers built here, apt-get stood in for.

The .debs, .cat and .rcc files are written by small encoders below (from the formats the
modules document), so nothing needs the network. ``apt-get`` is an external program: the
tests put a stand-in script on PATH, or leave PATH without one, and run the real code.
The last tests read the real packages when a copy is on this machine (not in CI).
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import struct
import sys
import tarfile
import zlib
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from danet_music2vec.fetch.containers import opensfx_cat_entries, qt_rcc_files
from danet_music2vec.fetch.debian import (
    DOWNLOADS_ENV, DebianPackage, DebMemberError, deb_data_members, fetch_deb, read_deb_members,
)

REAL_DEBS = Path("/tmp/noise_sources/debs")

# --------------------------------------------------------------------------- a tiny .deb


def ar_archive(members: list[tuple[str, bytes]]) -> bytes:
    """An ``ar`` archive as dpkg-deb writes it (common format, names padded, 2-byte aligned)."""
    out = bytearray(b"!<arch>\n")
    for name, data in members:
        header = f"{name:<16}{0:<12}{0:<6}{0:<6}{100644:<8}{len(data):<10}".encode("ascii") + b"`\n"
        assert len(header) == 60
        out += header + data + (b"\n" if len(data) % 2 else b"")
    return bytes(out)


def tar_bytes(entries: list[tuple[str, bytes | str | None]], compression: str = "xz") -> bytes:
    """A tar of ``(name, content)``: bytes a file, str a symlink target, None a folder; names as dpkg ("./usr")."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=f"w:{compression}" if compression else "w") as tar:
        for name, content in entries:
            info = tarfile.TarInfo(name)
            if content is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            elif isinstance(content, str):
                info.type, info.linkname = tarfile.SYMTYPE, content
                tar.addfile(info)
            else:
                info.size = len(content)
                tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def write_deb(path: Path, entries: list[tuple[str, bytes | str | None]], data_suffix: str = ".xz",
              data: bytes | None = None) -> Path:
    compression = {".xz": "xz", ".gz": "gz", "": ""}.get(data_suffix, "xz")
    control = tar_bytes([("./control", b"Package: foo\nVersion: 1.0\nArchitecture: all\n")], "xz")
    payload = data if data is not None else tar_bytes(entries, compression)
    path.write_bytes(ar_archive([("debian-binary", b"2.0\n"), ("control.tar.xz", control),
                                 (f"data.tar{data_suffix}", payload)]))
    return path


OGG = b"OggS fake dog bark" * 3
COPYRIGHT = b"Files: *\nLicense: CC0-1.0\n"
WAV_BYTES = b"RIFF fake wav, odd length!"  # odd: the ar member after it needs padding

# Order matters: "earlier.ogg" comes before the link to it (read in a second pass),
# "later.wav" after its link (read in the same pass).
ENTRIES: list[tuple[str, bytes | str | None]] = [
    ("./", None),
    ("./usr", None),
    ("./usr/share", None),
    ("./usr/share/doc/foo/copyright", COPYRIGHT),
    ("./usr/share/sounds/earlier.ogg", OGG),
    ("./usr/share/sounds/dog.ogg", "earlier.ogg"),  # relative symlink, target earlier
    ("./usr/share/sounds/abs.ogg", "/usr/share/sounds/earlier.ogg"),  # absolute symlink
    ("./usr/share/sounds/up.wav", "../media/later.wav"),  # relative with "..", target later
    ("./usr/share/sounds/chain.wav", "up.wav"),  # a link to a link
    ("./usr/share/sounds/dangling.ogg", "gone.ogg"),
    ("./usr/share/sounds/loop1", "loop2"),
    ("./usr/share/sounds/loop2", "loop1"),
    ("./usr/share/media/later.wav", WAV_BYTES),
    ("./usr/share/alias", "media"),  # a symlinked folder
]


@pytest.fixture(scope="module")
def tiny_deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_deb(tmp_path_factory.mktemp("deb") / "foo_1.0_all.deb", ENTRIES)


def test_deb_data_members_lists_regular_files_without_dot_slash(tiny_deb):
    assert deb_data_members(tiny_deb) == [
        "usr/share/doc/foo/copyright", "usr/share/sounds/earlier.ogg", "usr/share/media/later.wav",
    ]


def test_read_deb_members_reads_files_and_follows_symlinks(tiny_deb):
    got = read_deb_members(tiny_deb, [
        "usr/share/doc/foo/copyright", "./usr/share/sounds/earlier.ogg", "usr/share/sounds/dog.ogg",
        "/usr/share/sounds/abs.ogg", "usr/share/sounds/up.wav", "usr/share/sounds/chain.wav",
        "usr/share/alias/later.wav",
    ])
    assert got == {
        "usr/share/doc/foo/copyright": COPYRIGHT,
        "./usr/share/sounds/earlier.ogg": OGG,
        "usr/share/sounds/dog.ogg": OGG,
        "/usr/share/sounds/abs.ogg": OGG,
        "usr/share/sounds/up.wav": WAV_BYTES,
        "usr/share/sounds/chain.wav": WAV_BYTES,
        "usr/share/alias/later.wav": WAV_BYTES,
    }
    assert list(got) == ["usr/share/doc/foo/copyright", "./usr/share/sounds/earlier.ogg",
                         "usr/share/sounds/dog.ogg", "/usr/share/sounds/abs.ogg", "usr/share/sounds/up.wav",
                         "usr/share/sounds/chain.wav", "usr/share/alias/later.wav"]


def test_a_link_to_an_earlier_file_alone_is_read(tiny_deb):
    # The target is not requested and came first: the only way to it is the second pass.
    assert read_deb_members(tiny_deb, ["usr/share/sounds/dog.ogg"]) == {"usr/share/sounds/dog.ogg": OGG}


def test_missing_members_error_names_the_deb_and_every_missing_name(tiny_deb):
    with pytest.raises(DebMemberError) as caught:
        read_deb_members(tiny_deb, ["usr/share/sounds/earlier.ogg", "usr/share/sounds/cat.ogg",
                                    "usr/share/sounds/dangling.ogg", "usr/share/sounds/loop1", "usr/share"])
    error = caught.value
    assert isinstance(error, KeyError) and isinstance(error, ValueError)
    message = str(error)
    assert str(tiny_deb) in message
    assert "'usr/share/sounds/cat.ogg': not in the package" in message
    assert "'usr/share/sounds/dangling.ogg': a link to 'usr/share/sounds/gone.ogg', which is not in the package" \
        in message
    assert "'usr/share/sounds/loop1': more than 8 symlinks" in message
    assert "'usr/share': a folder, not a regular file" in message
    assert error.missing == ["usr/share/sounds/cat.ogg", "usr/share/sounds/dangling.ogg",
                             "usr/share/sounds/loop1", "usr/share"]
    assert "earlier.ogg" not in message  # what is there is not reported


def test_gzip_and_plain_data_tar_are_read(tmp_path):
    for suffix in (".gz", ""):
        deb = write_deb(tmp_path / f"foo{suffix or '-plain'}.deb", ENTRIES, data_suffix=suffix)
        assert read_deb_members(deb, ["usr/share/sounds/chain.wav"]) == {"usr/share/sounds/chain.wav": WAV_BYTES}


def test_zstd_data_is_refused_with_a_clear_message(tmp_path):
    deb = write_deb(tmp_path / "foo.deb", [], data_suffix=".zst", data=b"(\xb5/\xfd not really zstd")
    for read in (deb_data_members, lambda d: read_deb_members(d, ["x"])):
        with pytest.raises(ValueError, match=r"foo\.deb: data\.tar\.zst is zstd-compressed.*standard library"):
            read(deb)


@pytest.mark.parametrize("problem, content, expected", [
    ("not ar", b"PK\x03\x04 a zip file", r"not a Debian package \(no ar archive header\)"),
    ("truncated member", None, r"is truncated"),
    ("bad header", b"!<arch>\n" + b"x" * 70, r"corrupt ar member header"),
    ("no data member", ar_archive([("debian-binary", b"2.0\n"), ("control.tar.xz", b"")]),
     r"expected debian-binary, control\.tar\.\*, data\.tar\.\*"),
    ("format 3", ar_archive([("debian-binary", b"3.0\n"), ("control.tar.xz", b""), ("data.tar.xz", b"")]),
     r"unsupported \.deb format version"),
    ("corrupt xz", ar_archive([("debian-binary", b"2.0\n"), ("control.tar.xz", b""), ("data.tar.xz", b"\xfd7zXZ junk")]),
     r"data\.tar\.xz is corrupt or truncated"),
])
def test_odd_archives_are_refused_naming_the_file(tmp_path, tiny_deb, problem, content, expected):
    deb = tmp_path / "odd.deb"
    deb.write_bytes(content if content is not None else tiny_deb.read_bytes()[:-100])
    with pytest.raises(ValueError, match=expected) as caught:
        deb_data_members(deb)
    assert str(deb) in str(caught.value)


# --------------------------------------------------------------------------- fetch_deb


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def pin(tiny_deb) -> DebianPackage:
    return DebianPackage(name="foo", version="1.0", filename="foo_1.0_all.deb", sha256=sha256_of(tiny_deb))


@pytest.fixture
def no_apt(tmp_path, monkeypatch) -> Path:
    """PATH is one empty folder (no apt-get can be found) and no downloads folder is set."""
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv(DOWNLOADS_ENV, raising=False)
    return empty


def fake_apt_get(folder: Path, body: str) -> Path:
    """A stand-in ``apt-get`` on PATH: a Python script whose ``body`` sees ``args`` (argv[1:])."""
    script = folder / "apt-get"
    script.write_text(f"#!{sys.executable}\nimport shutil, sys\nargs = sys.argv[1:]\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def saving(source: Path, log: Path) -> str:
    """Body of a fake apt-get that logs its arguments and saves ``source`` into its cwd under the pin's name."""
    return (f"open({str(log)!r}, 'a').write(' '.join(args) + '\\n')\n"
            f"shutil.copyfile({str(source)!r}, 'foo_1.0_all.deb')\n")


def test_a_verified_file_at_dest_is_kept_without_apt(tmp_path, tiny_deb, pin, no_apt):
    dest = tmp_path / "resources" / pin.filename
    dest.parent.mkdir()
    dest.write_bytes(tiny_deb.read_bytes())
    before = dest.stat()
    assert fetch_deb(pin, dest.parent) == dest  # a folder: the pin's filename is used
    assert fetch_deb(pin, dest) == dest
    assert dest.stat().st_ino == before.st_ino and dest.stat().st_mtime_ns == before.st_mtime_ns


def test_without_apt_the_error_names_apt_and_the_wheel_only_config(tmp_path, pin, no_apt):
    dest = tmp_path / "resources"
    dest.mkdir()
    with pytest.raises(RuntimeError) as caught:
        fetch_deb(pin, dest)
    message = str(caught.value)
    assert "apt-get is not installed" in message and "Debian's apt" in message
    assert "config/noise_wheels_only.yaml" in message and "foo=1.0" in message
    assert list(dest.iterdir()) == []


def test_the_downloads_folder_copy_is_used_when_it_verifies(tmp_path, tiny_deb, pin, no_apt, monkeypatch):
    cache = tmp_path / "downloads"
    cache.mkdir()
    (cache / pin.filename).write_bytes(tiny_deb.read_bytes())
    monkeypatch.setenv(DOWNLOADS_ENV, str(cache))
    dest = tmp_path / "resources" / "debs" / pin.filename  # its folder does not exist yet
    assert fetch_deb(pin, dest) == dest
    assert sha256_of(dest) == pin.sha256
    assert sorted(p.name for p in dest.parent.iterdir()) == [pin.filename]  # no temporary left


def test_wrong_copies_at_dest_and_in_the_downloads_folder_are_not_used(tmp_path, pin, no_apt, monkeypatch):
    cache = tmp_path / "downloads"
    cache.mkdir()
    (cache / pin.filename).write_bytes(b"a stale, corrupt download")
    monkeypatch.setenv(DOWNLOADS_ENV, str(cache))
    dest = tmp_path / "resources" / pin.filename
    dest.parent.mkdir()
    dest.write_bytes(b"an older version")
    with pytest.raises(RuntimeError, match="apt-get is not installed"):  # it went on to apt: neither was used
        fetch_deb(pin, dest)
    assert dest.read_bytes() == b"an older version"  # a failed attempt leaves what was there
    assert sorted(p.name for p in dest.parent.iterdir()) == [pin.filename]


def test_apt_get_download_is_run_verified_and_stored_in_the_downloads_folder(tmp_path, tiny_deb, pin, no_apt,
                                                                            monkeypatch):
    log = tmp_path / "apt.log"
    fake_apt_get(no_apt, saving(tiny_deb, log))
    cache = tmp_path / "downloads"
    cache.mkdir()
    (cache / pin.filename).write_bytes(b"corrupt")
    monkeypatch.setenv(DOWNLOADS_ENV, str(cache))
    dest = tmp_path / "resources"
    dest.mkdir()

    assert fetch_deb(pin, dest) == dest / pin.filename
    assert log.read_text() == "download foo=1.0\n"
    assert sha256_of(dest / pin.filename) == pin.sha256
    assert sorted(p.name for p in dest.iterdir()) == [pin.filename]  # the temporary folder is gone
    assert sha256_of(cache / pin.filename) == pin.sha256  # the corrupt copy was replaced

    (dest / pin.filename).unlink()
    assert fetch_deb(pin, dest) == dest / pin.filename  # the second time from the downloads folder
    assert log.read_text() == "download foo=1.0\n"


def test_a_download_with_the_wrong_sha256_is_refused_and_leaves_nothing(tmp_path, tiny_deb, no_apt):
    fake_apt_get(no_apt, saving(tiny_deb, tmp_path / "apt.log"))
    wrong = DebianPackage(name="foo", version="1.0", filename="foo_1.0_all.deb", sha256="0" * 64)
    dest = tmp_path / "resources"
    dest.mkdir()
    with pytest.raises(ValueError) as caught:
        fetch_deb(wrong, dest)
    message = str(caught.value)
    assert "foo_1.0_all.deb" in message and "0" * 64 in message and sha256_of(tiny_deb) in message
    assert list(dest.iterdir()) == []


def test_an_unknown_version_says_the_package_lists_may_be_missing(tmp_path, pin, no_apt):
    fake_apt_get(no_apt, "print(\"E: Version '1.0' for 'foo' was not found\", file=sys.stderr)\nsys.exit(100)")
    dest = tmp_path / "resources"
    dest.mkdir()
    with pytest.raises(RuntimeError) as caught:
        fetch_deb(pin, dest)
    message = str(caught.value)
    assert "foo=1.0" in message and "package lists" in message and "`apt-get update` (as root)" in message
    assert "E: Version '1.0' for 'foo' was not found" in message
    assert list(dest.iterdir()) == []


def test_apt_saving_another_file_name_is_an_error(tmp_path, tiny_deb, pin, no_apt):
    fake_apt_get(no_apt, f"shutil.copyfile({str(tiny_deb)!r}, 'foo_1.0_amd64.deb')")
    with pytest.raises(RuntimeError, match=r"gave \['foo_1\.0_amd64\.deb'\], not foo_1\.0_all\.deb"):
        fetch_deb(pin, tmp_path)


@pytest.mark.parametrize("field, value", [("name", "Foo Bar"), ("version", ""), ("filename", "../x.deb"),
                                          ("sha256", "abc")])
def test_a_malformed_pin_is_refused(pin, field, value):
    fields = {"name": pin.name, "version": pin.version, "filename": pin.filename, "sha256": pin.sha256}
    with pytest.raises(ValueError, match="Debian package pin"):
        DebianPackage(**{**fields, field: value})


def test_pin_names_itself_for_messages(pin):
    assert pin.spec == "foo=1.0" and pin.what == "Debian package foo=1.0"


# --------------------------------------------------------------------------- OpenSFX .cat


def wav_bytes(frames: int, samplerate: int = 22050, seed: int = 0) -> bytes:
    buffer = io.BytesIO()
    tone = np.random.default_rng(seed).uniform(-0.5, 0.5, frames).astype(np.float32)
    sf.write(buffer, tone, samplerate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def encode_cat(entries: list[tuple[str, bytes, str]]) -> bytes:
    """An OpenSFX catalogue of ``(name, wav, source filename)``, laid out as catcodec writes it."""
    table, body = bytearray(), bytearray()
    offset = 8 * len(entries)
    for name, wav, filename in entries:
        raw_name, raw_filename = name.encode() + b"\0", filename.encode() + b"\0"
        entry = bytes([len(raw_name)]) + raw_name + wav + b"\0" + bytes([len(raw_filename)]) + raw_filename
        table += struct.pack("<II", offset | 0x8000_0000, len(wav))
        body += entry
        offset += len(entry)
    return bytes(table + body)


CAT_ENTRIES = [
    ('"Good Year". By Janis Lukss. License: Creative Commons Attribution 3.0 Unported.', wav_bytes(441, seed=1),
     "src/wav/osfx_00.wav"),
    ("Unused/Nothing. Trivial empty sound file.", wav_bytes(0), "src/wav/osfx_01.wav"),
    ('"Caf\u00e9 bell"', wav_bytes(1000, 44100, seed=2), "src/wav/osfx_02.wav"),
]


def test_opensfx_cat_entries_gives_names_and_complete_wavs_in_order():
    entries = opensfx_cat_entries(encode_cat(CAT_ENTRIES))
    assert [(name, wav) for name, wav in entries] == [(name, wav) for name, wav, _ in CAT_ENTRIES]
    audio, rate = sf.read(io.BytesIO(entries[2][1]))
    assert rate == 44100 and len(audio) == 1000


@pytest.mark.parametrize("damage, expected", [
    (lambda b: b[:5], r"too short"),
    (lambda b: b[:-200], r"entry 2: WAV of \d+ bytes runs past the end"),
    (lambda b: struct.pack("<I", 24) + b[4:], r"not a new-format \(OpenSFX\) sample catalogue"),
    (lambda b: struct.pack("<I", 0x8000_0000 | 23) + b[4:], r"malformed catalogue table"),
    (lambda b: b.replace(b"RIFF", b"RIFX", 1), r"entry 0: does not hold a RIFF/WAVE file"),
    (lambda b: b[:8] + struct.pack("<II", 0x8000_0000 | 10**8, 44) + b[16:], r"entry 1: offset 100000000"),
    (lambda b: b[:12] + struct.pack("<I", 45) + b[16:], r"entry 1: RIFF length 36 \+ 8 differs"),
])
def test_malformed_cat_data_is_refused_naming_the_source(damage, expected):
    with pytest.raises(ValueError, match=r"^sounds/x\.cat: .*" + expected):
        opensfx_cat_entries(damage(encode_cat(CAT_ENTRIES)), source="sounds/x.cat")


# --------------------------------------------------------------------------- Qt .rcc


def encode_rcc(files: dict[str, tuple[bytes, int]], version: int = 3) -> bytes:
    """A Qt resource bundle of ``{path: (content, flags)}``; flag 1 stores the content zlib-compressed."""
    root: dict = {}
    for path, entry in files.items():
        *folders, leaf = path.split("/")
        folder = root
        for part in folders:
            folder = folder.setdefault(part, {})
        folder[leaf] = entry
    names, name_offsets, payload = bytearray(), {}, bytearray()

    def name_offset(name: str) -> int:
        if name not in name_offsets:
            encoded = name.encode("utf-16-be")
            name_offsets[name] = len(names)
            names.extend(struct.pack(">HI", len(encoded) // 2, zlib.crc32(encoded)) + encoded)
        return name_offsets[name]

    nodes: list[bytes] = [b""]
    queue = [(0, "", root)]  # breadth first, as rcc writes it: a folder's children are consecutive
    while queue:
        index, name, item = queue.pop(0)
        if isinstance(item, dict):
            first = len(nodes)
            nodes.extend([b""] * len(item))
            node = struct.pack(">IHII", name_offset(name) if index else 0, 0x02, len(item), first)
            queue.extend((first + k, child, sub) for k, (child, sub) in enumerate(sorted(item.items())))
        else:
            content, flags = item
            stored = struct.pack(">I", len(content)) + zlib.compress(content) if flags & 1 else content
            node = struct.pack(">IHHHI", name_offset(name), flags, 0, 0, len(payload))
            payload.extend(struct.pack(">I", len(stored)) + stored)
        nodes[index] = node + (b"\0" * 8 if version >= 2 else b"")
    header_bytes = 24 if version >= 3 else 20
    data_at = header_bytes
    names_at = data_at + len(payload)
    tree_at = names_at + len(names)
    header = b"qres" + struct.pack(">IIII", version, tree_at, data_at, names_at)
    header += struct.pack(">I", 0) if version >= 3 else b""
    return header + bytes(payload) + bytes(names) + b"".join(nodes)


DOG = b"OggS" + bytes(range(256)) * 4
RCC_FILES = {
    "gcompris/src/activities/explore_farm_animals/resource/animals/dog.ogg": (DOG, 0),
    "gcompris/src/activities/explore_farm_animals/resource/README": (b"GPL-3 " * 50, 1),  # zlib
    "gcompris/src/activities/explore_farm_animals/resource/animals/\u00e9t\u00e9.wav": (b"RIFF", 0),
    "top.txt": (b"", 0),
}


@pytest.mark.parametrize("version", [1, 2, 3])
def test_qt_rcc_files_gives_every_file_by_path_uncompressed(version):
    files = qt_rcc_files(encode_rcc(RCC_FILES, version))
    assert files == {path: content for path, (content, _) in RCC_FILES.items()}


def test_zlib_entries_are_really_stored_compressed():
    data = encode_rcc(RCC_FILES)
    assert b"GPL-3 GPL-3" not in data  # the test bundle does exercise the zlib path
    assert qt_rcc_files(data)["gcompris/src/activities/explore_farm_animals/resource/README"] == b"GPL-3 " * 50


def test_zstd_rcc_entries_are_refused_naming_the_entry():
    data = encode_rcc({"a/b.ogg": (b"(\xb5/\xfd...", 4)})
    with pytest.raises(ValueError, match=r"^x\.rcc: a/b\.ogg is zstd-compressed \(rcc flag 4\)"):
        qt_rcc_files(data, source="x.rcc")


@pytest.mark.parametrize("damage, expected", [
    (lambda b: b"qrez" + b[4:], r"not a Qt resource bundle"),
    (lambda b: b[:4] + struct.pack(">I", 4) + b[8:], r"unsupported Qt resource format version 4"),
    (lambda b: b[:-30], r"past the end of the file"),
    (lambda b: b[:8] + struct.pack(">I", len(b)) + b[12:], r"tree node 0 lies past the end"),
])
def test_malformed_rcc_data_is_refused_naming_the_source(damage, expected):
    with pytest.raises(ValueError, match=r"^y\.rcc: .*" + expected):
        qt_rcc_files(damage(encode_rcc(RCC_FILES)), source="y.rcc")


def test_rcc_names_that_would_leave_the_folder_are_refused():
    with pytest.raises(ValueError, match=r"unsafe or empty name '\.\.'"):
        qt_rcc_files(encode_rcc({"../evil": (b"x", 0)}), source="z.rcc")


# --------------------------------------------------------------------------- the real packages


def real_deb(pattern: str) -> Path:
    found = sorted(REAL_DEBS.glob(pattern))
    if not found:
        pytest.skip(f"no {pattern} in {REAL_DEBS} (the real packages are only on the development machine)")
    return found[0]


def test_real_opensfx_cat_gives_73_complete_wavs_that_decode():
    deb = real_deb("openttd-opensfx_1.0.3-2_all.deb")
    cat = "usr/share/games/openttd/baseset/opensfx/opensfx.cat"
    entries = opensfx_cat_entries(read_deb_members(deb, [cat])[cat], source=f"{deb.name}:{cat}")
    assert len(entries) == 73
    empty = []
    for index, (name, wav) in enumerate(entries):
        info = sf.info(io.BytesIO(wav))
        # Complete: the frames fill the data chunk exactly (a cut-off WAV would have fewer).
        data_chunk = wav.index(b"data")
        assert info.frames * info.channels * 2 == struct.unpack_from("<I", wav, data_chunk + 4)[0], name
        if info.frames == 0:
            empty.append(index)
        else:
            audio, _ = sf.read(io.BytesIO(wav))
            assert len(audio) == info.frames and np.abs(audio).max() > 0, name
    assert empty == [34, 50]  # the two "Unused/Nothing" placeholders
    assert entries[0][0].startswith('"Good Year". By Janis Lukss.')


def test_real_gcompris_rcc_yields_the_dog_recording():
    deb = real_deb("gcompris-qt-data_3.1-2_all.deb")
    rcc = "usr/share/gcompris-qt/rcc/explore_farm_animals.rcc"
    files = qt_rcc_files(read_deb_members(deb, [rcc])[rcc], source=rcc)
    dog = files["gcompris/src/activities/explore_farm_animals/resource/animals/dog.ogg"]
    audio, rate = sf.read(io.BytesIO(dog))
    assert rate > 0 and len(audio) / rate > 0.3 and np.abs(audio).max() > 0.05
    assert sum(name.endswith(".ogg") for name in files) == 9  # the farm animals' calls
    assert all(not name.startswith("/") for name in files)


def test_fetch_deb_reuses_the_real_download_without_apt(tmp_path, no_apt, monkeypatch):
    deb = real_deb("openttd-opensfx_1.0.3-2_all.deb")
    pin = DebianPackage("openttd-opensfx", "1.0.3-2", deb.name,
                        "2898b4677a3caccc4abc08fb4cf83319047b5a04729291deb5c77a8cd713c006")
    monkeypatch.setenv(DOWNLOADS_ENV, str(REAL_DEBS))
    dest = tmp_path / "resources"
    assert sha256_of(fetch_deb(pin, dest / deb.name)) == pin.sha256
    assert os.listdir(dest) == [deb.name]
