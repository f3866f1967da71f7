"""inference.no_harm: the no-harm stage as the workflow runs it. The weights are fitted on a real
calibration set (validation music of the synthetic dataset mixed with validation noise at two
SNRs, stored by ``write_features``), separated by the ideal ratio mask (``separate_features``),
its outputs' SoundNet features at every weight of the grid (``write_feature_cache``, ids
``<mix_id>@<w>``) and a small trained GenreClassifier, which reads the grid from that cache
(frozen mode) or from the outputs' audio (finetune mode); then applied to a separation folder
(``apply_weights``) and to two predictions tables (``fuse_predictions``).

The pinned SoundNet weights, the synthetic music and the trained head are session fixtures of
tests/unit/conftest.py."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import soundfile as sf
import torch
from builders import DANET_STFT
from builders import M2V_GENRES as GENRES

from danet_music2vec.audio import classifier_input, observation_added
from danet_music2vec.data.features import SegmentStore, StftParams, write_features
from danet_music2vec.data.items import AudioReader, separated_items
from danet_music2vec.data.mixing import plan_mixture_set
from danet_music2vec.evaluation.bss import clip_metrics
from danet_music2vec.inference.embeddings import write_feature_cache
from danet_music2vec.inference.no_harm import (
    FIT_FORMAT, apply_weights, calibration_items, does_no_harm, fit_fusion, fit_no_harm, fuse_predictions,
    grid_predictions, grid_probabilities, read_curve, write_fit,
)
from danet_music2vec.inference.observation_adding import MU_GRID, WeightCurve, fused, mean_log_likelihood
from danet_music2vec.inference.outputs import (
    INDEX_COLUMNS, blind_snr_db, read_estimates, read_music_estimate, read_separation_index,
)
from danet_music2vec.inference.prediction import classify_cached_with, classify_items
from danet_music2vec.inference.separation import SeparationSettings, Separator, separate_features
from danet_music2vec.methods import PREDICTION_COLUMNS
from danet_music2vec.models.music2vec import load_classifier

CALIBRATION_SNRS = [-5.0, 5.0]
CALIBRATION_CLIPS = 4  # of the six validation clips of the synthetic music


@pytest.fixture(scope="module")
def calibration(m2v_data, m2v_soundnet, tmp_path_factory) -> dict[str, Path]:
    """A calibration set as the workflow builds it: its feature file, its separation by the ideal
    ratio mask and the SoundNet features of that separation at every weight of MU_GRID."""
    root = tmp_path_factory.mktemp("calibration")
    manifest = pd.read_csv(m2v_data["manifest"]).merge(pd.read_csv(m2v_data["splits"]), on="clip_id")
    rng = np.random.default_rng(2)
    noise_rows, noise_paths = [], {}
    for label, shaped in (("rain", rng.standard_normal(44100 * 4)),
                          ("wind", np.cumsum(rng.standard_normal(44100 * 4)))):
        clip_id = f"valid-{label}-0"
        noise_paths[clip_id] = str(root / f"{clip_id}.wav")
        shaped = shaped - shaped.mean()
        sf.write(noise_paths[clip_id], (0.1 * shaped / np.abs(shaped).max()).astype(np.float32), 44100)
        noise_rows.append({"clip_id": clip_id, "split": "valid", "label": label, "duration_s": 4.0})
    plan = plan_mixture_set(manifest[["clip_id", "split"]], pd.DataFrame(noise_rows), name="calibration",
                            source_split="valid", snr_db=CALIBRATION_SNRS, max_clips=CALIBRATION_CLIPS, n_noises=1,
                            seed=3)
    features = root / "calibration.h5"
    write_features(features, plan, dict(zip(manifest["clip_id"], manifest["path"])), noise_paths,
                   params=StftParams(), attrs={"variant": "noise1", "split": "calibration", "config_hash": "t"})
    separation = root / "separation" / "oracle_irm"
    separate_features(features, separation, Separator("oracle_irm", DANET_STFT, SeparationSettings()))
    cache = root / "oracle_irm.h5"  # what rule calibration_features writes (no_harm_features.py)
    write_feature_cache(calibration_items(separation, m2v_data["manifest"], features), cache, m2v_soundnet,
                        progress=False)
    return {"features": features, "separation": separation, "cache": cache, "manifest": m2v_data["manifest"]}


@pytest.fixture(scope="module")
def classifier(m2v_trained, soundnet_weights_file):
    return load_classifier(m2v_trained / "model.pt", soundnet_weights_file)


@pytest.fixture(scope="module")
def cached(classifier, calibration) -> pd.DataFrame:
    """The classifier's predictions of the grid from the cache (frozen mode)."""
    return grid_predictions(classifier, cache=calibration["cache"])


