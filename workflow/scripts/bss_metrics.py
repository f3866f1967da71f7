"""BSS Eval metrics (blind and oracle permutation, NSDR) of one separation method on one variant."""

from tqdm import tqdm

from danet_music2vec.evaluation.bss import evaluate_method, write_clip_metrics
from danet_music2vec.scripting import logged

with logged(snakemake.log[0]):
    clips = evaluate_method(
        snakemake.input.features, snakemake.input.separated,
        clips_per_snr=snakemake.params.clips_per_snr,
        seed=snakemake.params.seed,
        workers=snakemake.threads,
        backend=snakemake.params.backend,
        progress=lambda rows, total: tqdm(rows, total=total, mininterval=5),
    )
    write_clip_metrics(clips, snakemake.output[0])
    print(
        f"{snakemake.wildcards.variant}/{snakemake.wildcards.method}: {len(clips)} clips, "
        f"mean NSDR {clips['nsdr'].mean():.2f} dB (oracle {clips['oracle_nsdr'].mean():.2f} dB), "
        f"{int(clips['swapped'].sum())} swapped, "
        f"{int((clips['silent_music'] | clips['silent_noise']).sum())} with a silent estimate"
    )
