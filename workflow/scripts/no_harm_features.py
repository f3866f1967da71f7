"""SoundNet conv7 features for the no-harm stage (frozen mode): a base method's calibration outputs
at every weight of the fitting grid, or danet's outputs of the denoiser-training and calibration sets
(the ``denoised`` training condition of a classifier)."""

import pandas as pd
import torch

from danet_music2vec.data.items import separated_items
from danet_music2vec.inference.embeddings import write_feature_cache
from danet_music2vec.inference.no_harm import calibration_items
from danet_music2vec.methods import DENOISED
from danet_music2vec.models.soundnet import load_soundnet
from danet_music2vec.scripting import logged

with logged(snakemake.log[0]):
    torch.set_num_threads(snakemake.threads)
    soundnet = load_soundnet(snakemake.input.weights)
    if hasattr(snakemake.input, "train_separated"):  # the denoised training condition
        items = pd.concat([
            separated_items(snakemake.input.train_separated, snakemake.input.manifest, condition=DENOISED,
                            split="train"),
            separated_items(snakemake.input.valid_separated, snakemake.input.manifest, condition=DENOISED,
                            split="valid"),
        ], ignore_index=True)
    else:  # the calibration grid of one base method (frozen mode)
        items = calibration_items(snakemake.input.separated, snakemake.input.manifest, snakemake.input.features)
    table = write_feature_cache(items, snakemake.output[0], soundnet)
    print(f"{len(table)} clips, {int(table['n_frames'].sum())} conv7 frames; "
          f"SoundNet {table['seconds'].mean():.4f} s per clip on {snakemake.threads} thread(s)")
    print(table.groupby(["condition", "split"]).size().to_string())