@pytest.fixture(scope="module")
def fitted(classifier, calibration, cached):
    return fit_no_harm(classifier, cached, calibration["separation"], calibration["features"],
                       curves=("logistic", "constant"))


def mixtures_of(features: Path) -> dict[str, np.ndarray]:
    """mix_id -> the stored mixture (8 kHz) of a feature file."""
    with SegmentStore(features) as store:
        return {m: store.waveforms(i)["mixture"] for i, m in enumerate(store.mixtures()["mix_id"])}


def write_constant_fit(path: Path, mu: float) -> Path:
    """A fit file with one constant curve, written as fit_no_harm's are."""
    fit = {"format": FIT_FORMAT, "grid": list(MU_GRID), "clips": 1, "calibration_snrs": [0.0],
           "curves": {"constant": {"curve": WeightCurve("constant", constant=mu).as_dict(), "log_likelihood": -1.0}}}
    scores = pd.DataFrame([{"snr_db": math.nan, "output": "constant", "clips": 1, "accuracy": 1.0,
                            "log_likelihood": -1.0, "mean_weight": mu, "nsdr": 0.0}])
    write_fit(fit, scores, path, path.with_name(path.stem + "_scores.csv"))
    return path


# --------------------------------------------------------------------------- apply_weights


def test_a_no_harm_output_is_the_estimate_with_the_mixture_added_back_by_the_curve_at_the_blind_snr(
        calibration, tmp_path):
    base = calibration["separation"]
    base_index = pd.read_csv(base / "index.csv")
    snrs = base_index["blind_snr_db"].astype(float)
    # a curve centred among the clips' blind SNR estimates, so that the weights are mid-range and differ
    curve = WeightCurve("logistic", centre_db=float(snrs.median()), width_db=4.0)
    out = tmp_path / "oracle_irm_oa"
    frame = apply_weights(base, calibration["features"], curve, out)

    # the folder stores no audio: its index points at the base method's files
    assert sorted(p.name for p in out.iterdir()) == ["index.csv"]
    written = pd.read_csv(out / "index.csv")
    assert written.columns.tolist() == list(INDEX_COLUMNS) and len(written) == len(base_index) == len(frame)
    assert written["mix_id"].tolist() == base_index["mix_id"].tolist()
    for column in ("music_id", "snr_db", "music_gain", "audio_seconds"):
        assert written[column].tolist() == base_index[column].tolist(), column
    assert [(out / p).resolve() for p in written["music_path"]] == [(base / p).resolve() for p in base_index["music_path"]]
    assert (written["noise_estimate"] == "residual").all() and (written["seconds"] == 0).all()

    mixtures = mixtures_of(calibration["features"])
    mu = 1.0 / (1.0 + np.exp(-(snrs.to_numpy() - curve.centre_db) / curve.width_db))
    np.testing.assert_allclose(written["mix_weight"], mu, rtol=1e-9)
    assert mu.min() < 0.4 and mu.max() > 0.6  # mid-range weights: neither end of the curve
    index = read_separation_index(out)
    reader_items = separated_items(out, calibration["manifest"], features=calibration["features"])
    assert reader_items["mix_weight"].tolist() == pytest.approx(mu.tolist(), rel=1e-9)
    with AudioReader() as reader:
        for k, entry in enumerate(base_index.itertuples()):
            mixture = mixtures[entry.mix_id]
            estimate, _ = sf.read(base / entry.music_path, dtype="float32")
            estimate = estimate / np.float32(entry.music_gain)
            expected = ((1 - mu[k]) * estimate.astype(np.float64) + mu[k] * mixture.astype(np.float64)).astype(np.float32)
            music, noise = read_estimates(index.loc[entry.mix_id], mixture)
            np.testing.assert_allclose(music, expected, atol=1e-6)
            np.testing.assert_allclose(noise, mixture - expected, atol=1e-6)
            # the weighted output's own blind SNR, not the base's
            assert written.loc[k, "blind_snr_db"] == pytest.approx(blind_snr_db(expected, mixture - expected), abs=1e-6)
            # what the classifier reads of the output: the weighted audio's classifier copy
            item = reader_items.iloc[k]
            assert Path(item["audio_path"]) == (base / entry.music_path).resolve()
            np.testing.assert_allclose(reader.read(item), classifier_input(expected, 8000), atol=2 / 32768)
    # mu rises with the blind SNR: the clip the method finds cleanest gets the most mixture back
    assert written["mix_weight"].argmax() == snrs.argmax()


