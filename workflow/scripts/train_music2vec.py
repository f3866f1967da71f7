"""Train the music2vec genre classifier (frozen SoundNet features or fine-tuned SoundNet); resumes its checkpoint."""

import pandas as pd

from danet_music2vec.data.items import class_names_from_manifest, clean_items, mixture_items
from danet_music2vec.plots import plot_music2vec_history
from danet_music2vec.scripting import logged
from danet_music2vec.training.music2vec import (
    Music2VecSettings, audio_training_data, frozen_training_data, train_music2vec,
)

with logged(snakemake.log[0]):
    settings = Music2VecSettings.from_dict(snakemake.params.settings)
    class_names = class_names_from_manifest(snakemake.input.manifest)
    print(f"mode {settings.mode}, conditions {list(settings.training_conditions)}, genres {class_names}")
    if settings.mode == "frozen":
        data = frozen_training_data(snakemake.input.features)
    else:
        parts = [clean_items(snakemake.input.manifest, snakemake.input.splits, splits=("train", "valid"))]
        if "mixture" in settings.training_conditions:
            parts.append(mixture_items(snakemake.input.mixtures, snakemake.input.manifest))
        data = audio_training_data(pd.concat(parts, ignore_index=True))
    history = train_music2vec(
        data, settings, class_names,
        model_out=snakemake.output.model,
        history_out=snakemake.output.history,
        checkpoint=snakemake.params.checkpoint,
        soundnet_weights=snakemake.input.weights,
        threads=snakemake.threads,
    )
    title = f"music2vec ({settings.mode}, {' + '.join(settings.training_conditions)})"
    plot_music2vec_history(history, title, snakemake.output.plot)
    print(history.to_string(index=False))
