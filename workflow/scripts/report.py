"""Render results/report.html: one self-contained page of the whole run."""

import itertools

from danet_music2vec.report import ReportInputs, ReportSettings, write_report
from danet_music2vec.scripting import logged

with logged(snakemake.log[0]):
    inp, params = snakemake.input, snakemake.params
    variants, models, methods = list(params.variants), list(params.danet_models), list(params.methods)
    classifiers = list(params.classifiers)  # the headline first
    inputs = ReportInputs(
        quality=inp.quality,
        music_manifest=inp.music_manifest,
        noise_manifest=inp.noise_manifest,
        separation_summary=inp.separation,
        classification_summary=inp.classification,
        music_splits=inp.music_splits,
        accuracy_plot=inp.accuracy_plot,
        confusion_dir=params.confusion_dir,
        # expand() lists the product with its first wildcard outermost.
        danet_histories=dict(zip(itertools.product(models, variants), inp.danet_histories, strict=True)),
        classifier_summaries=dict(zip(classifiers, inp.classifier_summaries, strict=True)),
        classifier_histories=dict(zip(classifiers, inp.classifier_histories, strict=True)),
        test_features=dict(zip(variants, inp.test_features, strict=True)),
        danet_separation=dict(zip(variants, inp.danet_separation, strict=True)),
        no_harm_fits=dict(zip(itertools.product(variants, params.no_harm_bases),
                              zip(*[iter(inp.no_harm_fits)] * 3), strict=True)),
        no_harm_outputs=dict(zip(itertools.product(variants, params.no_harm_methods), inp.no_harm_outputs,
                                 strict=True)),
        fusion_fits=dict(zip(itertools.product(variants, params.fusion_methods, classifiers), inp.fusion_fits,
                             strict=True)),
        predictions={
            ("clean", "clean"): inp.clean_predictions,
            **dict(zip(itertools.product(variants, methods), inp.predictions, strict=True)),
        },
        benchmarks_dir=params.benchmarks_dir,
        benchmark_patterns=params.benchmark_patterns,
    )
    settings = ReportSettings(
        variants={variant: int(n) for variant, n in params.variants.items()},
        classifiers={name: list(conditions) for name, conditions in params.classifiers.items()},
        music_source=params.music_source,
        noise_source=params.noise_source,
        seed=params.seed,
        config_shown=params.config_shown,
        headline_method=params.headline_method,
        config_caption="merged configuration of this run (resources, the machine's settings, left out)",
        example_clips=params.example_clips,
        audio_seconds=params.audio_seconds,
        repo=".",
    )
    write_report(inputs, snakemake.output[0], settings, max_bytes=int(params.max_mb * 1024 * 1024))