@pytest.mark.parametrize("mu", [0.0, 1.0])
def test_a_fitted_weight_of_one_gives_the_mixture_back_exactly_and_zero_the_raw_estimate(calibration, tmp_path, mu):
    curve = read_curve(write_constant_fit(tmp_path / "fit.json", mu), "constant")
    assert curve == WeightCurve("constant", constant=mu)
    base = calibration["separation"]
    out = tmp_path / "weighted"
    apply_weights(base, calibration["features"], curve, out)
    index, base_index = read_separation_index(out), read_separation_index(base)
    assert (index["mix_weight"] == mu).all()
    for mix_id, mixture in mixtures_of(calibration["features"]).items():
        music, noise = read_estimates(index.loc[mix_id], mixture)
        raw = read_music_estimate(base_index.loc[mix_id, "music_path"], base_index.loc[mix_id, "music_gain"])
        if mu == 1.0:
            np.testing.assert_array_equal(music, mixture)
            np.testing.assert_array_equal(noise, np.zeros_like(mixture))
        else:
            np.testing.assert_array_equal(music, raw)
            np.testing.assert_array_equal(noise, mixture - raw)
        assert not np.array_equal(raw, mixture)  # the two limits differ: the test can tell them apart


# --------------------------------------------------------------------------- fuse_predictions


def predictions(ids, probs) -> pd.DataFrame:
    probs = np.asarray(probs, dtype=float)
    table = pd.DataFrame({"id": ids, "music_id": [i.split("+")[0] for i in ids],
                          "label": [i.split(".")[0] for i in ids], "snr_db": [float(i.split("snr")[1]) for i in ids],
                          "predicted": np.asarray(GENRES)[probs.argmax(1)]})
    for j, genre in enumerate(GENRES):
        table[f"prob_{genre}"] = probs[:, j]
    return table


