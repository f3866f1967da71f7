"""Fit one base method's no-harm weights on the calibration set (validation mixtures at several
SNRs) by the headline classifier's log-likelihood: the fit, its validation scores and a plot.

frozen mode (input ``cache``): the classifier reads the cached SoundNet features of the
calibration outputs at every grid weight; finetune mode: it classifies their audio."""

import torch

from danet_music2vec.data.items import check_class_names, class_names_from_manifest
from danet_music2vec.inference.no_harm import calibration_items, fit_no_harm, grid_predictions, write_fit
from danet_music2vec.inference.outputs import read_separation_index
from danet_music2vec.models.music2vec import load_classifier
from danet_music2vec.plots import plot_no_harm_fit
from danet_music2vec.scripting import logged

with logged(snakemake.log[0]):
    torch.set_num_threads(snakemake.threads)
    classifier = load_classifier(snakemake.input.model, snakemake.input.weights)
    check_class_names(classifier.class_names, class_names_from_manifest(snakemake.input.manifest),
                      f"model {snakemake.input.model}")
    if snakemake.input.cache:
        predictions = grid_predictions(classifier, cache=snakemake.input.cache)
    else:
        predictions = grid_predictions(classifier, items=calibration_items(
            snakemake.input.separated, snakemake.input.manifest, snakemake.input.features))
    fit, scores = fit_no_harm(classifier, predictions, snakemake.input.separated, snakemake.input.features,
                              curves=tuple(snakemake.params.curves))
    write_fit(fit, scores, snakemake.output.fit, snakemake.output.scores)
    index = read_separation_index(snakemake.input.separated)
    plot_no_harm_fit(fit, scores, index["blind_snr_db"].astype(float), index["snr_db"].astype(float),
                     f"{snakemake.wildcards.variant}: {snakemake.wildcards.method}", snakemake.output.plot)
    print(scores.to_string(index=False))
    for kind, curve in fit["curves"].items():
        print(kind, curve)
