"""Plan every mixture of one set of one variant: noise clips, offsets and SNRs, from the seed."""

from danet_music2vec.data.mixing import plan_mixture_set
from danet_music2vec.data.splitting import usable_with_splits
from danet_music2vec.fileio import atomic_path
from danet_music2vec.scripting import logged

with logged(snakemake.log[0]):
    music = usable_with_splits(snakemake.input.music, snakemake.input.music_splits)
    noise = usable_with_splits(snakemake.input.noise, snakemake.input.noise_splits)
    settings = snakemake.params.mixture_set
    plan = plan_mixture_set(
        music, noise,
        name=snakemake.wildcards.split,
        source_split=settings["source_split"],
        snr_db=settings["snr_db"],
        max_clips=settings["max_clips"],
        n_noises=snakemake.params.n_noises,
        unseen_share=snakemake.params.unseen_share,
        seed=snakemake.params.seed,
    )
    with atomic_path(snakemake.output[0]) as tmp:
        plan.to_csv(tmp, index=False)
    print(plan.groupby("split").size().to_dict())
