"""synthetic.music.render: the synthetic GTZAN stand-in's layout and metadata, byte-identical
determinism, clips independent of each other, and bad arguments named."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import soundfile as sf

from danet_music2vec.audio import write_wav
from danet_music2vec.data.datasets import scan_gtzan
from danet_music2vec.synthetic.music import METADATA_COLUMNS, build_genre, render_clip

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
