"""The synthetic GTZAN stand-in: layout, determinism, genre character and bad arguments."""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path

import librosa
import numpy as np
import pandas as pd
import pytest
import soundfile as sf

from danet_music2vec.synthetic import music as synth_music
from danet_music2vec.synthetic.music.styles import SPECS
from danet_music2vec.audio import write_wav
from danet_music2vec.data.datasets import scan_gtzan
from danet_music2vec.synthetic.music import GENRES, METADATA_COLUMNS, build_genre, render_clip

SEED = 11
SAMPLE_RATE = 22050


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_digests(folder: Path) -> dict[str, str]:
    return {p.name: digest(p) for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def blues(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    root = tmp_path_factory.mktemp("gtzan")
    table = build_genre(root, "blues", clips_per_genre=4, duration_s=3.0, seed=SEED,
                        clips_per_artist=2)
    return root, table


def test_build_genre_writes_gtzan_layout_with_metadata(blues):
    root, table = blues
    folder = root / "genres" / "blues"
    wavs = sorted(p.name for p in folder.glob("*.wav"))
    assert wavs == [f"blues.{i:05d}.wav" for i in range(4)]
    assert tuple(table.columns) == METADATA_COLUMNS
    on_disk = pd.read_csv(folder / "metadata.csv")
    assert list(on_disk["clip_id"]) == [f"blues.{i:05d}" for i in range(4)]
    # clips_per_artist=2: clips 0,1 share an artist, clips 2,3 another.
    assert list(on_disk["artist"]) == ["blues.artist00"] * 2 + ["blues.artist01"] * 2
    assert (on_disk["seed"] == SEED).all()
    for name in wavs:
        info = sf.info(folder / name)
        assert (info.samplerate, info.channels, info.subtype) == (SAMPLE_RATE, 1, "PCM_16")
        assert info.frames == 3 * SAMPLE_RATE
        audio, _ = sf.read(folder / name, dtype="float32")
        peak_db = 20 * np.log10(np.abs(audio).max())
        assert -6.05 <= peak_db <= -0.95, f"{name}: peak {peak_db:.2f} dBFS"
        assert np.isfinite(audio).all()


def test_dataset_loader_reads_the_synthetic_layout(blues):
    root, _ = blues
    clips = scan_gtzan(root)
    assert len(clips) == 4
    assert set(clips["label"]) == {"blues"}
    assert set(clips["source"]) == {"blues.artist00", "blues.artist01"}


def test_same_seed_gives_byte_identical_files(blues, tmp_path):
    root, _ = blues
    build_genre(tmp_path, "blues", clips_per_genre=4, duration_s=3.0, seed=SEED, clips_per_artist=2)
    assert folder_digests(tmp_path / "genres" / "blues") == folder_digests(root / "genres" / "blues")


def test_a_clip_does_not_depend_on_the_clips_rendered_before_it(blues, tmp_path):
    root, _ = blues
    # build_genre reuses one synth for all clips; a fresh synth must give the same clip 3.
    audio, meta = render_clip("blues", 3, seed=SEED, duration_s=3.0, clips_per_artist=2)
    write_wav(tmp_path / "alone.wav", audio, SAMPLE_RATE, subtype="PCM_16")
    assert digest(tmp_path / "alone.wav") == digest(root / "genres" / "blues" / "blues.00003.wav")
    assert meta["clip_id"] == "blues.00003"


def test_another_seed_gives_other_music():
    first, meta_first = render_clip("rock", 0, seed=1, duration_s=2.0)
    second, meta_second = render_clip("rock", 0, seed=2, duration_s=2.0)
    assert first.shape == second.shape == (2 * SAMPLE_RATE,)
    assert not np.allclose(first, second)
    assert (meta_first["tempo_bpm"], meta_first["key"]) != (meta_second["tempo_bpm"], meta_second["key"])


@pytest.mark.parametrize("genre", GENRES)
def test_every_genre_follows_its_style(genre):
    tempi, instruments = [], []
    for index in range(4):
        audio, meta = render_clip(genre, index, seed=SEED, duration_s=1.0, clips_per_artist=1)
        assert audio.dtype == np.float32 and np.isfinite(audio).all()
        tempi.append(meta["tempo_bpm"])
        instruments.append(meta["instruments"])
    ranges = [variant.tempo for variant in SPECS[genre].variants]
    for tempo in tempi:
        assert any(lo <= tempo <= hi for lo, hi in ranges), f"{genre}: tempo {tempo} outside {ranges}"
    kits = [part.split("=")[1] for text in instruments for part in text.split("|")
            if part.startswith("drums=")]
    if genre == "classical":
        assert kits == [], "classical is strings, piano and winds without drums"
    else:
        assert len(kits) == 4, f"{genre}: every clip has a drum part: {instruments}"
    if genre == "jazz":
        assert set(kits) <= {"Jazz", "Brush"}
    if genre == "hiphop":
        assert set(kits) & {"TR-808", "Electronic"}
    if genre == "metal":
        assert all("Distortion Guitar" in text or "Overdriven Guitar" in text for text in instruments)


def simple_features(audio: np.ndarray) -> list[float]:
    """Spectral centroid, flatness, percussive share, tempo and onset rate of one clip."""
    spectrum = np.abs(librosa.stft(audio, n_fft=1024, hop_length=512))
    harmonic, percussive = librosa.decompose.hpss(spectrum)
    envelope = librosa.onset.onset_strength(S=librosa.amplitude_to_db(spectrum), sr=SAMPLE_RATE)
    onsets = librosa.onset.onset_detect(onset_envelope=envelope, sr=SAMPLE_RATE)
    return [
        float(librosa.feature.spectral_centroid(S=spectrum, sr=SAMPLE_RATE).mean()),
        float(librosa.feature.spectral_flatness(S=spectrum).mean()),
        float(np.log10((percussive**2).sum() / ((harmonic**2).sum() + 1e-12) + 1e-12)),
        float(librosa.feature.tempo(onset_envelope=envelope, sr=SAMPLE_RATE)[0]),
        len(onsets) / (len(audio) / SAMPLE_RATE),
    ]


def best_single_feature_accuracy(first: np.ndarray, second: np.ndarray) -> float:
    """Best accuracy of one threshold on one feature telling two genres apart."""
    labels = np.r_[np.zeros(len(first)), np.ones(len(second))]
    best = 0.0
    for column in range(first.shape[1]):
        values = np.r_[first[:, column], second[:, column]]
        for threshold in values:
            above = (values > threshold) == labels
            best = max(best, above.mean(), 1 - above.mean())
    return best


def test_genres_are_told_apart_by_simple_features():
    clips_per_genre = 6
    features = {
        genre: np.array([simple_features(render_clip(genre, i, seed=SEED, duration_s=4.0,
                                                     clips_per_artist=2)[0])
                         for i in range(clips_per_genre)])
        for genre in GENRES
    }
    weak = [(a, b) for a, b in itertools.combinations(GENRES, 2)
            if best_single_feature_accuracy(features[a], features[b]) < 0.8]
    # "Most pairs": at least 40 of the 45 genre pairs separate on one simple feature.
    assert len(weak) <= 5, f"genre pairs no simple feature separates: {weak}"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"genre": "polka"}, "unknown genre 'polka'"),
        ({"clips_per_genre": 0}, "clips_per_genre must be 1..100"),
        ({"clips_per_genre": 101}, "clips_per_genre must be 1..100"),
        ({"duration_s": 0.0}, "duration_s must be in (0, 30]"),
        ({"duration_s": 31.0}, "duration_s must be in (0, 30]"),
        ({"seed": -1}, "seed must be 0 or more"),
        ({"clips_per_artist": 0}, "clips_per_artist must be 1 or more"),
    ],
)
def test_bad_arguments_are_named(tmp_path, kwargs, message):
    arguments = {"genre": "pop", "clips_per_genre": 1, "duration_s": 1.0, "seed": 0,
                 "clips_per_artist": 1} | kwargs
    with pytest.raises(ValueError) as error:
        build_genre(tmp_path, **arguments)
    assert message in str(error.value)
    assert not (tmp_path / "genres").exists()


def test_missing_soundfont_is_named(tmp_path):
    missing = tmp_path / "nowhere.sf2"
    with pytest.raises(FileNotFoundError, match="nowhere.sf2"):
        build_genre(tmp_path, "pop", clips_per_genre=1, duration_s=1.0, seed=0, soundfont=missing)
    assert not list(tmp_path.glob("genres/pop/*.wav"))
