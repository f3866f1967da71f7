"""Build the noise world in ESC-50's layout from the collected recordings and the seed."""

from pathlib import Path

from danet_music2vec.scripting import logged
from danet_music2vec.synthetic.noise import build_synthetic_esc50

with logged(snakemake.log[0]):
    settings = snakemake.params.settings
    table = build_synthetic_esc50(
        Path(snakemake.output[0]),
        Path(snakemake.input.recordings),
        clips_per_class=settings["clips_per_class"],
        procedural=settings["procedural"],
        sample_rate=settings["sample_rate"],
        audio_format=settings["audio_format"],
        seed=snakemake.params.seed,
        workers=snakemake.threads,
    )
    print(f"wrote {len(table)} clips of {table['category'].nunique()} classes to {snakemake.output[0]}")
