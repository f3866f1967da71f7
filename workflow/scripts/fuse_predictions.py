"""Late fusion of one classifier's posteriors on the mixture and on danet's output, weighted by
danet's blind SNR estimate along a curve fitted on the calibration set.

frozen mode (input ``cache``): the fit reads the cached SoundNet features of danet's calibration
outputs at every grid weight; finetune mode: the classifier classifies their audio."""

import json

import torch

from danet_music2vec.evaluation.classification import read_predictions
from danet_music2vec.fileio import atomic_path
from danet_music2vec.inference.no_harm import calibration_items, fit_fusion, fuse_predictions, grid_predictions
from danet_music2vec.inference.observation_adding import WeightCurve
from danet_music2vec.inference.prediction import write_predictions
from danet_music2vec.models.music2vec import load_classifier
from danet_music2vec.scripting import logged

with logged(snakemake.log[0]):
    torch.set_num_threads(snakemake.threads)
    classifier = load_classifier(snakemake.input.model, snakemake.input.weights)
    if snakemake.input.cache:
        calibration = grid_predictions(classifier, cache=snakemake.input.cache)
    else:
        calibration = grid_predictions(classifier, items=calibration_items(
            snakemake.input.calibration, snakemake.input.manifest, snakemake.input.calibration_features))
    fit = fit_fusion(classifier, calibration, snakemake.input.calibration)
    with atomic_path(snakemake.output.fit) as tmp:
        tmp.write_text(json.dumps(fit, indent=2, sort_keys=True) + "\n")
    table = fuse_predictions(read_predictions(snakemake.input.mixture), read_predictions(snakemake.input.denoised),
                             snakemake.input.separated, WeightCurve.from_dict(fit["curve"]))
    write_predictions(table, snakemake.output.predictions)
    print(f"fusion curve {fit['curve']}; {len(table)} clips, accuracy {(table['predicted'] == table['label']).mean():.3f}")