def test_late_fusion_weighs_the_mixtures_and_the_denoised_posteriors_by_the_curve_at_the_blind_snr(calibration):
    separation = calibration["separation"]
    index = read_separation_index(separation)
    ids = index.index[:3].tolist()
    mixture = predictions(ids, [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6]])
    denoised = predictions(ids[::-1], [[0.1, 0.1, 0.8], [0.1, 0.3, 0.6], [0.2, 0.7, 0.1]])  # another order
    curve = WeightCurve("logistic", centre_db=float(index.loc[ids, "blind_snr_db"].median()), width_db=3.0)
    out = fuse_predictions(mixture, denoised, separation, curve)

    assert out.columns.tolist() == [*PREDICTION_COLUMNS, *(f"prob_{g}" for g in GENRES)]
    assert out["id"].tolist() == denoised["id"].tolist()  # the denoised table's rows, in its order
    on_mixture, on_denoised = mixture.set_index("id"), denoised.set_index("id")
    for row in out.itertuples():
        x = float(index.loc[row.id, "blind_snr_db"])
        w = 1.0 / (1.0 + math.exp(-(x - curve.centre_db) / curve.width_db))
        p_mix = on_mixture.loc[row.id, [f"prob_{g}" for g in GENRES]].to_numpy(float)
        p_den = on_denoised.loc[row.id, [f"prob_{g}" for g in GENRES]].to_numpy(float)
        expected = w * p_mix + (1 - w) * p_den
        assert [getattr(row, f"prob_{g}") for g in GENRES] == pytest.approx(expected.tolist(), rel=1e-12)
        assert row.predicted == GENRES[int(expected.argmax())]
        assert (row.music_id, row.label, row.snr_db) == tuple(on_denoised.loc[row.id, ["music_id", "label", "snr_db"]])
    # the prediction is the fused posterior's, not the denoised table's
    assert (out.set_index("id")["predicted"] != on_denoised["predicted"]).any()
    # the two limits of the weight: the mixture's posteriors, or the denoised ones
    for mu, source in ((1.0, on_mixture), (0.0, on_denoised)):
        limit = fuse_predictions(mixture, denoised, separation, WeightCurve("constant", constant=mu)).set_index("id")
        pd.testing.assert_frame_equal(limit.filter(like="prob_"), source.loc[limit.index].filter(like="prob_"))


def test_late_fusion_refuses_tables_that_do_not_cover_the_same_clips(calibration):
    separation = calibration["separation"]
    ids = read_separation_index(separation).index[:3].tolist()
    probs = [[0.6, 0.3, 0.1]] * 3
    curve = WeightCurve("logistic", centre_db=0.0, width_db=3.0)
    with pytest.raises(ValueError, match="do not cover the same clips"):
        fuse_predictions(predictions(ids[:2], probs[:2]), predictions(ids, probs), separation, curve)
    with pytest.raises(ValueError, match="do not cover the same clips"):
        fuse_predictions(predictions(ids, probs), predictions(ids[:2], probs[:2]), separation, curve)


# --------------------------------------------------------------------------- the fits


def test_grid_probabilities_are_the_classifiers_on_every_cached_weight_in_mix_id_order(classifier, calibration,
                                                                                       cached):
    clips, probs = grid_probabilities(classifier, cached)
    n = CALIBRATION_CLIPS * len(CALIBRATION_SNRS)
    assert probs.shape == (n, len(MU_GRID), len(GENRES)) and len(clips) == n
    assert clips["mix_id"].is_monotonic_increasing and clips["mix_id"].is_unique
    assert clips["label_index"].tolist() == [GENRES.index(g) for g in clips["label"]]
    table = classify_cached_with([classifier], calibration["cache"])[0].set_index("id")
    for i, mix_id in enumerate(clips["mix_id"]):
        for j, weight in enumerate(MU_GRID):
            expected = table.loc[f"{mix_id}@{weight:g}", [f"prob_{g}" for g in GENRES]].to_numpy(float)
            np.testing.assert_allclose(probs[i, j], expected, rtol=1e-12)
    # the outputs at different weights are different audio, so their probabilities differ
    assert not np.allclose(probs[:, 0], probs[:, -1])
    with pytest.raises(ValueError, match=rf"calibration grid predictions: 0 clips at weight 0.2, expected {n}"):
        grid_probabilities(classifier, cached, (0.0, 0.2))
    assert "mix_id" not in cached.columns  # the caller's table is left as it was


