"""synthetic.music.styles and the genre composers (genres_band, genres_roots, genres_studio): every
genre follows its style (tempo, kit, instruments), and simple features tell the genres apart."""

from __future__ import annotations

import itertools

import librosa
import numpy as np
import pytest

from danet_music2vec.synthetic.music.styles import SPECS
from danet_music2vec.synthetic.music import GENRES, render_clip

SEED = 11
SAMPLE_RATE = 22050


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
