"""Mean and median NSDR, SIR and SAR of every (variant, method), blind and oracle, in one table."""

from danet_music2vec.evaluation.bss import parse_metrics_path, read_clip_metrics, summarize
from danet_music2vec.fileio import atomic_path
from danet_music2vec.scripting import logged

with logged(snakemake.log[0]):
    frames = {parse_metrics_path(path): read_clip_metrics(path) for path in snakemake.input}
    summary = summarize(frames)
    with atomic_path(snakemake.output[0]) as tmp:
        summary.to_csv(tmp, index=False, float_format="%.6g")
    print(summary.to_string(index=False))
