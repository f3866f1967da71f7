"""evaluation.bss: BSS Eval metrics on real feature files and real separation folders (FLAC music
estimates, residual noise estimates; blind vs oracle, NSDR, music clips scored at every SNR, the
summary per SNR and per seen/unseen noise classes), and the stored metrics of fixed signals. The agreement of both backends on a workflow
run's separated clips is tests/workflow/test_bss_backends_on_a_run.py."""

from __future__ import annotations

import re

import archives
import numpy as np
import pandas as pd
import pytest
import scipy.signal
import soundfile as sf

from danet_music2vec.data.features import SegmentStore, StftParams, write_features
from danet_music2vec.evaluation.bss import (
    BACKENDS, CLIP_COLUMNS, SUMMARY_COLUMNS, SeparationInputError, best_permutation, clip_metrics,
    evaluate_method, fast_pair_criteria, music_nsdrs, pair_criteria, parse_metrics_path, public_bss_eval, read_clip_metrics,
    select_clips, summarize, write_clip_metrics,
)
from danet_music2vec.inference.outputs import INDEX_COLUMNS, write_music_estimate

SR = 8000


def masked_estimates(music: np.ndarray, noise: np.ndarray, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A realistic separation: a jittered ideal ratio mask on the mixture's STFT, so the
    estimates carry interference and artifacts; the two estimates sum to the mixture."""
    mixture = music + noise
    _, _, m = scipy.signal.stft(music, SR, nperseg=256, noverlap=192)
    _, _, n = scipy.signal.stft(noise, SR, nperseg=256, noverlap=192)
    _, _, x = scipy.signal.stft(mixture, SR, nperseg=256, noverlap=192)
    mask = np.abs(m) ** 2 / (np.abs(m) ** 2 + np.abs(n) ** 2 + 1e-12)
    mask = np.clip(mask + 0.15 * np.random.default_rng(seed).standard_normal(mask.shape), 0.0, 1.0)
    _, est = scipy.signal.istft(mask * x, SR, nperseg=256, noverlap=192)
    music_est = est[: music.size].astype(np.float32)
    return music_est, (mixture - music_est).astype(np.float32)


@pytest.fixture(scope="module")
def realistic_clip() -> dict[str, np.ndarray]:
    """2 s of an amplitude-modulated tone with a harmonic ('music') and coloured noise at 0 dB SNR."""
    n = 2 * SR
    t = np.arange(n) / SR
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 1.5 * t) ** 2
    music = envelope * (np.sin(2 * np.pi * 220 * t) + 0.4 * np.sin(2 * np.pi * 660 * t + 0.3))
    noise = scipy.signal.lfilter([1.0], [1.0, -0.9], np.random.default_rng(3).standard_normal(n))
    noise *= np.sqrt(np.mean(music**2) / np.mean(noise**2))
    music, noise = music.astype(np.float32), noise.astype(np.float32)
    music_est, noise_est = masked_estimates(music, noise)
    return {"music": music, "noise": noise, "music_est": music_est, "noise_est": noise_est}


# --------------------------------------------------------------------------- real input files


@pytest.fixture(scope="module")
def features(tmp_path_factory):
    """A real test feature file: 3 music clips of 1.5 s, 5 mixtures at 0 and -5 dB."""
    root = tmp_path_factory.mktemp("features")
    music, noise = {}, {}
    for i in range(3):
        path = root / f"blues.{i:05d}.wav"
        sf.write(path, archives.tone_clip(i + 1, 1.5, 22050), 22050)
        music[f"blues.{i:05d}"] = str(path)
    for i in range(2):
        path = root / f"1-{i}-A-0.wav"
        sf.write(path, np.random.default_rng(i).standard_normal(44100 * 3).astype(np.float32) * 0.1, 44100)
        noise[f"1-{i}-A-0"] = str(path)
    plan = pd.DataFrame({
        "mix_id": ["blues.00000+snr0", "blues.00000+snr-5", "blues.00001+snr0", "blues.00001+snr-5", "blues.00002+snr0"],
        "split": "test",
        "music_id": ["blues.00000", "blues.00000", "blues.00001", "blues.00001", "blues.00002"],
        "snr_db": [0.0, -5.0, 0.0, -5.0, 0.0],
        "noise_ids": ["1-0-A-0;1-1-A-0"] * 5,
        "noise_offsets_s": ["0.5;1.9", "0.5;1.9", "1.0;2.0", "1.0;2.0", "0.2;0.7"],
    })
    path = root / "test.h5"
    write_features(path, plan, music, noise, params=StftParams(), attrs={"variant": "noise2", "split": "test"})
    return path


def write_separation(folder, features_path, estimate, *, noise_estimate="residual", drop=(), lengths=None):
    """A separation folder in the pipeline's layout (inference.outputs): each music estimate as 16-bit
    FLAC (``estimate(waves, i)`` -> music estimate), the noise estimate implied by ``noise_estimate``."""
    folder.mkdir(parents=True)
    rows = []
    with SegmentStore(features_path) as store:
        mixtures = store.mixtures()
        for i, mix_id in enumerate(mixtures["mix_id"]):
            if mix_id in drop:
                continue
            music_est = estimate(store.waveforms(i), i)
            if lengths and mix_id in lengths:
                music_est = music_est[: lengths[mix_id]]
            name = f"{mix_id}_music.flac"
            gain = write_music_estimate(folder / name, music_est, SR)
            rows.append({"mix_id": mix_id, "music_id": mixtures.loc[i, "music_id"], "snr_db": mixtures.loc[i, "snr_db"],
                         "music_path": name, "music_gain": gain, "noise_estimate": noise_estimate,
                         "blind_snr_db": 0.0, "audio_seconds": music_est.size / SR, "seconds": 0.01})
    pd.DataFrame(rows, columns=list(INDEX_COLUMNS)).to_csv(folder / "index.csv", index=False)
    return folder


def good(waves, i):
    """A good music estimate: the music with a little of the noise, a different share per clip (its
    residual, the noise estimate, is the rest of the noise)."""
    return waves["music"] + (0.1 + 0.05 * i) * waves["noise"]


def swapped(waves, i):
    """The residual of the good estimate given as music: the good separation with its labels swapped."""
    return waves["mixture"] - good(waves, i)


@pytest.fixture(scope="module")
def separations(tmp_path_factory, features):
    root = tmp_path_factory.mktemp("separation")
    return {
        "mixture": write_separation(root / "mixture", features, lambda w, i: w["mixture"], noise_estimate="mixture"),
        "good": write_separation(root / "good", features, good),
        "swapped": write_separation(root / "swapped", features, swapped),
        "silent": write_separation(root / "silent", features, lambda w, i: np.zeros_like(w["music"])),
    }


# --------------------------------------------------------------------------- mir_eval equality


@pytest.mark.parametrize("labels_swapped", [False, True])
def test_blind_and_oracle_equal_the_public_bss_eval_sources(realistic_clip, labels_swapped):
    clip = realistic_clip
    references = np.stack([clip["music"], clip["noise"]])
    estimates = np.stack([clip["music_est"], clip["noise_est"]])
    if labels_swapped:
        estimates = estimates[::-1]
    criteria = pair_criteria(references, estimates)
    blind = public_bss_eval(references, estimates, compute_permutation=False)
    oracle = public_bss_eval(references, estimates, compute_permutation=True)
    np.testing.assert_allclose(np.stack(criteria.pick(np.arange(2))), np.stack(blind[:3]), rtol=0, atol=1e-6)
    perm = best_permutation(criteria.sir)
    assert perm.tolist() == oracle[3].tolist() == ([1, 0] if labels_swapped else [0, 1])
    np.testing.assert_allclose(np.stack(criteria.pick(perm)), np.stack(oracle[:3]), rtol=0, atol=1e-6)

    # The per-clip row is made of exactly these numbers; SDR(mixture) is the public music
    # SDR with the mixture given for both sources.
    row = clip_metrics(clip["music"], clip["noise"], *estimates)
    mixture = clip["music"] + clip["noise"]
    sdr_mixture = public_bss_eval(references, np.stack([mixture, mixture]), compute_permutation=False)[0][0]
    expected = {
        "sdr": blind[0][0], "sir": blind[1][0], "sar": blind[2][0], "nsdr": blind[0][0] - sdr_mixture,
        "noise_sdr": blind[0][1], "noise_sir": blind[1][1], "noise_sar": blind[2][1],
        "oracle_sdr": oracle[0][0], "oracle_sir": oracle[1][0], "oracle_sar": oracle[2][0],
        "oracle_nsdr": oracle[0][0] - sdr_mixture, "sdr_mixture": sdr_mixture,
    }
    for key, value in expected.items():
        assert row[key] == pytest.approx(value, abs=1e-6), key
    assert row["swapped"] is labels_swapped
    assert 5 < row["oracle_sdr"] < 30  # realistic: interference and artifacts, far from perfect
    assert bool(row["sdr"] < 0) is labels_swapped


@pytest.mark.parametrize("labels_swapped", [False, True])
def test_fast_backend_agrees_with_mir_eval_within_a_thousandth_of_a_db_on_every_pair(realistic_clip, labels_swapped):
    clip = realistic_clip
    references = np.stack([clip["music"], clip["noise"]])
    estimates = np.stack([clip["music_est"], clip["noise_est"]])[:: -1 if labels_swapped else 1]
    exact, fast = pair_criteria(references, estimates), fast_pair_criteria(references, estimates)
    for name in ("sdr", "sir", "sar"):
        np.testing.assert_allclose(getattr(fast, name), getattr(exact, name), rtol=0, atol=1e-3, err_msg=name)
    # The off-diagonal pairs are far from the diagonal ones, so the pairing is the same.
    assert best_permutation(fast.sir).tolist() == best_permutation(exact.sir).tolist()
    rows = {backend: clip_metrics(clip["music"], clip["noise"], *estimates, backend=backend) for backend in BACKENDS}
    for key in ("sdr", "sir", "sar", "nsdr", "oracle_sdr", "oracle_nsdr", "noise_sdr", "noise_sar", "sdr_mixture"):
        assert rows["fast_bss_eval"][key] == pytest.approx(rows["mir_eval"][key], abs=1e-3), key
    assert rows["fast_bss_eval"]["swapped"] is rows["mir_eval"]["swapped"] is labels_swapped


def test_music_nsdrs_of_several_estimates_equal_each_ones_clip_metrics_nsdr(realistic_clip):
    """One solve for several music estimates (the no-harm fit's outputs) gives each one's NSDR."""
    clip = realistic_clip
    mixture = (clip["music"] + clip["noise"]).astype(np.float32)
    estimates = np.stack([clip["music_est"], 0.5 * clip["music_est"] + 0.5 * mixture, mixture,
                          np.zeros_like(mixture)])
    nsdrs = music_nsdrs(clip["music"], clip["noise"], estimates, mixture)
    expected = [clip_metrics(clip["music"], clip["noise"], e, mixture - e, mixture, "fast_bss_eval")["nsdr"]
                for e in estimates]
    np.testing.assert_allclose(nsdrs, expected, rtol=0, atol=1e-9)
    # the mixture itself scores 0; a silent estimate is scored as clip_metrics scores it (its dither)
    assert nsdrs[0] > nsdrs[1] > 0 and nsdrs[2] == pytest.approx(0.0, abs=1e-9) and nsdrs[3] < -10
    with pytest.raises(ValueError, match="all zeros"):
        music_nsdrs(clip["music"], np.zeros_like(clip["noise"]), estimates, mixture)


def test_an_unknown_backend_is_refused_with_the_allowed_ones(features, separations):
    with pytest.raises(ValueError, match="unknown BSS Eval backend 'museval'; allowed: fast_bss_eval, mir_eval"):
        evaluate_method(features, separations["good"], backend="museval")


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_mixture_as_estimate_has_nsdr_zero(features, separations, backend):
    clips = evaluate_method(features, separations["mixture"], backend=backend)
    assert len(clips) == 5 and list(clips.columns) == CLIP_COLUMNS
    # The stored music estimate is the mixture in 16 bits: its quantisation (about -95 dB below full
    # scale) is all that separates its SDR from the mixture's.
    assert (clips["nsdr"].abs() < 1e-4).all(), clips["nsdr"].tolist()
    assert (clips["noise_classes"] == "seen").all()  # a plan without the column: every noise seen
    # The mixture is worse at -5 dB than at 0 dB: SDR(mixture) follows the SNR.
    by_snr = clips.groupby("snr_db")["sdr_mixture"].mean()
    assert by_snr[-5.0] < by_snr[0.0] - 3


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_good_estimate_with_swapped_labels_fails_blind_but_not_oracle(features, separations, backend):
    right = evaluate_method(features, separations["good"], backend=backend)
    wrong = evaluate_method(features, separations["swapped"], backend=backend)
    assert (right["nsdr"] > 10).all() and not right["swapped"].any()
    assert (wrong["sdr"] < -5).all() and (wrong["nsdr"] < -5).all()
    assert wrong["swapped"].all()
    # The same two estimates with the labels swapped, up to each one's 16-bit quantisation.
    np.testing.assert_allclose(wrong["oracle_sdr"], right["sdr"], atol=1e-3)
    np.testing.assert_allclose(wrong["oracle_nsdr"], right["nsdr"], atol=1e-3)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_silent_estimate_gets_a_finite_very_low_score_and_a_flag(features, separations, backend):
    clips = evaluate_method(features, separations["silent"], backend=backend)
    numeric = clips.drop(columns=["mix_id", "music_id", "noise_classes", "swapped", "silent_music", "silent_noise"])
    assert np.isfinite(numeric.to_numpy(dtype=float)).all()
    assert clips["silent_music"].all() and not clips["silent_noise"].any()
    # 1.5 s at 8 kHz: about 10 log10(512 / 12000) = -14 dB, far below doing nothing.
    assert (clips["sdr"] < -12).all() and (clips["sdr"] < clips["sdr_mixture"] - 5).all()
    again = evaluate_method(features, separations["silent"], backend=backend)
    pd.testing.assert_frame_equal(clips, again, check_exact=True)
    summary = summarize({("noise2", "silent"): clips})
    assert np.isfinite(summary["gnsdr_mean"]).all() and (summary["silent_share"] == 1.0).all()


# --------------------------------------------------------------------------- subsets, workers


def sweep(n_clips: int, snrs=(-10, 0, 10)) -> pd.DataFrame:
    """mix_id and music_id of ``n_clips`` music clips each mixed at every SNR."""
    return pd.DataFrame([{"mix_id": f"clip.{i:05d}+snr{snr}", "music_id": f"clip.{i:05d}"}
                         for i in range(n_clips) for snr in snrs])


def test_subset_is_whole_music_clips_at_every_snr_seeded_sorted_and_depends_only_on_the_clips_seed_and_size():
    mixtures = sweep(100)
    picked = select_clips(mixtures, 10, seed=2021)
    assert len(picked) == 30 and picked == sorted(picked) and set(picked) <= set(mixtures["mix_id"])
    music = {m.split("+")[0] for m in picked}
    assert len(music) == 10
    assert set(picked) == {f"{m}+snr{snr}" for m in music for snr in (-10, 0, 10)}  # paired across SNRs
    assert select_clips(mixtures.iloc[::-1], 10, seed=2021) == picked
    assert select_clips(mixtures, 10, seed=2022) != picked
    everything = sorted(mixtures["mix_id"])
    assert select_clips(mixtures, 0, seed=2021) == everything == select_clips(mixtures, 100, seed=2021)
    assert select_clips(mixtures, 500, seed=1) == everything
    # The choice is of music clips: the same clips whatever the SNRs they come at.
    assert {m.split("+")[0] for m in select_clips(sweep(100, snrs=(0,)), 10, seed=2021)} == music
    with pytest.raises(ValueError, match="clips_per_snr must be >= 0"):
        select_clips(mixtures, -1, seed=0)


def test_every_method_of_a_variant_is_scored_on_the_same_subset(features, separations):
    with SegmentStore(features) as store:
        expected = select_clips(store.mixtures(), 2, seed=7)
    assert len({m.split("+")[0] for m in expected}) == 2
    for method in ("mixture", "good", "swapped"):
        clips = evaluate_method(features, separations[method], clips_per_snr=2, seed=7)
        assert clips["mix_id"].tolist() == expected


def test_parallel_workers_give_exactly_the_serial_result(features, separations):
    serial = evaluate_method(features, separations["good"], workers=1)
    parallel = evaluate_method(features, separations["good"], workers=2)
    pd.testing.assert_frame_equal(serial, parallel, check_exact=True)


# --------------------------------------------------------------------------- input errors


def test_a_wrong_length_estimate_fails_naming_the_file(tmp_path, features):
    folder = write_separation(tmp_path / "short", features, good, lengths={"blues.00001+snr0": SR})
    with pytest.raises(SeparationInputError, match=re.escape(str(folder / "blues.00001+snr0_music.flac"))
                       + ": 8000 samples, but the reference clip has 12000"):
        evaluate_method(features, folder)


def test_a_mixture_missing_from_the_index_fails_naming_the_index(tmp_path, features):
    folder = write_separation(tmp_path / "partial", features, good, drop={"blues.00002+snr0"})
    with pytest.raises(SeparationInputError, match=re.escape(str(folder / "index.csv")) + ".*blues.00002"):
        evaluate_method(features, folder)


# --------------------------------------------------------------------------- tables and summary


def test_per_clip_table_round_trips_through_csv(tmp_path, features, separations):
    clips = evaluate_method(features, separations["swapped"], clips_per_snr=2, seed=1)
    path = tmp_path / "results" / "metrics" / "separation" / "noise2" / "swapped.csv"
    write_clip_metrics(clips, path)
    back = read_clip_metrics(path)
    assert back["swapped"].dtype == bool and back["swapped"].all()
    pd.testing.assert_frame_equal(back, clips, check_exact=False, rtol=1e-9)
    assert parse_metrics_path(path) == ("noise2", "swapped")
    with pytest.raises(ValueError, match="metrics/separation"):
        parse_metrics_path(tmp_path / "noise2" / "swapped.tsv")


def test_summary_means_medians_and_shares_by_hand():
    def frame(nsdr, sir, sar, swapped, silent):
        n = len(nsdr)
        return pd.DataFrame({
            "mix_id": [f"m{i}" for i in range(n)], "snr_db": 0.0, "nsdr": nsdr, "sir": sir, "sar": sar,
            "oracle_nsdr": np.abs(nsdr), "oracle_sir": np.abs(sir), "oracle_sar": sar,
            "swapped": swapped, "silent_music": silent, "silent_noise": [False] * n,
        })

    frames = {
        ("noise1", "danet"): frame([1.0, 2.0, 6.0], [10.0, 0.0, 2.0], [3.0, 3.0, 9.0], [True, False, False], [False] * 3),
        ("noise1", "mixture"): frame([0.0, 0.0], [-4.0, 4.0], [30.0, 40.0], [False, False], [False, True]),
        ("noise2", "danet"): frame([-3.0, 1.0, 5.0, 7.0], [1.0, 2.0, 3.0, 4.0], [0.0, 0.0, 0.0, 0.0], [True] * 4, [False] * 4),
    }
    summary = summarize(frames)
    assert list(summary.columns) == SUMMARY_COLUMNS
    # One SNR and no noise-class column: one row per (variant, method), all classes, at that SNR.
    assert (summary["noise_classes"] == "all").all() and (summary["snr_db"] == 0.0).all()
    summary = summary.set_index(["variant", "method"])
    assert summary.index.tolist() == list(frames)
    danet = summary.loc[("noise1", "danet")]
    assert danet["n_clips"] == 3
    assert (danet["gnsdr_mean"], danet["gnsdr_median"]) == (3.0, 2.0)
    assert (danet["gsir_mean"], danet["gsir_median"]) == (4.0, 2.0)
    assert (danet["gsar_mean"], danet["gsar_median"]) == (5.0, 3.0)
    assert danet["swapped_share"] == pytest.approx(1 / 3) and danet["silent_share"] == 0.0
    mixture = summary.loc[("noise1", "mixture")]
    assert (mixture["gsir_mean"], mixture["oracle_gsir_mean"], mixture["gsar_median"]) == (0.0, 4.0, 35.0)
    assert mixture["silent_share"] == 0.5
    noise2 = summary.loc[("noise2", "danet")]
    assert (noise2["gnsdr_mean"], noise2["gnsdr_median"]) == (2.5, 3.0)
    assert (noise2["oracle_gnsdr_mean"], noise2["oracle_gnsdr_median"]) == (4.0, 4.0)
    assert noise2["swapped_share"] == 1.0


def test_summary_pools_then_splits_by_snr_and_by_seen_and_unseen_noise_classes():
    # Two music clips of seen noise and one of unseen, each at -5 and 5 dB.
    snr = [-5.0, 5.0] * 3
    kinds = ["seen"] * 4 + ["unseen"] * 2
    nsdr = [1.0, 3.0, 2.0, 6.0, 10.0, 20.0]
    clips = pd.DataFrame({
        "mix_id": [f"c{i // 2}+snr{s:g}" for i, s in enumerate(snr)], "snr_db": snr, "noise_classes": kinds,
        "nsdr": nsdr, "sir": nsdr, "sar": nsdr, "oracle_nsdr": nsdr, "oracle_sir": nsdr, "oracle_sar": nsdr,
        "swapped": [True, False, False, False, False, False], "silent_music": False, "silent_noise": False,
    })
    summary = summarize({("noise1", "danet"): clips})
    keys = list(zip(summary["noise_classes"], summary["snr_db"].fillna(0.5)))
    assert keys == [("all", 0.5), ("all", -5.0), ("all", 5.0), ("seen", 0.5), ("seen", -5.0), ("seen", 5.0),
                    ("unseen", 0.5), ("unseen", -5.0), ("unseen", 5.0)]  # 0.5: the pooled row (snr_db empty)
    assert summary["snr_db"].isna().tolist() == [True, False, False] * 3
    by = summary.assign(snr=summary["snr_db"].fillna(99.0)).set_index(["noise_classes", "snr"])
    assert by.loc[("all", 99.0), "n_clips"] == 6 and by.loc[("all", 99.0), "gnsdr_mean"] == pytest.approx(7.0)
    assert by.loc[("all", -5.0), "gnsdr_mean"] == pytest.approx(13 / 3) and by.loc[("all", 5.0), "n_clips"] == 3
    assert by.loc[("seen", 99.0), "gnsdr_mean"] == 3.0 and by.loc[("seen", 99.0), "swapped_share"] == 0.25
    assert by.loc[("seen", 5.0), "gnsdr_median"] == 4.5 and by.loc[("unseen", -5.0), "gnsdr_mean"] == 10.0
    assert by.loc[("unseen", 99.0), "n_clips"] == 2 and by.loc[("unseen", 99.0), "swapped_share"] == 0.0
    # Only seen noise: no seen/unseen rows, just all (pooled, then per SNR).
    seen_only = summarize({("noise1", "danet"): clips[clips["noise_classes"] == "seen"]})
    assert seen_only["noise_classes"].tolist() == ["all"] * 3 and seen_only["n_clips"].tolist() == [4, 2, 2]


def test_per_clip_rows_carry_the_plans_noise_classes(tmp_path):
    music, noise = {}, {}
    for i in range(2):
        path = tmp_path / f"jazz.{i:05d}.wav"
        sf.write(path, archives.tone_clip(i + 5, 1.0, 22050), 22050)
        music[f"jazz.{i:05d}"] = str(path)
        path = tmp_path / f"5-{i}-A-0.wav"
        sf.write(path, np.random.default_rng(i + 9).standard_normal(44100 * 2).astype(np.float32) * 0.1, 44100)
        noise[f"5-{i}-A-0"] = str(path)
    plan = pd.DataFrame({"mix_id": ["jazz.00000+snr0", "jazz.00001+snr0"], "split": "test",
                         "music_id": ["jazz.00000", "jazz.00001"], "snr_db": 0.0, "noise_ids": ["5-0-A-0", "5-1-A-0"],
                         "noise_offsets_s": "0.1", "noise_classes": ["unseen", "seen"]})
    features = tmp_path / "test.h5"
    write_features(features, plan, music, noise, params=StftParams(), attrs={"variant": "noise1", "split": "test"})
    clips = evaluate_method(features, write_separation(tmp_path / "good", features, good))
    assert clips.set_index("mix_id")["noise_classes"].to_dict() == {"jazz.00000+snr0": "unseen", "jazz.00001+snr0": "seen"}
    summary = summarize({("noise1", "good"): clips})
    assert summary["noise_classes"].tolist() == ["all", "seen", "unseen"] and summary["n_clips"].tolist() == [2, 1, 1]


# --------------------------------------------------------------------------- regression vector


def test_clip_metrics_of_fixed_signals_match_the_stored_table_with_both_backends():
    from regression import vectors

    table = vectors.bss_outputs(vectors.load(vectors.BSS_SIGNALS_FILE))
    vectors.assert_table_close(table, vectors.BSS_METRICS_FILE, "evaluation.bss.clip_metrics")
    assert table["swapped"].tolist() == [False, True] * len(BACKENDS)