def test_the_no_harm_fit_scores_raw_mixture_and_each_curve_per_calibration_snr_and_pooled(
        classifier, calibration, fitted):
    fit, scores = fitted
    n = CALIBRATION_CLIPS * len(CALIBRATION_SNRS)
    assert fit["format"] == FIT_FORMAT and fit["grid"] == list(MU_GRID)
    assert fit["clips"] == n and fit["calibration_snrs"] == CALIBRATION_SNRS
    assert sorted(fit["curves"]) == ["constant", "logistic"]
    assert fit["curves"]["logistic"]["curve"]["kind"] == "logistic"
    assert fit["curves"]["constant"]["curve"]["kind"] == "constant"

    outputs = ["raw", "mixture", "logistic", "constant"]
    assert scores.columns.tolist() == ["snr_db", "output", "clips", "accuracy", "log_likelihood", "mean_weight", "nsdr"]
    assert len(scores) == (1 + len(CALIBRATION_SNRS)) * len(outputs)
    pooled = scores[scores["snr_db"].isna()].set_index("output")
    assert pooled.index.tolist() == outputs and (pooled["clips"] == n).all()
    for snr in CALIBRATION_SNRS:
        at = scores[scores["snr_db"] == snr]
        assert at["output"].tolist() == outputs and (at["clips"] == CALIBRATION_CLIPS).all()
    assert (scores.loc[scores["output"] == "raw", "mean_weight"] == 0).all()
    assert (scores.loc[scores["output"] == "mixture", "mean_weight"] == 1).all()
    # each curve's no-harm flag: at least the mixture's accuracy at every calibration SNR
    per_snr = scores[scores["snr_db"].notna()].pivot(index="snr_db", columns="output", values="accuracy")
    for kind in ("logistic", "constant"):
        harmless = fit["curves"][kind]["no_harm_on_validation"]
        assert harmless is bool((per_snr[kind] >= per_snr["mixture"] - 1e-12).all())
    # NSDR of the mixture itself is zero by definition: not scored; every other output is
    assert scores.loc[scores["output"] == "mixture", "nsdr"].isna().all()
    assert np.isfinite(scores.loc[scores["output"] != "mixture", "nsdr"]).all()

    # raw and mixture are the classifier's outputs at grid weights 0 and 1, by hand
    table = classify_cached_with([classifier], calibration["cache"])[0]
    for name, suffix in (("raw", "@0"), ("mixture", "@1")):
        at = table[table["id"].str.endswith(suffix)]
        chosen = at.apply(lambda r: r[f"prob_{r['label']}"], axis=1).to_numpy(float)
        assert pooled.loc[name, "accuracy"] == pytest.approx(float((at["predicted"] == at["label"]).mean()))
        assert pooled.loc[name, "log_likelihood"] == pytest.approx(float(np.mean(np.log(np.maximum(chosen, 1e-6)))))
    # the fit's log-likelihood is the pooled score of its curve; the constant search includes mu = 0
    for kind in ("logistic", "constant"):
        assert fit["curves"][kind]["log_likelihood"] == pytest.approx(pooled.loc[kind, "log_likelihood"])
    assert pooled.loc["constant", "log_likelihood"] >= pooled.loc["raw", "log_likelihood"] - 1e-12
    # the ideal ratio mask improves on the mixture: positive NSDR
    assert pooled.loc["raw", "nsdr"] > 0
    # the constant curve's validation NSDR, by hand from the references and the weighted estimates
    mu = WeightCurve.from_dict(fit["curves"]["constant"]["curve"])(0.0).item()
    index = read_separation_index(calibration["separation"])
    nsdr = []
    with SegmentStore(calibration["features"]) as store:
        for i, mix_id in enumerate(store.mixtures()["mix_id"]):
            refs = store.waveforms(i)
            music = observation_added(read_estimates(index.loc[mix_id], refs["mixture"])[0], refs["mixture"], mu)
            nsdr.append(clip_metrics(refs["music"], refs["noise"], music, refs["mixture"] - music, refs["mixture"],
                                     "fast_bss_eval")["nsdr"])
    assert pooled.loc["constant", "nsdr"] == pytest.approx(float(np.mean(nsdr)), abs=1e-6)


