# The final target: one self-contained HTML page (data, separation, classification, examples,
# training curves, comparison with the original study, provenance).
from snakemake.io import strip_wildcard_constraints


rule report:
    input:
        quality=rules.manifest.output.quality,
        music_manifest=rules.manifest.output.music,
        noise_manifest=rules.manifest.output.noise,
        music_splits=rules.splits.output.music,
        separation=rules.separation_summary.output[0],
        classification=headline_metrics("summary.csv"),
        accuracy_plot=headline_metrics("accuracy_snr.png"),
        confusion=expand(
            "results/metrics/classification/{classifier}/confusion/{variant}/{method}.{ext}",
            classifier=HEADLINE_CLASSIFIER,
            variant=VARIANTS,
            method=CLASSIFIED_METHODS,
            ext=["csv", "png"],
        ),
        confusion_clean=headline_metrics("confusion/clean.png"),
        clean_predictions=f"results/classification/{HEADLINE_CLASSIFIER}/clean.csv",
        predictions=expand(
            "results/classification/{classifier}/{variant}/{method}.csv",
            classifier=HEADLINE_CLASSIFIER,
            variant=VARIANTS,
            method=CLASSIFIED_METHODS,
        ),
        danet_histories=expand("results/models/{model}_{variant}_history.csv", model=DANET_MODELS, variant=VARIANTS),
        classifier_summaries=expand("results/metrics/classification/{classifier}/summary.csv", classifier=CLASSIFIERS),
        classifier_histories=expand("results/models/music2vec_{classifier}_history.csv", classifier=CLASSIFIERS),
        test_features=expand("results/features/{variant}/test.h5", variant=VARIANTS),
        danet_separation=expand("results/separation/{variant}/danet", variant=VARIANTS),
        no_harm_fits=expand(
            "results/no_harm/fits/{variant}/{base}{ext}",
            variant=VARIANTS,
            base=NO_HARM_BASES,
            ext=[".json", "_scores.csv", ".png"],
        ),
        no_harm_outputs=expand("results/separation/{variant}/{method}", variant=VARIANTS, method=list(NO_HARM_METHODS)),
        fusion_fits=expand(
            "results/no_harm/fits/{variant}/{method}_{classifier}.json",
            variant=VARIANTS,
            method=list(FUSION_METHODS),
            classifier=CLASSIFIERS,
        ),
    output:
        "results/report.html",
    log:
        "logs/report/report.log",
    benchmark:
        "benchmarks/report/report.tsv"
    conda:
        "../envs/report.yaml"
    threads: threads_for("report")
    resources:
        **rule_resources("report"),
    params:
        # variant -> noise clips per mixture; classifier -> training conditions (the first is the headline)
        variants=config["mixing"]["variants"],
        classifiers=CLASSIFIER_TRAINING,
        music_source=music_source(),
        noise_source=noise_source(),
        seed=config["seed"],
        # The page prints every config section but resources (the machine's threads, memory and
        # run times) and inference (your own recordings, results/inference/report.html): a change
        # of either must not rerun the report.
        config_shown={section: value for section, value in config.items() if section not in ("resources", "inference")},
        danet_models=DANET_MODELS,
        no_harm_bases=NO_HARM_BASES,
        no_harm_methods=list(NO_HARM_METHODS),
        fusion_methods=list(FUSION_METHODS),
        headline_method=config["evaluation"]["headline_method"],
        methods=CLASSIFIED_METHODS,
        confusion_dir=lambda wildcards, input: str(Path(input.confusion_clean).parent),
        benchmarks_dir="benchmarks",
        # Rule -> benchmark path pattern, so the report sums the benchmark files per rule (the
        # study's rules: your own recordings' jobs have their own page).
        benchmark_patterns=lambda wildcards: {
            r.name: strip_wildcard_constraints(str(r.benchmark))
            for r in workflow.rules
            if r.benchmark is not None
            and not callable(r.benchmark)
            and not str(r.benchmark).startswith("benchmarks/inference/")
        },
        example_clips=config["report"]["example_clips"],
        audio_seconds=config["report"]["audio_seconds"],
        max_mb=config["report"]["max_mb"],
    script:
        f"{SCRIPTS}/report.py"
