"""SoundNet conv7 features (last frame dropped) of the clean clips, of one variant's training
mixtures, or of one separation method's music, cached in HDF5."""

import torch

from danet_music2vec.data.items import clean_items, mixture_items, separated_items
from danet_music2vec.inference.embeddings import write_feature_cache
from danet_music2vec.models.soundnet import load_soundnet
from danet_music2vec.scripting import logged

with logged(snakemake.log[0]):
    torch.set_num_threads(snakemake.threads)
    soundnet = load_soundnet(snakemake.input.weights)
    if hasattr(snakemake.input, "separated"):
        items = separated_items(snakemake.input.separated, snakemake.input.manifest, features=snakemake.input.features)
        name = f"{snakemake.wildcards.variant}/{snakemake.wildcards.method}"
    elif snakemake.wildcards.condition == "clean":
        items = clean_items(snakemake.input.manifest, snakemake.input.splits)
        name = "clean"
    else:
        items = mixture_items(snakemake.input.mixtures, snakemake.input.manifest)
        name = snakemake.wildcards.condition
    table = write_feature_cache(items, snakemake.output[0], soundnet)
    print(f"{len(table)} clips ({name}), {int(table['n_frames'].sum())} conv7 frames; "
          f"SoundNet {table['seconds'].mean():.4f} s per clip on {snakemake.threads} thread(s)")
    print(table.groupby(["condition", "split"]).size().to_string())
