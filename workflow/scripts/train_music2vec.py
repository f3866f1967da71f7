"""Train the music2vec genre classifier (frozen SoundNet features or fine-tuned SoundNet); resumes its checkpoint."""

import pandas as pd

from danet_music2vec.music2vec import (
    Music2VecSettings, audio_training_data, class_names_from_manifest, clean_items, frozen_training_data,
    mixture_items, plot_history, train_music2vec,
)
from danet_music2vec.scripting import logged

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
    plot_history(history, f"music2vec ({settings.mode}, {' + '.join(settings.training_conditions)})",
                 snakemake.output.plot)
    print(history.to_string(index=False))
