"""Fetch the noise world's pinned packages and take their recordings out, every file verified."""

from danet_music2vec.scripting import logged
from danet_music2vec.synthetic.noise import collect_recordings

with logged(snakemake.log[0]):
    table = collect_recordings(snakemake.output[0], snakemake.params.packages)
    print(f"{len(table)} recordings of {table['category'].nunique()} classes from "
          f"{len(snakemake.params.packages)} packages in {snakemake.output[0]}")
