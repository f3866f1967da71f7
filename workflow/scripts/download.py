"""Download a dataset archive to a temporary name, verify its checksum, rename."""

from pathlib import Path

from danet_music2vec.fetch.download import download
from danet_music2vec.scripting import logged

with logged(snakemake.log[0]):
    settings = snakemake.params.settings
    download(settings["url"], Path(snakemake.output[0]), checksum=settings["checksum"])
