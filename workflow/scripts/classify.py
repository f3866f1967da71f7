"""Genre predictions of every classifier: one CSV per classifier and test condition.

frozen mode (input ``features``, the cached SoundNet features): every condition at once.
finetune mode: one condition from its audio: one separation method's music (input ``separated``;
its ``features``, the test mixtures, which a no-harm output adds back), or clean test music.
"""

import torch

from danet_music2vec.data.items import check_class_names, class_names_from_manifest, clean_items, separated_items
from danet_music2vec.inference.prediction import classify_cached_with, classify_items_with, write_predictions
from danet_music2vec.models.music2vec import load_classifier
from danet_music2vec.scripting import logged


def write_tables(tables, outputs, condition):
    for path, classifier, table, out in zip(snakemake.input.models, classifiers, tables, outputs, strict=True):
        write_predictions(table, out)
        accuracy = (table["predicted"] == table["label"]).mean() if len(table) else float("nan")
        print(f"{condition}: {path}: {len(table)} items, accuracy {accuracy:.3f} ({classifier.mode} model) -> {out}")


with logged(snakemake.log[0]):
    torch.set_num_threads(snakemake.threads)
    genres = class_names_from_manifest(snakemake.input.manifest)
    classifiers = []
    for path in snakemake.input.models:
        classifier = load_classifier(path, snakemake.input.weights)
        check_class_names(classifier.class_names, genres, f"model {path}")
        classifiers.append(classifier)
    if hasattr(snakemake.input, "separated"):  # finetune: one method's music (its input features: the mixtures)
        items = separated_items(snakemake.input.separated, snakemake.input.manifest, features=snakemake.input.features)
        write_tables(classify_items_with(classifiers, items), snakemake.output, snakemake.input.separated)
    elif hasattr(snakemake.input, "features"):  # frozen: cached SoundNet features of every condition
        pattern = snakemake.params.predictions
        for condition, features in zip(snakemake.params.conditions, snakemake.input.features, strict=True):
            splits = ("test",) if condition == "clean" else None
            tables = classify_cached_with(classifiers, features, splits=splits)
            outputs = [pattern.format(classifier=name, condition=condition) for name in snakemake.params.classifiers]
            write_tables(tables, outputs, condition)
    else:
        items = clean_items(snakemake.input.manifest, snakemake.input.splits, splits=("test",))
        write_tables(classify_items_with(classifiers, items), snakemake.output, "clean")
