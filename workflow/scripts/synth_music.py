"""Build one genre of the synthetic GTZAN stand-in."""

from pathlib import Path

from danet_music2vec.scripting import logged
from danet_music2vec.synthetic.music import build_genre

with logged(snakemake.log[0]):
    settings = snakemake.params.settings
    genre_dir = Path(snakemake.output[0])
    table = build_genre(
        genre_dir.parent.parent,
        snakemake.wildcards.genre,
        clips_per_genre=settings["clips_per_genre"],
        duration_s=settings["clip_seconds"],
        clips_per_artist=settings["clips_per_artist"],
        seed=snakemake.params.seed,
    )
    print(f"wrote {len(table)} clips to {genre_dir}")
