"""Small real inputs the unit tests of several modules share, and the settings they train with.

Plain functions; ``tests/unit/conftest.py`` turns them into session fixtures, so a feature
file, a trained DANet or a music2vec cache is built once however many test files read it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import archives
import numpy as np
import pandas as pd
import soundfile as sf

from danet_music2vec.audio import load_audio
from danet_music2vec.data.features import StftParams, write_features
from danet_music2vec.data.items import clean_items
from danet_music2vec.inference.outputs import INDEX_COLUMNS, write_music_estimate
from danet_music2vec.models.danet import DanetConfig
from danet_music2vec.synthetic.music import build_genre
from danet_music2vec.training.danet import TrainSettings, train_danet
from danet_music2vec.training.music2vec import Music2VecSettings, frozen_training_data, train_music2vec

# --------------------------------------------------------------------------- DANet

DANET_STFT = {"sample_rate": 8000, "n_fft": 256, "hop_length": 64, "window": "sqrt_hann", "segment_frames": 100}

# Half per-segment, half shared attractors and a cosine schedule: the resume test covers both.
DANET_SMALL = TrainSettings(model=DanetConfig(layers=1, units=24, embedding_dim=8), batch_size=4, learning_rate=3e-3,
                            lr_schedule="cosine", shared_attractor_weight=0.5, max_epochs=3, patience=3,
                            block_segments=8, seed=5)


def write_danet_split(folder: Path, split: str, n_clips: int, seconds: float, seed: int) -> Path:
    """A feature file of tonal 'music' and broadband 'noise' clips, the pipeline's layout."""
    music, noise, rows = {}, {}, []
    rng = np.random.default_rng(seed)
    for i in range(n_clips):
        music_path = folder / f"{split}_m{i}.wav"
        sf.write(music_path, archives.tone_clip(seed * 100 + i, seconds, 22050), 22050)
        music[f"m{i}"] = str(music_path)
        noise_path = folder / f"{split}_n{i}.wav"
        shaped = np.cumsum(rng.standard_normal(int(44100 * 5)) * 0.02) if i % 2 else rng.standard_normal(44100 * 5)
        shaped = shaped - shaped.mean()
        sf.write(noise_path, (0.1 * shaped / np.abs(shaped).max()).astype(np.float32), 44100)
        noise[f"n{i}"] = str(noise_path)
        rows.append({"mix_id": f"m{i}+snr0", "split": split, "music_id": f"m{i}", "snr_db": 0.0,
                     "noise_ids": f"n{i}", "noise_offsets_s": f"{rng.uniform(0, 4):.6f}"})
    path = folder / f"{split}.h5"
    write_features(path, pd.DataFrame(rows), music, noise, params=StftParams(),
                   attrs={"variant": "noise1", "config_hash": "test"})
    return path


def write_danet_feature_files(folder: Path) -> dict[str, Path]:
    """train (8 clips of 2 s), valid (3 of 2 s) and test (3 of 3 s) feature files."""
    return {split: write_danet_split(folder, split, n, seconds, seed)
            for split, n, seconds, seed in (("train", 8, 2.0, 1), ("valid", 3, 2.0, 2), ("test", 3, 3.0, 3))}


def train_small_danet(feature_files: dict[str, Path], out: Path, settings: TrainSettings = DANET_SMALL,
                      **kwargs) -> pd.DataFrame:
    """model.pt and history.csv in ``out``; checkpoint.pt only while the training is unfinished."""
    return train_danet(feature_files["train"], feature_files["valid"], settings, model_out=out / "model.pt",
                       history_out=out / "history.csv", checkpoint=out / "checkpoint.pt", **kwargs)


# --------------------------------------------------------------------------- music2vec

M2V_GENRES = ("blues", "classical", "metal")
M2V_CLIPS_PER_GENRE = 8  # 0-4 train, 5-6 valid, 7 test
M2V_SECONDS = 3.0  # 3 conv7 frames, 2 once the last is dropped

M2V_SMALL = Music2VecSettings(lstm_units=32, lstm_layers=2, dense_units=(32, 16), dropout=0.1, batch_size=4,
                              learning_rate=3e-3, max_epochs=40, patience=40, seed=3)
M2V_ENSEMBLE = replace(M2V_SMALL, max_epochs=3, ensemble=3)
SEPARATION_RATE = 8000  # the working rate of a separation folder's estimates


def m2v_split_of(index: int) -> str:
    return "train" if index < 5 else ("valid" if index < 7 else "test")


def build_music(root: Path) -> dict[str, Path]:
    """Synthetic clips of three genres with a manifest and splits in the pipeline's layout."""
    rows = []
    for genre in M2V_GENRES:
        meta = build_genre(root, genre, clips_per_genre=M2V_CLIPS_PER_GENRE, duration_s=M2V_SECONDS, seed=11,
                           clips_per_artist=2)
        for index, clip_id in enumerate(meta["clip_id"]):
            rows.append({"clip_id": clip_id, "path": str(root / "genres" / genre / f"{clip_id}.wav"), "label": genre,
                         "source": meta["artist"][index], "duration_s": M2V_SECONDS, "usable": True,
                         "split": m2v_split_of(index)})
    table = pd.DataFrame(rows)
    table.drop(columns="split").to_csv(root / "music_manifest.csv", index=False)
    table[["clip_id", "split"]].to_csv(root / "music_splits.csv", index=False)
    return {"root": root, "manifest": root / "music_manifest.csv", "splits": root / "music_splits.csv"}


def train_small_music2vec(cache_files, out: Path, settings: Music2VecSettings = M2V_SMALL, **kwargs) -> pd.DataFrame:
    return train_music2vec(frozen_training_data(cache_files), settings, list(M2V_GENRES), model_out=out / "model.pt",
                           history_out=out / "history.csv", checkpoint=out / "checkpoint.pt", **kwargs)


def write_separated(data: dict[str, Path], folder: Path) -> Path:
    """A separation method's output folder in the pipeline's layout (inference.outputs): per test
    clip a noisy, longer 8 kHz copy as ``<mix_id>_music.flac``, the first one louder than full
    scale so that it is stored scaled down (``music_gain`` below one)."""
    folder.mkdir()
    test = clean_items(data["manifest"], data["splits"], splits=("test",))
    rng = np.random.default_rng(0)
    rows = []
    for i, item in enumerate(test.itertuples()):
        audio, _ = load_audio(item.audio_path, sample_rate=SEPARATION_RATE)
        audio = np.concatenate([audio, audio[: int(SEPARATION_RATE * 0.5 * (i + 1))]])  # 3.5 to 4.5 s: lengths differ
        noisy = (audio + 0.02 * rng.standard_normal(audio.size)).astype(np.float32)
        if i == 0:
            noisy = noisy * np.float32(1.5 / np.max(np.abs(noisy)))  # peaks at 1.5: written with gain 0.999 / 1.5
        mix_id = f"{item.id}+snr5"
        name = f"{mix_id}_music.flac"
        gain = write_music_estimate(folder / name, noisy, SEPARATION_RATE)
        rows.append({"mix_id": mix_id, "music_id": item.music_id, "snr_db": 5.0, "music_path": name,
                     "music_gain": gain, "noise_estimate": "residual", "blind_snr_db": 10.0,
                     "audio_seconds": audio.size / SEPARATION_RATE, "seconds": 0.01})
    pd.DataFrame(rows, columns=list(INDEX_COLUMNS)).to_csv(folder / "index.csv", index=False)
    return folder
