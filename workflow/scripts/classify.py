"""Classify the genre of every test item of one condition: clean test music or one separation method's music."""

import torch

from danet_music2vec.music2vec import (
    check_class_names, class_names_from_manifest, classify_items, clean_items, load_classifier, separated_items,
    write_predictions,
)
from danet_music2vec.scripting import logged

with logged(snakemake.log[0]):
    torch.set_num_threads(snakemake.threads)
    classifier = load_classifier(snakemake.input.model, snakemake.input.weights)
    check_class_names(classifier.class_names, class_names_from_manifest(snakemake.input.manifest),
                      f"model {snakemake.input.model}")
    if hasattr(snakemake.input, "separated"):
        items = separated_items(snakemake.input.separated, snakemake.input.manifest)
    else:
        items = clean_items(snakemake.input.manifest, snakemake.input.splits, splits=("test",))
    table = classify_items(classifier, items)
    write_predictions(table, snakemake.output[0])
    accuracy = (table["predicted"] == table["label"]).mean() if len(table) else float("nan")
    print(f"{len(table)} items, accuracy {accuracy:.3f} ({classifier.mode} model)")
