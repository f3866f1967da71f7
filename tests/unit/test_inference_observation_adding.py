"""Observation adding and late fusion: the weight curves, their fit, the output itself."""

from __future__ import annotations

import math

import numpy as np
import pytest

from danet_music2vec.audio import observation_added
from danet_music2vec.inference.observation_adding import (
    MU_GRID, WeightCurve, attenuation_limit_weight, fit_curve, fused, mean_log_likelihood, probabilities_at,
)


def test_a_clean_input_gets_the_mixture_and_an_all_noise_input_the_estimate():
    curve = WeightCurve("logistic", centre_db=8.0, width_db=2.0)
    # the method finds almost no noise: the output is the mixture; almost no music: the estimate
    assert curve(60.0) == pytest.approx(1.0, abs=1e-9)
    assert curve(-60.0) == pytest.approx(0.0, abs=1e-9)
    assert curve(8.0) == pytest.approx(0.5)
    weights = curve(np.linspace(-30, 30, 61))
    assert np.all(np.diff(weights) >= 0) and np.all((weights >= 0) & (weights <= 1))


def test_the_observation_added_output_of_a_clip_at_a_known_snr_is_the_hand_computation():
    rng = np.random.default_rng(0)
    music = rng.standard_normal(8000).astype(np.float32)
    noise = (rng.standard_normal(8000) * 10 ** (-10 / 20)).astype(np.float32)  # a clip at 10 dB
    mixture = music + noise
    estimate = (0.9 * music).astype(np.float32)  # a method that also took 10 % of the music away
    curve = WeightCurve("logistic", centre_db=5.0, width_db=2.0)
    snr_est = 10 * math.log10(np.sum(estimate.astype(np.float64) ** 2) / np.sum((mixture - estimate).astype(np.float64) ** 2))
    mu = 1 / (1 + math.exp(-(snr_est - 5.0) / 2.0))
    out = observation_added(estimate, mixture, float(curve(snr_est)))
    expected = (1 - mu) * estimate.astype(np.float64) + mu * mixture.astype(np.float64)
    assert np.allclose(out, expected, atol=1e-6)
    assert 0.5 < mu < 1  # the method found a clip cleaner than the curve's centre


def test_observation_adding_refuses_a_weight_outside_zero_to_one():
    with pytest.raises(ValueError, match="in 0..1"):
        observation_added(np.zeros(4, np.float32), np.zeros(4, np.float32), 1.5)


def test_an_attenuation_limit_is_the_weight_deepfilternet_gives_it():
    assert attenuation_limit_weight(20.0) == pytest.approx(0.1)
    assert attenuation_limit_weight(10.0) == pytest.approx(0.316, abs=1e-3)
    assert attenuation_limit_weight(math.inf) == 0.0
    assert WeightCurve("constant", constant=0.1)(np.array([-20.0, 30.0])).tolist() == [0.1, 0.1]


def test_probabilities_between_grid_weights_are_interpolated():
    grid = (0.0, 0.5, 1.0)
    probs = np.array([[[0.2, 0.8], [0.6, 0.4], [1.0, 0.0]]])  # one clip, three weights, two classes
    assert np.allclose(probabilities_at(probs, grid, np.array([0.25])), [[0.4, 0.6]])
    assert np.allclose(probabilities_at(probs, grid, np.array([1.0])), [[1.0, 0.0]])
    assert np.allclose(probabilities_at(probs, grid, np.array([0.0])), [[0.2, 0.8]])


def test_the_fit_finds_the_curve_that_keeps_denoising_at_low_snr_and_the_mixture_at_high_snr():
    # Synthetic calibration: below 0 dB the raw output is classified right and the mixture wrong;
    # above 5 dB the other way round. The best logistic curve switches between them.
    rng = np.random.default_rng(1)
    snr = np.concatenate([rng.uniform(-15, -2, 40), rng.uniform(7, 20, 40)])
    labels = np.zeros(80, dtype=int)
    probs = np.zeros((80, len(MU_GRID), 2))
    for j, mu in enumerate(MU_GRID):
        right = np.where(snr < 0, 0.9 - 0.8 * mu, 0.1 + 0.8 * mu)
        probs[:, j, 0], probs[:, j, 1] = right, 1 - right
    curve, score = fit_curve(probs, MU_GRID, snr, labels, "logistic")
    assert curve.kind == "logistic" and -2 <= curve.centre_db <= 7
    assert curve(-10.0) < 0.1 and curve(15.0) > 0.9
    raw = mean_log_likelihood(probs[:, 0], labels)
    assert score > raw
    constant, constant_score = fit_curve(probs, MU_GRID, snr, labels, "constant")
    assert constant.kind == "constant" and constant_score <= score
    # the same inputs give the same curve: ties go to the first curve searched
    assert fit_curve(probs, MU_GRID, snr, labels, "logistic")[0] == curve


def test_late_fusion_weighs_the_two_posteriors():
    p_mix, p_den = np.array([[0.9, 0.1]]), np.array([[0.2, 0.8]])
    assert np.allclose(fused(p_mix, p_den, np.array([0.25])), [[0.375, 0.625]])
    assert np.allclose(fused(p_mix, p_den, np.array([1.0])), p_mix)
