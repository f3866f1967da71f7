"""DANet: attractor and mask math, training, resume after a kill, blind separation without seams."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import warnings
from dataclasses import asdict
from pathlib import Path

import archives
import mir_eval
import numpy as np
import pandas as pd
import pytest
import soundfile as sf
import torch

from danet_music2vec.data.features import SegmentStore, StftParams, write_features
from danet_music2vec.inference.danet_masks import crossfade, cut_windows, separate_masks
from danet_music2vec.inference.separation import SeparationSettings, Separator, separate_features
from danet_music2vec.models.attractors import (
    active_bins, attractors_from_mask, batch_attractors, ideal_binary_mask, kmeans_attractors,
    masks_from_attractors,
)
from danet_music2vec.models.danet import MUSIC, NOISE, DANet, DanetConfig, load_danet
from danet_music2vec.seeding import clip_seed
from danet_music2vec.training.danet import TrainSettings, learning_rate_at, train_danet
from danet_music2vec.training.losses import separation_loss

STFT = {"sample_rate": 8000, "n_fft": 256, "hop_length": 64, "window": "sqrt_hann", "segment_frames": 100}


def test_attractors_and_masks_match_a_hand_computed_case():
    # One item, one frame, three bins, K = 2. Bins 0 and 1 belong to music, bin 2 to noise.
    embeddings = torch.tensor([[[[1.0, 0.0], [3.0, 0.0], [0.0, 2.0]]]])
    assignment = torch.tensor([[[[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]]])
    weight = torch.ones(1, 1, 3)
    attractors = attractors_from_mask(embeddings, assignment, weight)
    torch.testing.assert_close(attractors, torch.tensor([[[2.0, 0.0], [0.0, 2.0]]]))
    # Leaving bin 1 out moves the music attractor to bin 0's embedding.
    attractors_weighted = attractors_from_mask(embeddings, assignment, torch.tensor([[[1.0, 0.0, 1.0]]]))
    torch.testing.assert_close(attractors_weighted, torch.tensor([[[1.0, 0.0], [0.0, 2.0]]]))
    masks = masks_from_attractors(embeddings, attractors)
    # Bin 0: scores (2, 0) -> softmax e^2 / (e^2 + 1); bin 2: scores (0, 4).
    expected_bin0 = np.exp(2) / (np.exp(2) + 1)
    expected_bin2 = 1 / (1 + np.exp(4))
    assert masks[0, 0, 0, MUSIC].item() == pytest.approx(expected_bin0, rel=1e-6)
    assert masks[0, 0, 2, MUSIC].item() == pytest.approx(expected_bin2, rel=1e-6)


def test_masks_sum_to_one_over_sources():
    torch.manual_seed(0)
    embeddings = torch.randn(3, 7, 129, 20)
    masks = masks_from_attractors(embeddings, torch.randn(3, 2, 20))
    torch.testing.assert_close(masks.sum(-1), torch.ones(3, 7, 129))
    assert (masks >= 0).all()


def test_ideal_binary_mask_and_active_bins():
    sources = torch.tensor([[[[2.0, 1.0], [0.5, 3.0]]]])
    assert ideal_binary_mask(sources).tolist() == [[[[1.0, 0.0], [0.0, 1.0]]]]
    mix = torch.tensor([[[1.0, 0.011, 0.009]]])  # 40 dB below 1.0 is 0.01
    assert active_bins(mix, 40.0).tolist() == [[[1.0, 1.0, 0.0]]]


def test_kmeans_labels_clusters_by_the_training_attractors_whatever_their_order():
    rng = np.random.default_rng(0)
    music_centre, noise_centre = np.array([3.0, 0.0]), np.array([0.0, 3.0])
    points = np.concatenate([music_centre + 0.3 * rng.standard_normal((60, 2)),
                             noise_centre + 0.3 * rng.standard_normal((40, 2))])
    reference = torch.tensor([[2.0, 0.5], [0.5, 2.0]])
    for order in (np.arange(100), rng.permutation(100)):
        embeddings = torch.tensor(points[order], dtype=torch.float32).reshape(1, 1, 100, 2)
        found = kmeans_attractors(embeddings, torch.ones(1, 1, 100), reference)[0]
        torch.testing.assert_close(found[MUSIC], torch.tensor(music_centre, dtype=torch.float32), atol=0.15, rtol=0)
        torch.testing.assert_close(found[NOISE], torch.tensor(noise_centre, dtype=torch.float32), atol=0.15, rtol=0)
    # The labels follow the reference: with the roles of the reference swapped, so are the clusters'.
    embeddings = torch.tensor(points, dtype=torch.float32).reshape(1, 1, 100, 2)
    found = kmeans_attractors(embeddings, torch.ones(1, 1, 100), reference.flip(0))[0]
    assert found[MUSIC, 1] > 2.5 and found[NOISE, 0] > 2.5


def test_a_tiny_model_overfits_one_batch():
    torch.manual_seed(0)
    model = DANet(DanetConfig(n_bins=17, layers=1, units=16, embedding_dim=4))
    rng = np.random.default_rng(1)
    music = torch.tensor(rng.random((4, 12, 17)) * (rng.random((1, 1, 17)) > 0.5), dtype=torch.float32)
    noise = torch.tensor(rng.random((4, 12, 17)) * 0.3, dtype=torch.float32)
    sources = torch.stack([music, noise], dim=-1)
    mix = music + noise
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(300):
        embeddings = model(mix)
        attractors = attractors_from_mask(embeddings, ideal_binary_mask(sources), active_bins(mix, 40.0))
        loss = separation_loss(masks_from_attractors(embeddings, attractors), mix, sources, "magnitude")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0] / 10


def test_batch_attractors_pool_the_segments_bins():
    embeddings = torch.tensor([[[[1.0, 0.0], [0.0, 1.0]]], [[[3.0, 0.0], [0.0, 5.0]]]])  # (2 segments, 1, 2, 2)
    assignment = torch.tensor([[[[1.0, 0.0], [0.0, 1.0]]], [[[1.0, 0.0], [1.0, 0.0]]]])
    weight = torch.ones(2, 1, 2)
    shared = batch_attractors(embeddings, assignment, weight)
    # music: bins (1,0), (3,0), (0,5) -> mean (4/3, 5/3); noise: the one bin (0,1)
    torch.testing.assert_close(shared, torch.tensor([[4 / 3, 5 / 3], [0.0, 1.0]]))
    # A batch of one segment shares that segment's own attractors.
    torch.testing.assert_close(batch_attractors(embeddings[:1], assignment[:1], weight[:1]),
                               attractors_from_mask(embeddings[:1], assignment[:1], weight[:1])[0])


def test_cosine_schedule_decays_to_zero_and_bad_settings_are_refused():
    cosine = TrainSettings(learning_rate=0.002, lr_schedule="cosine")
    assert [learning_rate_at(cosine, p) for p in (0.0, 0.5, 1.0)] == pytest.approx([0.002, 0.001, 0.0])
    assert learning_rate_at(TrainSettings(learning_rate=0.002), 0.7) == 0.002
    with pytest.raises(ValueError, match="lr_schedule"):
        TrainSettings(lr_schedule="linear")
    with pytest.raises(ValueError, match="shared_attractor_weight"):
        TrainSettings(shared_attractor_weight=1.5)


def test_both_objectives_are_finite_on_silent_bins():
    masks = torch.full((1, 2, 3, 2), 0.5)
    mix = torch.zeros(1, 2, 3)
    sources = torch.zeros(1, 2, 3, 2)
    for target in ("magnitude", "log_magnitude"):
        assert torch.isfinite(separation_loss(masks, mix, sources, target))
    with pytest.raises(ValueError, match="unknown target 'db'"):
        separation_loss(masks, mix, sources, "db")


def test_crossfaded_windows_equal_the_whole_clip_for_a_framewise_mask():
    """A mask that depends on each frame alone must come out identical to the whole-clip mask:
    the windowing adds nothing, so it leaves no seam."""
    spec = torch.rand(437, 9)
    windows, starts = cut_windows(spec, 100)
    assert starts[0] == 0 and starts[-1] == 337 and windows.shape == (len(starts), 100, 9)
    framewise = torch.sigmoid(3 * windows - 1)
    torch.testing.assert_close(crossfade(framewise, starts, 437), torch.sigmoid(3 * spec - 1))
    short = torch.rand(40, 9)
    windows, starts = cut_windows(short, 100)
    assert starts == [0] and windows.shape == (1, 100, 9)
    torch.testing.assert_close(crossfade(windows, starts, 40), short)


# --------------------------------------------------------------------------- real feature files


def write_split(folder: Path, split: str, n_clips: int, seconds: float, seed: int) -> Path:
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
                   attrs={"variant": "noise1", "config_hash": "test"}, chunk_segments=4)
    return path


@pytest.fixture(scope="module")
def feature_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("features")
    return {split: write_split(folder, split, n, seconds, seed)
            for split, n, seconds, seed in (("train", 8, 2.0, 1), ("valid", 3, 2.0, 2), ("test", 3, 3.0, 3))}


# Half per-segment, half shared attractors and a cosine schedule: the resume test covers both.
SMALL = TrainSettings(model=DanetConfig(layers=1, units=24, embedding_dim=8), batch_size=4, learning_rate=3e-3,
                      lr_schedule="cosine", shared_attractor_weight=0.5, max_epochs=3, patience=3,
                      block_segments=8, seed=5)


def train(feature_files, out: Path, settings: TrainSettings = SMALL, **kwargs) -> pd.DataFrame:
    return train_danet(feature_files["train"], feature_files["valid"], settings, model_out=out / "model.pt",
                       history_out=out / "history.csv", checkpoint=out / "checkpoint.pt", **kwargs)


@pytest.fixture(scope="module")
def trained(feature_files, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("trained")
    train(feature_files, out)
    return out


def test_training_writes_model_history_and_learns(trained):
    history = pd.read_csv(trained / "history.csv")
    assert history["epoch"].tolist() == [1, 2, 3]
    assert history["valid_loss"].iloc[-1] < history["valid_loss"].iloc[0]
    assert np.isfinite(history[["train_loss", "valid_loss"]].to_numpy()).all()
    model = load_danet(trained / "model.pt")
    assert model.config.units == 24 and model.config.n_bins == 129
    # The stored input statistics and mean attractors are real, not the initial zeros/ones.
    assert model.input_std.min() > 0 and not torch.allclose(model.input_std, torch.ones(129))
    assert model.fixed_attractors.abs().sum() > 0


def test_same_seed_same_weights(feature_files, trained, tmp_path):
    train(feature_files, tmp_path)
    first = load_danet(trained / "model.pt").state_dict()
    second = load_danet(tmp_path / "model.pt").state_dict()
    for key in first:
        torch.testing.assert_close(first[key], second[key], rtol=0, atol=0, msg=key)


def test_early_stopping_keeps_the_best_epoch(feature_files, tmp_path):
    settings = TrainSettings(**{**asdict(SMALL), "model": SMALL.model, "learning_rate": 0.5, "max_epochs": 6, "patience": 1})
    history = train(feature_files, tmp_path, settings)
    assert len(history) < 6  # a diverging learning rate stops after one epoch without improvement
    assert history["best"].iloc[-1] == False  # noqa: E712


TRAIN_SCRIPT = """
import sys
from pathlib import Path
from danet_music2vec.training.danet import TrainSettings, train_danet
from danet_music2vec.models.danet import DanetConfig
import json
settings = json.loads(sys.argv[1])
settings["model"] = DanetConfig(**settings["model"])
out = Path(sys.argv[2])
train_danet(sys.argv[3], sys.argv[4], TrainSettings(**settings), model_out=out / "model.pt",
            history_out=out / "history.csv", checkpoint=out / "checkpoint.pt")