def test_a_fit_file_round_trips_and_a_wrong_one_is_refused_naming_the_file(fitted, tmp_path):
    fit, scores = fitted
    fit_path, scores_path = tmp_path / "danet.json", tmp_path / "danet_scores.csv"
    write_fit(fit, scores, fit_path, scores_path)
    assert json.loads(fit_path.read_text()) == json.loads(json.dumps(fit))
    for kind in ("logistic", "constant"):
        assert read_curve(fit_path, kind) == WeightCurve.from_dict(fit["curves"][kind]["curve"])
    back = pd.read_csv(scores_path)
    assert back[["output", "clips"]].equals(scores[["output", "clips"]])
    assert back["snr_db"].isna().sum() == 4  # the pooled rows, one per output
    numbers = ["snr_db", "accuracy", "log_likelihood", "mean_weight", "nsdr"]
    np.testing.assert_allclose(back[numbers].to_numpy(float), scores[numbers].to_numpy(float), rtol=1e-5, atol=1e-9)

    other = tmp_path / "other.json"
    other.write_text(json.dumps({**fit, "format": "no-harm-fit-0"}))
    with pytest.raises(ValueError, match=rf"{other}: not a no-harm fit \({FIT_FORMAT}\)"):
        read_curve(other, "logistic")
    logistic_only = tmp_path / "logistic_only.json"
    logistic_only.write_text(json.dumps({**fit, "curves": {"logistic": fit["curves"]["logistic"]}}))
    with pytest.raises(ValueError, match=rf"{logistic_only}: no constant curve \(has \['logistic'\]\)"):
        read_curve(logistic_only, "constant")


def test_the_fusion_fit_is_the_best_logistic_mix_of_the_raw_and_the_mixture_posteriors(classifier, calibration,
                                                                                        cached):
    fit = fit_fusion(classifier, cached, calibration["separation"])
    n = CALIBRATION_CLIPS * len(CALIBRATION_SNRS)
    assert sorted(fit) == ["clips", "curve", "log_likelihood", "no_harm_on_validation", "scores"] and fit["clips"] == n
    curve = WeightCurve.from_dict(fit["curve"])
    assert curve.kind == "logistic"
    clips, probs = grid_probabilities(classifier, cached)
    labels = clips["label_index"].to_numpy()
    snr = read_separation_index(calibration["separation"]).loc[clips["mix_id"], "blind_snr_db"].to_numpy(float)
    # its score, by hand: the fused posteriors of the raw output (weight 0) and the mixture (weight 1)
    by_hand = mean_log_likelihood(fused(probs[:, -1], probs[:, 0], curve(snr)), labels)
    assert fit["log_likelihood"] == pytest.approx(by_hand, abs=1e-12)
    # either posterior alone is a curve the search can reach (nearly): the fit is at least as good
    for alone in (probs[:, 0], probs[:, -1]):
        assert fit["log_likelihood"] >= mean_log_likelihood(alone, labels) - 1e-6
    # no harm on validation: at no calibration SNR fewer clips right than the mixture, by hand
    right = fused(probs[:, -1], probs[:, 0], curve(snr)).argmax(1) == labels
    mixture_right = probs[:, -1].argmax(1) == labels
    by_snr = [right[clips["snr_db"] == s].sum() >= mixture_right[clips["snr_db"] == s].sum() for s in CALIBRATION_SNRS]
    assert fit["no_harm_on_validation"] is bool(all(by_snr))
    assert json.loads(json.dumps(fit)) == fit  # what fuse_predictions.py writes as the fit file


