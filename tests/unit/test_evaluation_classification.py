"""evaluation.classification: the original study's weighted precision, Wilson intervals, the gap
closed, the files one call writes (summary, confusion matrices, accuracy plot), and the stored
summary of a fixed prediction table."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from danet_music2vec.evaluation.classification import (
    ClassificationInputError, confusion, evaluate, gap_closed, read_confusion_csv, read_predictions, scores,
    summarize, wilson_interval,
)

GENRES = ["blues", "classical", "metal"]


def labels_from_confusion(matrix: np.ndarray, classes: list[str]) -> tuple[list[str], list[str]]:
    """(y_true, y_pred) with exactly the given confusion matrix (rows true, columns predicted)."""
    y_true, y_pred = [], []
    for i, j in np.ndindex(matrix.shape):
        y_true += [classes[i]] * int(matrix[i, j])
        y_pred += [classes[j]] * int(matrix[i, j])
    return y_true, y_pred


def test_weighted_precision_of_the_original_studys_example_is_0_58():
    # Supports (row totals) 15/25/10, predicted totals (column totals) 19/18/13, diagonal 10/12/6.
    matrix = np.array([[10, 3, 2], [8, 12, 5], [1, 3, 6]])
    y_true, y_pred = labels_from_confusion(matrix, GENRES)
    table = confusion(pd.DataFrame({"label": y_true, "predicted": y_pred}), GENRES)
    assert table.sum(axis=1).tolist() == [15, 25, 10]  # rows are the true genres
    assert table.sum(axis=0).tolist() == [19, 18, 13]  # columns the predicted ones
    assert np.diag(table).tolist() == [10, 12, 6]
    result = scores(y_true, y_pred)
    # (15 * 10/19 + 25 * 12/18 + 10 * 6/13) / 50
    expected = (15 * 10 / 19 + 25 * 12 / 18 + 10 * 6 / 13) / 50
    assert result["precision_weighted"] == pytest.approx(expected, abs=1e-12)
    assert round(result["precision_weighted"], 2) == 0.58
    # Weighted recall equals accuracy: sum of the diagonal over all clips.
    assert result["recall_weighted"] == pytest.approx(28 / 50) == result["accuracy"]
    assert result["n_clips"] == 50 and result["n_correct"] == 28
    f1 = [2 * p * r / (p + r) for p, r in zip([10 / 19, 12 / 18, 6 / 13], [10 / 15, 12 / 25, 6 / 10])]
    assert result["f1_weighted"] == pytest.approx((15 * f1[0] + 25 * f1[1] + 10 * f1[2]) / 50)
    assert result["f1_macro"] == pytest.approx(np.mean(f1))
    assert confusion(pd.DataFrame({"label": y_true, "predicted": y_pred}), GENRES).to_numpy().tolist() == matrix.tolist()


def test_wilson_interval_matches_the_hand_computed_value():
    # 29 of 50 (0.58), z = 1.96: centre (0.58 + 1.96^2/100) / (1 + 1.96^2/50) = 0.574291,
    # half width 1.96 * sqrt(0.58 * 0.42 / 50 + 1.96^2 / 10000) / 1.076832 = 0.131960.
    low, high = wilson_interval(29, 50, z=1.96)
    assert low == pytest.approx(0.442331, abs=2e-6)
    assert high == pytest.approx(0.706251, abs=2e-6)
    # Default z is the exact 97.5 % quantile (1.95996...): barely narrower than z = 1.96.
    low95, high95 = wilson_interval(29, 50)
    assert low95 > low and high95 < high and high95 - low95 == pytest.approx(high - low, rel=1e-4)
    # The interval stays inside [0, 1] at the edges, where the normal approximation does not.
    assert wilson_interval(0, 10)[0] == 0.0 and wilson_interval(0, 10)[1] == pytest.approx(0.2775, abs=1e-4)
    assert wilson_interval(10, 10)[1] == pytest.approx(1.0)
    assert all(math.isnan(v) for v in wilson_interval(0, 0))
    with pytest.raises(ValueError):
        wilson_interval(11, 10)


def test_gap_closed_and_its_undefined_case():
    assert gap_closed(0.5, 0.3, 0.7) == (pytest.approx(0.5), "")
    assert gap_closed(0.7, 0.3, 0.7)[0] == pytest.approx(1.0)
    assert gap_closed(0.1, 0.3, 0.7)[0] == pytest.approx(-0.5)
    value, note = gap_closed(0.5, 0.6, 0.6)
    assert math.isnan(value) and "undefined" in note
    value, note = gap_closed(0.5, 0.7, 0.6)
    assert value == pytest.approx(2.0) and "inverted" in note


def predictions(ids, music_ids, labels, predicted, snr=None) -> pd.DataFrame:
    frame = pd.DataFrame({"id": ids, "music_id": music_ids, "label": labels,
                          "snr_db": snr if snr is not None else [np.nan] * len(ids), "predicted": predicted})
    for genre in GENRES:
        frame[f"prob_{genre}"] = (frame["predicted"] == genre).astype(float)
    return frame


def small_table():
    """4 clips, two SNRs (0 and -5 dB): clean 3/4 right; mixture 1/4 (0 dB) and 1/4 (-5 dB);
    denoised 2/4 (0 dB) and 3/4 (-5 dB)."""
    music = ["blues.0", "classical.0", "metal.0", "metal.1"]
    labels = ["blues", "classical", "metal", "metal"]
    clean = predictions(music, music, labels, ["blues", "classical", "metal", "blues"])
    ids = [f"{m}+snr{s}" for s in (0, -5) for m in music]
    snr = [0.0] * 4 + [-5.0] * 4
    mixture = predictions(ids, music * 2, labels * 2,
                          ["metal", "metal", "metal", "blues"] + ["blues", "metal", "blues", "blues"], snr)
    denoised = predictions(ids, music * 2, labels * 2,
                           ["blues", "metal", "metal", "blues"] + ["blues", "classical", "metal", "blues"], snr)
    return clean, {("noise1", "mixture"): mixture, ("noise1", "danet"): denoised}


def test_summary_has_per_snr_rows_a_pooled_row_and_the_gap_closed_per_snr():
    clean, conditions = small_table()
    summary = summarize(clean, conditions)
    assert summary.iloc[0][["variant", "method"]].tolist() == ["clean", "clean"]
    assert math.isnan(summary.iloc[0]["snr_db"]) and summary.iloc[0]["accuracy"] == 0.75
    danet = summary[summary["method"] == "danet"]
    danet = danet.set_index(danet["snr_db"].fillna(99))
    assert sorted(danet.index) == [-5.0, 0.0, 99]  # 99: pooled row
    # 0 dB: (0.5 - 0.25) / (0.75 - 0.25) = 0.5; -5 dB: (0.75 - 0.25) / 0.5 = 1.0; pooled (5/8 - 2/8) / (6/8 - 2/8) = 0.75
    assert danet.loc[0.0, "gap_closed"] == pytest.approx(0.5)
    assert danet.loc[-5.0, "gap_closed"] == pytest.approx(1.0)
    assert danet.loc[99, "gap_closed"] == pytest.approx(0.75)
    assert danet.loc[99, "n_clips"] == 8 and danet.loc[0.0, "n_clips"] == 4
    mixture = summary[summary["method"] == "mixture"]
    assert (mixture["gap_closed"] == 0).all()
    low, high = wilson_interval(5, 8)
    assert (danet.loc[99, "accuracy_ci_low"], danet.loc[99, "accuracy_ci_high"]) == pytest.approx((low, high))


def test_gap_closed_8khz_is_measured_against_the_clean_8khz_condition_per_snr():
    clean, conditions = small_table()
    mixture = conditions[("noise1", "mixture")]
    # clean music through the 8 kHz path: 3/4 right at 0 dB, 2/4 at -5 dB (the band limit costs one clip there)
    conditions[("noise1", "clean_8khz")] = mixture.assign(
        predicted=["blues", "classical", "metal", "blues"] + ["blues", "classical", "blues", "blues"])
    summary = summarize(clean, conditions)
    danet = summary[summary["method"] == "danet"]
    danet = danet.set_index(danet["snr_db"].fillna(99))
    # 0 dB: (0.5 - 0.25) / (0.75 - 0.25) = 0.5; -5 dB: (0.75 - 0.25) / (0.5 - 0.25) = 2.0;
    # pooled: (5/8 - 2/8) / (5/8 - 2/8) = 1.0
    assert danet.loc[0.0, "clean_8khz_accuracy"] == 0.75 and danet.loc[-5.0, "clean_8khz_accuracy"] == 0.5
    assert danet.loc[0.0, "gap_closed_8khz"] == pytest.approx(0.5)
    assert danet.loc[-5.0, "gap_closed_8khz"] == pytest.approx(2.0)
    assert danet.loc[99, "gap_closed_8khz"] == pytest.approx(1.0)
    assert danet.loc[-5.0, "gap_closed"] == pytest.approx(1.0)  # against full-band clean music, unchanged
    without = summarize(clean, {k: v for k, v in conditions.items() if k[1] != "clean_8khz"})
    assert without["gap_closed_8khz"].isna().all() and without["clean_8khz_accuracy"].isna().all()


def test_gap_is_nan_with_a_note_when_noise_costs_no_accuracy():
    clean, conditions = small_table()
    conditions[("noise1", "mixture")] = conditions[("noise1", "mixture")].assign(
        predicted=lambda f: np.where(f["music_id"] == "metal.1", "blues", f["label"]))
    summary = summarize(clean, conditions)
    danet = summary[summary["method"] == "danet"]
    assert danet["gap_closed"].isna().all()
    assert danet["note"].str.contains("undefined").all()


def test_evaluate_writes_summary_confusion_matrices_and_a_plot(tmp_path):
    clean, conditions = small_table()
    root = tmp_path / "classification"
    (root / "noise1").mkdir(parents=True)
    clean.to_csv(root / "clean.csv", index=False)
    paths = []
    for (variant, method), frame in conditions.items():
        paths.append(root / variant / f"{method}.csv")
        frame.to_csv(paths[-1], index=False)
    out = tmp_path / "metrics"
    summary = evaluate(root / "clean.csv", paths, out / "classification_summary.csv", out / "confusion",
                       out / "accuracy.png")
    written = pd.read_csv(out / "classification_summary.csv")
    assert len(written) == len(summary) == 1 + 2 * 3
    matrix = read_confusion_csv(out / "confusion" / "noise1" / "danet.csv")
    assert list(matrix.columns) == GENRES and int(matrix.to_numpy().sum()) == 8
    assert matrix.loc["metal", "metal"] == 2
    for png in (out / "confusion" / "clean.png", out / "confusion" / "noise1" / "mixture.png", out / "accuracy.png"):
        with Image.open(png) as image:
            assert image.size[0] > 100 and image.size[1] > 100


def test_one_snr_still_gives_a_plot_and_no_pooled_duplicate(tmp_path):
    clean, conditions = small_table()
    conditions = {key: frame[frame["snr_db"] == 0.0] for key, frame in conditions.items()}
    summary = summarize(clean, conditions)
    assert summary["snr_db"].tolist()[1:] == [0.0, 0.0]
    from danet_music2vec.plots import plot_accuracy_vs_snr

    plot_accuracy_vs_snr(summary, tmp_path / "one.png")
    with Image.open(tmp_path / "one.png") as image:
        assert image.size[0] > 100


def test_bad_tables_fail_naming_the_file(tmp_path):
    clean, _ = small_table()
    path = tmp_path / "clean.csv"
    clean.drop(columns=["predicted"]).to_csv(path, index=False)
    with pytest.raises(ClassificationInputError, match="clean.csv.*predicted"):
        read_predictions(path)
    clean.assign(predicted="jazz").to_csv(path, index=False)
    with pytest.raises(ClassificationInputError, match="jazz"):
        read_predictions(path)
    with pytest.raises(ClassificationInputError, match="missing"):
        read_predictions(tmp_path / "absent.csv")


# --------------------------------------------------------------------------- regression vector


def test_summary_of_a_fixed_prediction_set_matches_the_stored_table():
    from regression import vectors

    summary = vectors.classification_outputs()
    vectors.assert_table_close(summary, vectors.CLASSIFICATION_FILE, "classification summary")
    # Two values by hand, so the stored table is not merely whatever the code gave once:
    # clean music 4 of 6 right; noise1/danet pooled over both SNRs 7 of 12 (5 + 2), its mixture
    # 5 of 12 (3 + 2), so the gap closed is (7/12 - 5/12) / (4/6 - 5/12) = 2/3.
    clean = summary.iloc[0]
    assert (clean["method"], clean["n_correct"], clean["n_clips"]) == ("clean", 4, 6)
    pooled = summary[(summary["variant"] == "noise1") & (summary["method"] == "danet") & summary["snr_db"].isna()].iloc[0]
    assert (pooled["n_correct"], pooled["mixture_accuracy"], pooled["clean_accuracy"]) == (7, 5 / 12, 4 / 6)
    assert pooled["gap_closed"] == pytest.approx(2 / 3)


def test_mcnemar_counts_the_discordant_clips_and_gives_the_exact_binomial_p():
    from danet_music2vec.evaluation.classification import mcnemar_exact

    method = [True, True, False, False, True, True]
    mixture = [False, False, False, True, True, True]
    assert mcnemar_exact(method, mixture) == (2, 1, 1.0)  # 2 wins, 1 loss: p = P(|X - 1.5| >= 0.5) = 1
    wins, losses, p = mcnemar_exact([False] * 6, [True] * 6)
    assert (wins, losses) == (0, 6) and p == pytest.approx(2 * 0.5**6)
    assert mcnemar_exact([True, False], [True, False]) == (0, 0, 1.0)  # no discordant clip
    with pytest.raises(ValueError, match="same clips"):
        mcnemar_exact([True], [True, False])
