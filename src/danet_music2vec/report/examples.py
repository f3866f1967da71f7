"""The page's example clips: which test mixtures to play, their audio (mixture, danet's music
and noise outputs, the clean music) and spectrograms, and what music2vec predicted for them."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..plots import plot_spectrograms
from .elements import Audio, Image, Notes, audio, image
from .inputs import ReportInputs, ReportSettings, optional

# Signal name -> player label, in the order the players stand.
EXAMPLE_SOURCES = (("mixture", "mixture (input)"), ("denoised", "denoised music (danet)"),
                   ("noise_estimate", "estimated noise (danet)"), ("music", "clean music (reference)"))


def choose_examples(mix_table: pd.DataFrame, available: Iterable[str], n: int,
                    preferred_music: Sequence[str] = ()) -> list[int]:
    """Row positions of ``n`` test mixtures: the preferred music clips first (the same clips in
    every variant), then evenly spread over the sorted ids (so different genres), at the SNR
    closest to 0 dB."""
    available = set(available)
    table = mix_table.reset_index(drop=True)
    table = table[table["mix_id"].isin(available)]
    if table.empty or n <= 0:
        return []
    snr = table["snr_db"].astype(float)
    table = table[(snr - 0).abs() == (snr - 0).abs().min()].sort_values("mix_id")
    chosen = []
    for music_id in preferred_music:
        hit = table.index[table["music_id"] == music_id]
        if len(hit) and hit[0] not in chosen:
            chosen.append(int(hit[0]))
    for position in np.linspace(0, len(table) - 1, num=min(n, len(table))).round().astype(int):
        if len(chosen) >= n:
            break
        index = int(table.index[position])
        if index not in chosen:
            chosen.append(index)
    for index in table.index:  # fill if rounding collided
        if len(chosen) >= n:
            break
        if int(index) not in chosen:
            chosen.append(int(index))
    return chosen[:n]


def load_example(features: str | os.PathLike, separation: str | os.PathLike, mix_index: int,
                 max_seconds: float) -> dict:
    """Mixture, clean music (references) and danet's music and noise estimates of one clip,
    each (n_samples,) float32 at the feature file's rate, the first ``max_seconds`` at most."""
    from ..data.features import SegmentStore
    from ..inference.outputs import read_estimates, read_separation_index

    with SegmentStore(features) as store:
        row = store.mixtures().iloc[mix_index]
        rate = int(store.attrs["sample_rate"])
        waves = store.waveforms(mix_index)
    entry = read_separation_index(separation).loc[row["mix_id"]]
    denoised, noise_estimate = read_estimates(entry, waves["mixture"], rate)
    n = min(len(waves["mixture"]), round(max_seconds * rate))
    signals = {"mixture": waves["mixture"], "denoised": denoised, "noise_estimate": noise_estimate,
               "music": waves["music"]}
    return {"mix_id": str(row["mix_id"]), "music_id": str(row["music_id"]), "snr_db": float(row["snr_db"]),
            "sample_rate": rate, "seconds": len(waves["mixture"]) / rate,
            "signals": {k: np.asarray(v[:n], dtype=np.float32) for k, v in signals.items()}}


@dataclass
class ExampleClip:
    mix_id: str
    genre: str
    snr_db: float
    predicted: list[tuple[str, str]]  # (condition, predicted genre)
    players: list[Audio]
    spectrogram: Image


@dataclass
class ExampleVariant:
    name: str
    missing: str | None = None  # the note when its audio is not available
    clips: list[ExampleClip] = field(default_factory=list)


def _read_predictions(paths: Mapping[tuple[str, str], str | os.PathLike]) -> dict[tuple[str, str], pd.DataFrame]:
    return {key: pd.read_csv(path, dtype={"id": str, "music_id": str})
            for key, path in paths.items() if optional(path) is not None}


def _predicted(predictions: Mapping[tuple[str, str], pd.DataFrame], variant: str, clip: dict) -> list[tuple[str, str]]:
    """What music2vec said on the clean music, the mixture and danet's output of one clip."""
    said = []
    for (v, m), frame in predictions.items():
        if v == "clean":
            hit = frame[frame["music_id"] == clip["music_id"]]
        elif v == variant and m in ("mixture", "danet"):
            hit = frame[frame["id"] == clip["mix_id"]]
        else:
            continue
        if len(hit):
            said.append(("clean" if v == "clean" else m, str(hit["predicted"].iloc[0])))
    return said


def _clip(clip: dict, variant: str, genre: str, predicted: list[tuple[str, str]]) -> ExampleClip:
    # One gain for the four signals of a clip, so their levels compare.
    peak = max(float(np.max(np.abs(s))) if s.size else 0.0 for s in clip["signals"].values())
    gain = 0.99 / peak if peak > 0.99 else 1.0
    players = [audio(clip["signals"][name] * gain, clip["sample_rate"], label) for name, label in EXAMPLE_SOURCES]
    title = f"{variant}: {clip['mix_id']} ({genre})"
    png = plot_spectrograms(clip["signals"], clip["sample_rate"], title, dict(EXAMPLE_SOURCES))
    return ExampleClip(clip["mix_id"], genre, clip["snr_db"], predicted, players,
                       image(png, f"spectrograms of {clip['mix_id']}", 900))


def example_variants(inputs: ReportInputs, settings: ReportSettings, variants: list[str], music: pd.DataFrame,
                     notes: Notes) -> list[ExampleVariant]:
    """``settings.example_clips`` clips per variant (the same music clips in every variant
    where possible); a variant without test features or danet separation gets a note."""
    from ..data.features import SegmentStore

    labels = dict(zip(music["clip_id"].astype(str), music["label"].astype(str)))
    predictions = _read_predictions(inputs.predictions)
    preferred: list[str] = []
    out = []
    for variant in variants:
        features = optional(inputs.test_features.get(variant))
        separated = optional(inputs.danet_separation.get(variant))
        if features is None or separated is None or not (separated / "index.csv").is_file():
            absent = inputs.danet_separation.get(variant) if features is not None else inputs.test_features.get(variant)
            out.append(ExampleVariant(variant, notes.missing(
                f"Example audio of {variant} (test features or danet separation)", absent)))
            continue
        with SegmentStore(features) as store:
            mixtures = store.mixtures()
        available = pd.read_csv(separated / "index.csv", dtype={"mix_id": str})["mix_id"]
        shown = ExampleVariant(variant)
        for mix_index in choose_examples(mixtures, available, settings.example_clips, preferred):
            clip = load_example(features, separated, mix_index, settings.audio_seconds)
            if clip["music_id"] not in preferred:
                preferred.append(clip["music_id"])
            genre = labels.get(clip["music_id"], "?")
            shown.clips.append(_clip(clip, variant, genre, _predicted(predictions, variant, clip)))
        out.append(shown)
    return out
