"""Train/valid/test splits of the music and the noise clips."""

import pandas as pd

from danet_music2vec.data.splitting import split_music, split_noise
from danet_music2vec.fileio import atomic_path
from danet_music2vec.scripting import logged

with logged(snakemake.log[0]):
    settings = snakemake.params.settings
    music = pd.read_csv(snakemake.input.music, dtype={"source": str})
    noise = pd.read_csv(snakemake.input.noise, dtype={"source": str})
    for table, split, path in (
        (music, split_music(music, settings), snakemake.output.music),
        (noise, split_noise(noise, settings), snakemake.output.noise),
    ):
        with atomic_path(path) as tmp:
            split.to_csv(tmp, index=False)
        print(path, split["split"].value_counts().to_dict())
