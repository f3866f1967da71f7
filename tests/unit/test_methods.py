"""methods: the one list of separation methods that the rules, the separation stage, the metrics
and the report read."""

from __future__ import annotations

import pytest
import torch

from danet_music2vec import methods
from danet_music2vec.evaluation.classification import CLEAN_8KHZ
from danet_music2vec.inference.separation import SeparationSettings, Separator
from danet_music2vec.models.danet import DANet, DanetConfig
from danet_music2vec.training.music2vec import CONDITIONS

STFT = {"sample_rate": 8000, "n_fft": 256, "hop_length": 64, "window": "sqrt_hann", "segment_frames": 100}


@pytest.mark.parametrize("method", methods.SEPARATION_METHODS)
def test_every_separation_method_is_one_the_separator_runs(method):
    model = DANet(DanetConfig(n_bins=129, layers=1, units=4, embedding_dim=2)) if method in methods.DANET_MODELS else None
    separator = Separator(method, STFT, SeparationSettings(kmeans_max_points=100), model)
    mixture, music, noise = (torch.rand(2000).numpy() - 0.5 for _ in range(3))
    estimates = separator(mixture.astype("float32"), music.astype("float32"), noise.astype("float32"))
    assert [e.shape for e in estimates] == [(2000,), (2000,)]


def test_bss_methods_are_the_output_folders_but_the_reference_in_order():
    assert methods.REFERENCE_METHOD == "clean_8khz" == CLEAN_8KHZ
    assert methods.OUTPUT_METHODS == methods.SEPARATION_METHODS + tuple(methods.NO_HARM_METHODS)
    assert methods.BSS_METHODS == tuple(m for m in methods.OUTPUT_METHODS if m != methods.REFERENCE_METHOD)
    assert methods.CLASSIFIED_METHODS == methods.OUTPUT_METHODS + tuple(methods.FUSION_METHODS)


def test_no_harm_outputs_and_fusions_start_from_separation_methods():
    assert set(methods.NO_HARM_METHODS.values()) | set(methods.FUSION_METHODS.values()) <= set(methods.SEPARATION_METHODS)
    assert not set(methods.NO_HARM_METHODS) & set(methods.SEPARATION_METHODS)
    assert set(methods.ACCURACY_PLOT_METHODS) <= set(methods.CLASSIFIED_METHODS)
    assert methods.REFERENCE_METHOD in methods.SEPARATION_METHODS
    assert len(set(methods.SEPARATION_METHODS)) == len(methods.SEPARATION_METHODS)


def test_danet_models_are_separation_methods_ours_first():
    assert methods.DANET_MODELS == ("danet", "danet_original")
    assert set(methods.DANET_MODELS) <= set(methods.SEPARATION_METHODS)
    assert methods.MIXTURE in methods.SEPARATION_METHODS  # the unprocessed mixture is a method too


def test_training_conditions_are_the_ones_a_classifier_trains_on():
    assert methods.TRAINING_CONDITIONS == (methods.CLEAN, methods.MIXTURE, methods.DENOISED) == tuple(CONDITIONS)


def test_the_separator_refuses_what_the_list_does_not_hold():
    with pytest.raises(ValueError, match="unknown separation method 'wiener'; allowed: mixture, clean_8khz"):
        Separator("wiener", STFT, SeparationSettings())
    with pytest.raises(ValueError, match="method 'danet' needs model"):
        Separator("danet", STFT, SeparationSettings())
    with pytest.raises(ValueError, match="method 'oracle_irm' takes no model"):
        Separator("oracle_irm", STFT, SeparationSettings(), DANet(DanetConfig()))


def test_the_copies_of_the_names_in_other_modules_agree_with_these():
    from danet_music2vec import plots
    from danet_music2vec.evaluation import classification
    from danet_music2vec.inference import prediction

    assert (plots.CLEAN, plots.MIXTURE) == (methods.CLEAN, methods.MIXTURE)
    assert classification.CLEAN_8KHZ == methods.REFERENCE_METHOD
    # what inference.prediction writes is what evaluation.classification reads
    assert classification.PREDICTION_COLUMNS == prediction.PREDICTION_COLUMNS == methods.PREDICTION_COLUMNS


def test_each_no_harm_output_reads_its_own_curve_and_nothing_else_has_one():
    from danet_music2vec.methods import NO_HARM_METHODS, no_harm_curve

    assert {method: no_harm_curve(method) for method in NO_HARM_METHODS} == {
        "danet_oa": "logistic", "danet_al": "constant", "danet_original_oa": "logistic",
        "noisereduce_oa": "logistic"}
    with pytest.raises(ValueError, match="'danet_fusion' is not a no-harm output"):
        no_harm_curve("danet_fusion")
