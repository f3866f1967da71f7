"""Mix one split of one variant, and store its STFT segments and waveforms in HDF5."""

import pandas as pd
import torch
from tqdm import tqdm

from danet_music2vec.data.features import StftParams, write_features
from danet_music2vec.fileio import atomic_path
from danet_music2vec.scripting import logged

with logged(snakemake.log[0]):
    torch.set_num_threads(snakemake.threads)
    plan = pd.read_csv(snakemake.input.plan, dtype={"noise_ids": str, "noise_offsets_s": str})
    if not (plan["split"] == snakemake.wildcards.split).all():
        raise ValueError(f"{snakemake.input.plan}: holds mixtures of other splits than {snakemake.wildcards.split!r}")
    paths = {
        kind: dict(zip(table["clip_id"], table["path"]))
        for kind, table in (("music", pd.read_csv(snakemake.input.music)), ("noise", pd.read_csv(snakemake.input.noise)))
    }
    storage = snakemake.params.storage
    mixtures = write_features(
        snakemake.output.features, plan, paths["music"], paths["noise"],
        params=StftParams(**snakemake.params.stft),
        attrs=snakemake.params.attrs,
        dtype=storage["waveform_dtype"],
        compression=storage["compression"],
        progress=lambda rows, total: tqdm(rows, total=total, mininterval=5),
    )
    with atomic_path(snakemake.output.mixtures) as tmp:
        mixtures.to_csv(tmp, index=False)
    print(f"{len(mixtures)} mixtures, {int(mixtures['n_segments'].sum())} segments")
