"""Separate every test mixture of one variant by one method (the baselines included)."""

from danet_music2vec.inference.separation import SeparationSettings, Separator, separate_features
from danet_music2vec.models.danet import load_danet
from danet_music2vec.scripting import logged

with logged(snakemake.log[0]):
    model = load_danet(snakemake.input.model[0]) if snakemake.input.model else None
    separator = Separator(
        snakemake.wildcards.method, snakemake.params.stft, SeparationSettings(**snakemake.params.settings), model
    )
    index = separate_features(snakemake.input.features, snakemake.output[0], separator, threads=snakemake.threads)
    audio, busy = index["audio_seconds"].sum(), index["seconds"].sum()
    speed = f"real-time factor {audio / busy:.1f}x" if busy > 0.1 else "no processing"
    print(f"separated {len(index)} mixtures, {audio:.1f} s of audio in {busy:.1f} s: {speed}")
