"""Classify the genre of every test item of one condition (clean test music or one separation method's
music) with every classifier: one predictions CSV per classifier."""

import torch

from danet_music2vec.music2vec import (
    check_class_names, class_names_from_manifest, classify_items_with, clean_items, load_classifier,
    separated_items, write_predictions,
)
from danet_music2vec.scripting import logged

with logged(snakemake.log[0]):
    torch.set_num_threads(snakemake.threads)
    genres = class_names_from_manifest(snakemake.input.manifest)
    classifiers = []
    for path in snakemake.input.models:
        classifier = load_classifier(path, snakemake.input.weights)
        check_class_names(classifier.class_names, genres, f"model {path}")
        classifiers.append(classifier)
    if hasattr(snakemake.input, "separated"):
        items = separated_items(snakemake.input.separated, snakemake.input.manifest)
    else:
        items = clean_items(snakemake.input.manifest, snakemake.input.splits, splits=("test",))
    tables = classify_items_with(classifiers, items)
    for path, classifier, table, out in zip(snakemake.input.models, classifiers, tables, snakemake.output, strict=True):
        write_predictions(table, out)
        accuracy = (table["predicted"] == table["label"]).mean() if len(table) else float("nan")
        print(f"{path}: {len(table)} items, accuracy {accuracy:.3f} ({classifier.mode} model) -> {out}")
