"""Extract a verified archive, refusing members that would escape the target folder."""

from pathlib import Path

from danet_music2vec.fetch.download import safe_extract
from danet_music2vec.scripting import logged

with logged(snakemake.log[0]):
    safe_extract(Path(snakemake.input[0]), Path(snakemake.output[0]))