"""


def test_a_killed_training_resumes_to_the_same_weights(feature_files, trained, tmp_path):
    settings = json.dumps(asdict(SMALL))
    args = [sys.executable, "-c", TRAIN_SCRIPT, settings, str(tmp_path), str(feature_files["train"]), str(feature_files["valid"])]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    checkpoint = tmp_path / "checkpoint.pt"
    deadline = time.monotonic() + 120
    while not checkpoint.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)  # the first epoch is saved; the second is under way
    process.wait()
    assert checkpoint.exists() and not (tmp_path / "model.pt").exists()
    done = torch.load(checkpoint, weights_only=True)["history"]
    assert 1 <= len(done) < 3
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    resumed = load_danet(tmp_path / "model.pt").state_dict()
    uninterrupted = load_danet(trained / "model.pt").state_dict()
    for key in uninterrupted:
        torch.testing.assert_close(resumed[key], uninterrupted[key], rtol=0, atol=0, msg=key)
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "history.csv").drop(columns="seconds"),
                                  pd.read_csv(trained / "history.csv").drop(columns="seconds"))


def test_a_checkpoint_for_other_settings_is_not_resumed(feature_files, trained, tmp_path, capsys):
    (tmp_path / "checkpoint.pt").write_bytes((trained / "checkpoint.pt").read_bytes())
    other = TrainSettings(**{**asdict(SMALL), "model": SMALL.model, "max_epochs": 1})
    history = train(feature_files, tmp_path, other)
    assert len(history) == 1
    assert "made for other settings" in capsys.readouterr().out


def test_missing_or_foreign_model_file_fails_naming_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.pt"):
        load_danet(tmp_path / "nowhere.pt")
    torch.save({"weights": torch.zeros(3)}, tmp_path / "foreign.pt")
    with pytest.raises(ValueError, match="foreign.pt: not a DANet model file"):
        load_danet(tmp_path / "foreign.pt")


def bss(references: np.ndarray, music: np.ndarray, noise: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        sdr, _, _, _ = mir_eval.separation.bss_eval_sources(references, np.stack([music, noise]), compute_permutation=False)
    return sdr


def test_a_mixture_is_separated_the_same_whatever_else_is_in_the_file(feature_files, trained, tmp_path):
    model = load_danet(trained / "model.pt")
    separator = Separator("danet", STFT, SeparationSettings(attractors="kmeans", kmeans_max_points=500, seed=3), model)
    with SegmentStore(feature_files["test"]) as store:
        waves = store.waveforms(2)
        mix_id = store.mixtures().loc[2, "mix_id"]
    alone, _ = separator(**waves, clip_seed=clip_seed(3, mix_id))
    separate_features(feature_files["test"], tmp_path / "all", separator)
    in_file, _ = sf.read(tmp_path / "all" / f"{mix_id}_music.wav", dtype="float32")
    np.testing.assert_array_equal(in_file, alone)
    assert clip_seed(3, "a+snr0") != clip_seed(3, "a+snr5") and clip_seed(3, "a") == clip_seed(3, "a")


def test_oracle_masks_separate_well_and_the_mixture_scores_zero_nsdr(feature_files):
    with SegmentStore(feature_files["test"]) as store:
        waves = store.waveforms(0)
    references = np.stack([waves["music"], waves["noise"]])
    mixture_sdr = bss(references, *Separator("mixture", STFT, SeparationSettings())(**waves))
    for method in ("oracle_irm", "oracle_ibm"):
        music, noise = Separator(method, STFT, SeparationSettings())(**waves)
        sdr = bss(references, music, noise)
        assert sdr[MUSIC] - mixture_sdr[MUSIC] > 8.0, method
    again = bss(references, *Separator("mixture", STFT, SeparationSettings())(**waves))
    assert again[MUSIC] - mixture_sdr[MUSIC] == 0.0


def test_clean_8khz_returns_the_references_and_writes_them_like_every_method(feature_files, tmp_path):
    with SegmentStore(feature_files["test"]) as store:
        waves = store.waveforms(0)
    music, noise = Separator("clean_8khz", STFT, SeparationSettings())(**waves)
    np.testing.assert_array_equal(music, waves["music"])
    np.testing.assert_array_equal(noise, waves["noise"])
    index = separate_features(feature_files["test"], tmp_path / "clean_8khz",
                              Separator("clean_8khz", STFT, SeparationSettings()))
    written, rate = sf.read(tmp_path / "clean_8khz" / index["music_path"].iloc[0], dtype="float32")
    np.testing.assert_array_equal(written, waves["music"])
    assert rate == STFT["sample_rate"]
    assert sf.info(tmp_path / "clean_8khz" / index["music_22050_path"].iloc[0]).samplerate == 22050


def test_blind_separation_writes_every_clip_without_seams(feature_files, trained, tmp_path):
    model = load_danet(trained / "model.pt")
    for attractors in ("kmeans", "fixed"):
        separator = Separator("danet", STFT, SeparationSettings(attractors=attractors, seed=3), model)
        out = tmp_path / attractors
        index = separate_features(feature_files["test"], out, separator)
        assert len(index) == 3 and (out / "index.csv").is_file()
        with SegmentStore(feature_files["test"]) as store:
            for i, row in index.iterrows():
                waves = store.waveforms(i)
                music, rate = sf.read(out / row["music_path"], dtype="float32")
                noise, _ = sf.read(out / row["noise_path"], dtype="float32")
                assert rate == 8000 and music.shape == waves["mixture"].shape
                # Masks sum to one, so the two estimates add back up to the mixture.
                np.testing.assert_allclose(music + noise, waves["mixture"], atol=1e-4)
                info = sf.info(out / row["music_22050_path"])
                assert info.samplerate == 22050
                assert abs(info.frames - round(len(music) * 22050 / 8000)) <= 1
    # Around each join of 100-frame windows, the mask changes no faster than elsewhere.
    with SegmentStore(feature_files["test"]) as store:
        mix_spec = torch.from_numpy(np.concatenate(list(store.read(0, 4, ["mixture"])["mixture"])))
    masks = separate_masks(model, mix_spec.abs()[:250], window=100, attractors="fixed", threshold_db=40)
    jumps = (masks[1:, :, MUSIC] - masks[:-1, :, MUSIC]).abs().mean(dim=1)
    joins = [49, 99, 149]  # half-overlapping windows start at 0, 50, 100, 150 (the last at 150)
    assert jumps[joins].max() <= 3 * jumps.median() + 1e-3


def test_blind_danet_beats_no_processing_on_a_learnable_task(feature_files, trained):
    model = load_danet(trained / "model.pt")
    separator = Separator("danet", STFT, SeparationSettings(attractors="kmeans"), model)
    gains = []
    with SegmentStore(feature_files["test"]) as store:
        for i in range(3):
            waves = store.waveforms(i)
            references = np.stack([waves["music"], waves["noise"]])
            base = bss(references, waves["mixture"], waves["mixture"])[MUSIC]
            gains.append(bss(references, *separator(**waves))[MUSIC] - base)
    assert np.mean(gains) > 2.0, gains