def test_the_fusion_fit_scores_raw_mixture_and_fusion_per_calibration_snr_and_pooled(classifier, calibration,
                                                                                       cached):
    fit = fit_fusion(classifier, cached, calibration["separation"])
    n = CALIBRATION_CLIPS * len(CALIBRATION_SNRS)
    # the records json.dumps writes (strict json: no NaN; the pooled rows' snr_db is null)
    assert json.loads(json.dumps(fit, allow_nan=False)) == fit
    scores = pd.DataFrame(fit["scores"])
    outputs = ["raw", "mixture", "fusion"]
    assert scores.columns.tolist() == ["snr_db", "output", "clips", "accuracy", "log_likelihood", "mean_weight"]
    assert len(scores) == (1 + len(CALIBRATION_SNRS)) * len(outputs)
    assert [r["snr_db"] for r in fit["scores"][:3]] == [None] * 3  # pooled first
    pooled = scores[scores["snr_db"].isna()].set_index("output")
    assert pooled.index.tolist() == outputs and (pooled["clips"] == n).all()
    per_snr = scores[scores["snr_db"].notna()]
    assert sorted(per_snr["snr_db"].unique()) == CALIBRATION_SNRS
    for output in outputs:  # each SNR's clips add up to the pooled row's
        assert per_snr.loc[per_snr["output"] == output, "clips"].tolist() == [CALIBRATION_CLIPS] * len(CALIBRATION_SNRS)
        assert per_snr.loc[per_snr["output"] == output, "clips"].sum() == pooled.loc[output, "clips"]
    assert scores["accuracy"].between(0, 1).all()

    # raw and mixture are the classifier's outputs at grid weights 0 and 1, by hand, per SNR and pooled
    table = classify_cached_with([classifier], calibration["cache"])[0]
    for name, suffix, weight in (("raw", "@0", 0.0), ("mixture", "@1", 1.0)):
        at = table[table["id"].str.endswith(suffix)]
        for snr in [None, *CALIBRATION_SNRS]:
            part = at if snr is None else at[at["snr_db"] == snr]
            row = pooled.loc[name] if snr is None else per_snr[(per_snr["output"] == name)
                                                               & (per_snr["snr_db"] == snr)].iloc[0]
            chosen = part.apply(lambda r: r[f"prob_{r['label']}"], axis=1).to_numpy(float)
            assert row["clips"] == len(part)
            assert row["accuracy"] == pytest.approx(float((part["predicted"] == part["label"]).mean()))
            assert row["log_likelihood"] == pytest.approx(float(np.mean(np.log(np.maximum(chosen, 1e-6)))))
            assert row["mean_weight"] == weight
    # the fusion's pooled log-likelihood is the fit's; its accuracy and weights are the fused
    # posteriors' at the curve, by hand
    assert pooled.loc["fusion", "log_likelihood"] == pytest.approx(fit["log_likelihood"], abs=1e-12)
    curve = WeightCurve.from_dict(fit["curve"])
    clips, probs = grid_probabilities(classifier, cached)
    snr = read_separation_index(calibration["separation"]).loc[clips["mix_id"], "blind_snr_db"].to_numpy(float)
    weights = curve(snr)
    both = fused(probs[:, -1], probs[:, 0], weights)
    labels = clips["label_index"].to_numpy()
    assert pooled.loc["fusion", "accuracy"] == pytest.approx(float(np.mean(both.argmax(1) == labels)))
    assert pooled.loc["fusion", "mean_weight"] == pytest.approx(float(weights.mean()))
    for value in CALIBRATION_SNRS:
        keep = (clips["snr_db"] == value).to_numpy()
        row = per_snr[(per_snr["output"] == "fusion") & (per_snr["snr_db"] == value)].iloc[0]
        assert row["log_likelihood"] == pytest.approx(mean_log_likelihood(both[keep], labels[keep]), abs=1e-12)
        assert row["mean_weight"] == pytest.approx(float(weights[keep].mean()))
    # the fitted curve is at least as good as either end on the calibration clips
    assert pooled.loc["fusion", "log_likelihood"] >= pooled.loc[["raw", "mixture"], "log_likelihood"].max() - 1e-6


# --------------------------------------------------------------------------- the grid from the audio (finetune mode)


@pytest.fixture(scope="module")
def grid_items(calibration) -> pd.DataFrame:
    return calibration_items(calibration["separation"], calibration["manifest"], calibration["features"])


