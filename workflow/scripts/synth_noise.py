"""Build the synthetic ESC-50 stand-in."""

from pathlib import Path

from danet_music2vec.fileio import atomic_path
from danet_music2vec.scripting import logged
from danet_music2vec.synth_noise import build_synthetic_esc50

with logged(snakemake.log[0]):
    with atomic_path(Path(snakemake.output[0])) as root:
        table = build_synthetic_esc50(
            root,
            Path(snakemake.input.wheel),
            clips_per_class=snakemake.params.clips_per_class,
            seed=snakemake.params.seed,
        )
    print(f"wrote {len(table)} clips of {table['category'].nunique()} classes to {snakemake.output[0]}")
