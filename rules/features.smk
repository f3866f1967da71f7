# Mixtures at controlled SNRs and their STFT segments in HDF5.


rule plan_mixtures:
    input:
        music=rules.manifest.output.music,
        noise=rules.manifest.output.noise,
        music_splits=rules.splits.output.music,
        noise_splits=rules.splits.output.noise,
    output:
        # One plan per split, so that changing the test SNRs leaves the training data alone.
        "results/mixtures/{variant}/plan_{split}.csv",
    log:
        "logs/mixtures/plan_{variant}_{split}.log",
    conda:
        "../envs/features.yaml"
    threads: threads_for("plan_mixtures")
    resources:
        **rule_resources("plan_mixtures"),
    params:
        n_noises=n_noises,
        mixture_set=lambda wildcards: mixture_set(wildcards.split),
        unseen_share=config["mixing"]["unseen_share"],
        seed=config["seed"],
    script:
        f"{SCRIPTS}/plan_mixtures.py"


rule stft_segments:
    input:
        plan=rules.plan_mixtures.output[0],
        music=rules.manifest.output.music,
        noise=rules.manifest.output.noise,
    output:
        features="results/features/{variant}/{split}.h5",
        mixtures="results/mixtures/{variant}/{split}.csv",
    log:
        "logs/features/{variant}_{split}.log",
    benchmark:
        "benchmarks/features/{variant}_{split}.tsv"
    conda:
        "../envs/features.yaml"
    threads: threads_for("stft_segments")
    resources:
        **rule_resources("stft_segments"),
    params:
        stft=config["stft"],
        storage=config["features"],
        attrs=feature_attrs,
    script:
        f"{SCRIPTS}/features.py"


# `snakemake --cores 2 features` builds every feature file.
rule features:
    input:
        expand("results/features/{variant}/{split}.h5", variant=VARIANTS, split=SPLITS),
