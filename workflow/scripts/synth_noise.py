"""Build the synthetic ESC-50 stand-in (written beside the output, then renamed)."""

from pathlib import Path

from danet_music2vec.scripting import logged
from danet_music2vec.synthetic.noise import build_synthetic_esc50

with logged(snakemake.log[0]):
    table = build_synthetic_esc50(
        Path(snakemake.output[0]),
        Path(snakemake.input.wheel),
        clips_per_class=snakemake.params.clips_per_class,
        seed=snakemake.params.seed,
        workers=snakemake.threads,
    )
    print(f"wrote {len(table)} clips of {table['category'].nunique()} classes to {snakemake.output[0]}")
