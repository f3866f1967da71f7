"""Manifests of every music and noise clip, and the data-quality report (skip and report)."""

import pandas as pd

from danet_music2vec.data.datasets import inspect_clips, quality_report, scan_esc50, scan_gtzan
from danet_music2vec.fileio import atomic_path
from danet_music2vec.scripting import logged

with logged(snakemake.log[0]):
    quality = snakemake.params.quality
    music = inspect_clips(
        scan_gtzan(snakemake.params.music_root),
        min_seconds=quality["min_music_seconds"], silence_db=quality["silence_db"],
    )
    noise = inspect_clips(
        scan_esc50(snakemake.params.noise_root),
        min_seconds=quality["min_noise_seconds"], silence_db=quality["silence_db"],
    )
    report = pd.concat(
        [quality_report(music).assign(dataset="music"), quality_report(noise).assign(dataset="noise")],
        ignore_index=True,
    )
    for table, path in ((music, snakemake.output.music), (noise, snakemake.output.noise), (report, snakemake.output.quality)):
        with atomic_path(path) as tmp:
            table.to_csv(tmp, index=False)
    for row in report.itertuples():
        print(f"skipped {row.dataset} clip {row.clip_id} ({row.path}): {row.problem}")
    print(f"music: {int(music['usable'].sum())} of {len(music)} clips usable; "
          f"noise: {int(noise['usable'].sum())} of {len(noise)} clips usable")