def test_the_grid_from_the_audio_is_the_grid_from_the_cache_for_a_frozen_classifier(
        classifier, calibration, cached, grid_items, fitted):
    """The two sources of grid_predictions give the same table (same SoundNet, same audio), so the
    probabilities, and the fits made of them, agree."""
    n = CALIBRATION_CLIPS * len(CALIBRATION_SNRS)
    assert len(grid_items) == n * len(MU_GRID)
    assert grid_items["id"].tolist() == [f"{m}@{w:g}" for w in MU_GRID for m in read_separation_index(
        calibration["separation"]).index]
    assert (grid_items["condition"] == "calibration").all() and (grid_items["split"] == "valid").all()
    from_audio = grid_predictions(classifier, items=grid_items)
    assert from_audio.columns.tolist() == cached.columns.tolist()
    # the same rows: ids <mix_id>@<w>, clips, genres, SNRs, in the same order
    pd.testing.assert_frame_equal(from_audio[["id", "music_id", "label", "snr_db"]],
                                  cached[["id", "music_id", "label", "snr_db"]])
    np.testing.assert_allclose(from_audio.filter(like="prob_").to_numpy(float),
                               cached.filter(like="prob_").to_numpy(float), rtol=1e-5, atol=1e-7)
    clips_audio, probs_audio = grid_probabilities(classifier, from_audio)
    clips_cache, probs_cache = grid_probabilities(classifier, cached)
    pd.testing.assert_frame_equal(clips_audio, clips_cache)
    assert probs_audio.shape == (n, len(MU_GRID), len(GENRES))
    np.testing.assert_allclose(probs_audio, probs_cache, rtol=1e-5, atol=1e-7)
    # the fusion fit, and the no-harm fit's scores, from either source
    fusion_audio, fusion_cache = (fit_fusion(classifier, t, calibration["separation"]) for t in (from_audio, cached))
    assert fusion_audio["curve"] == fusion_cache["curve"] and fusion_audio["clips"] == fusion_cache["clips"]
    assert fusion_audio["log_likelihood"] == pytest.approx(fusion_cache["log_likelihood"], rel=1e-6)
    _, scores = fit_no_harm(classifier, from_audio, calibration["separation"], calibration["features"],
                            curves=("constant",))
    expected = fitted[1][fitted[1]["output"].isin(["raw", "mixture", "constant"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(scores, expected, rtol=1e-6)


def test_a_finetuned_classifier_reads_the_grid_from_the_audio_through_its_own_soundnet(
        classifier, calibration, cached, grid_items):
    finetuned = copy.deepcopy(classifier)
    finetuned.mode = "finetune"
    with torch.no_grad():  # fine-tuned SoundNet layers: no longer the pretrained weights the cache holds
        for parameter in finetuned.soundnet.parameters():
            parameter.mul_(1.05)
    with pytest.raises(ValueError, match=rf"{calibration['cache'].name}: .*finetune"):
        grid_predictions(finetuned, cache=calibration["cache"])
    from_audio = grid_predictions(finetuned, items=grid_items)
    pd.testing.assert_frame_equal(from_audio, classify_items(finetuned, grid_items, progress=False))
    assert from_audio["id"].tolist() == cached["id"].tolist()
    assert not np.allclose(from_audio.filter(like="prob_"), cached.filter(like="prob_"), atol=1e-4)
    fit, scores = fit_no_harm(finetuned, from_audio, calibration["separation"], calibration["features"])
    assert fit["clips"] == CALIBRATION_CLIPS * len(CALIBRATION_SNRS) and sorted(fit["curves"]) == ["logistic"]
    assert scores["output"].unique().tolist() == ["raw", "mixture", "logistic"]
    assert fit_fusion(finetuned, from_audio, calibration["separation"])["clips"] == fit["clips"]


def test_grid_predictions_need_exactly_one_source(classifier, calibration, grid_items):
    for sources in ({}, {"cache": calibration["cache"], "items": grid_items}):
        with pytest.raises(ValueError, match="exactly one source"):
            grid_predictions(classifier, **sources)


def test_an_output_that_loses_one_clip_to_the_mixture_at_one_snr_does_harm_on_validation():
    rows = [(math.nan, "mixture", 40, 0.5), (math.nan, "fusion", 40, 0.6),
            (-10.0, "mixture", 20, 0.3), (-10.0, "fusion", 20, 0.5),
            (10.0, "mixture", 20, 0.7), (10.0, "fusion", 20, 0.7)]
    scores = pd.DataFrame(rows, columns=["snr_db", "output", "clips", "accuracy"])
    assert does_no_harm(scores, "fusion") is True  # a tie is no harm
    scores.loc[5, "accuracy"] = 0.65  # one clip of 20 fewer at +10 dB; pooled it still wins
    assert does_no_harm(scores, "fusion") is False
