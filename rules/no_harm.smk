# The no-harm stage (src/danet_music2vec/inference/no_harm.py): separations of the calibration
# set (validation music at several SNRs), the SoundNet features of their outputs at every weight of
# the fitting grid, the weights fitted by the headline classifier, the no-harm outputs of the test
# mixtures and the late fusion of posteriors. Nothing of the test split enters a fit.
#
# frozen mode: the grid outputs' SoundNet features are cached (calibration_features) and the fits
# read them. finetune mode: each classifier has its own SoundNet layers, so nothing is cached and
# the fits classify the grid outputs' audio (the calibration separation and mixtures).


rule separate_calibration:
    input:
        features="results/features/{variant}/{split}.h5",
        model=separation_model,
    output:
        directory("results/no_harm/separation/{variant}/{split}/{method}"),
    log:
        "logs/no_harm/separate_{variant}_{split}_{method}.log",
    benchmark:
        "benchmarks/no_harm/separate_{variant}_{split}_{method}.tsv"
    wildcard_constraints:
        split="calibration",
        method="|".join(NO_HARM_BASES),
    conda:
        "../envs/models.yaml"
    threads: threads_for("separate")
    resources:
        **rule_resources("separate"),
    params:
        stft=config["stft"],
        settings=separation_settings,
    script:
        f"{SCRIPTS}/separate.py"


# danet's outputs of the denoiser_train mixtures feed only their SoundNet features (the denoised
# classifier's training condition), so they go once those are written (a quarter of the default
# run's disk otherwise).
use rule separate_calibration as separate_denoiser_train with:
    output:
        temp(directory("results/no_harm/separation/{variant}/{split}/{method}")),
    log:
        "logs/no_harm/separate_{variant}_{split}_{method}.log",
    benchmark:
        "benchmarks/no_harm/separate_{variant}_{split}_{method}.tsv"
    wildcard_constraints:
        split="denoiser_train",
        method="danet",


if MUSIC2VEC["mode"] == "frozen":

    # The calibration grid's SoundNet features, and danet's outputs as the denoised training
    # condition (which rules/common.smk allows in frozen mode only).
    rule calibration_features:
        input:
            weights=rules.convert_soundnet.output[0],
            manifest=rules.manifest.output.music,
            features="results/features/{variant}/calibration.h5",
            separated="results/no_harm/separation/{variant}/calibration/{method}",
        output:
            "results/no_harm/features/{variant}/{method}.h5",
        log:
            "logs/no_harm/features_{variant}_{method}.log",
        benchmark:
            "benchmarks/no_harm/features_{variant}_{method}.tsv"
        wildcard_constraints:
            method="|".join(NO_HARM_BASES),
        conda:
            "../envs/models.yaml"
        threads: threads_for("separated_features")
        resources:
            **rule_resources("separated_features"),
        script:
            f"{SCRIPTS}/no_harm_features.py"

    rule denoised_features:
        input:
            weights=rules.convert_soundnet.output[0],
            manifest=rules.manifest.output.music,
            train_separated="results/no_harm/separation/{variant}/denoiser_train/danet",
            valid_separated="results/no_harm/separation/{variant}/calibration/danet",
        output:
            "results/music2vec/denoised_{variant}_features.h5",
        log:
            "logs/music2vec/denoised_features_{variant}.log",
        benchmark:
            "benchmarks/music2vec/denoised_features_{variant}.tsv"
        conda:
            "../envs/models.yaml"
        threads: threads_for("soundnet_features")
        resources:
            **rule_resources("soundnet_features"),
        script:
            f"{SCRIPTS}/no_harm_features.py"


rule fit_no_harm:
    input:
        weights=rules.convert_soundnet.output[0],
        manifest=rules.manifest.output.music,
        model=f"results/models/music2vec_{HEADLINE_CLASSIFIER}.pt",
        cache=calibration_grid_cache,
        separated="results/no_harm/separation/{variant}/calibration/{method}",
        features="results/features/{variant}/calibration.h5",
    output:
        fit="results/no_harm/fits/{variant}/{method}.json",
        scores="results/no_harm/fits/{variant}/{method}_scores.csv",
        plot=report(
            "results/no_harm/fits/{variant}/{method}.png",
            caption="../workflow/report/no_harm_fit.rst",
            category="No harm",
            labels={"variant": "{variant}", "method": "{method}"},
        ),
    log:
        "logs/no_harm/fit_{variant}_{method}.log",
    benchmark:
        "benchmarks/no_harm/fit_{variant}_{method}.tsv"
    wildcard_constraints:
        method="|".join(NO_HARM_BASES),
    conda:
        "../envs/models.yaml"
    threads: threads_for("fit_no_harm")
    resources:
        **rule_resources("fit_no_harm"),
    params:
        curves=lambda wildcards: no_harm_curves(wildcards.method),
    script:
        f"{SCRIPTS}/fit_no_harm.py"


rule no_harm_output:
    input:
        base=lambda wildcards: f"results/separation/{wildcards.variant}/{NO_HARM_METHODS[wildcards.method]}",
        fit=lambda wildcards: f"results/no_harm/fits/{wildcards.variant}/{NO_HARM_METHODS[wildcards.method]}.json",
        features="results/features/{variant}/test.h5",
    output:
        directory("results/separation/{variant}/{method}"),
    log:
        "logs/no_harm/output_{variant}_{method}.log",
    wildcard_constraints:
        method="|".join(NO_HARM_METHODS),
    conda:
        "../envs/models.yaml"
    threads: threads_for("no_harm_output")
    resources:
        **rule_resources("no_harm_output"),
    params:
        curve=lambda wildcards: methods.no_harm_curve(wildcards.method),
    script:
        f"{SCRIPTS}/no_harm_output.py"


rule fuse_predictions:
    input:
        weights=rules.convert_soundnet.output[0],
        model="results/models/music2vec_{classifier}.pt",
        cache=calibration_grid_cache,
        calibration=lambda wildcards: (
            f"results/no_harm/separation/{wildcards.variant}/calibration/{FUSION_METHODS[wildcards.method]}"
        ),
        calibration_features=calibration_grid_audio("results/features/{variant}/calibration.h5"),
        manifest=calibration_grid_audio(rules.manifest.output.music),
        mixture="results/classification/{classifier}/{variant}/mixture.csv",
        denoised=lambda wildcards: (
            f"results/classification/{wildcards.classifier}/{wildcards.variant}/{FUSION_METHODS[wildcards.method]}.csv"
        ),
        separated=lambda wildcards: f"results/separation/{wildcards.variant}/{FUSION_METHODS[wildcards.method]}",
    output:
        predictions="results/classification/{classifier}/{variant}/{method}.csv",
        fit="results/no_harm/fits/{variant}/{method}_{classifier}.json",
    log:
        "logs/no_harm/fuse_{classifier}_{variant}_{method}.log",
    wildcard_constraints:
        method="|".join(FUSION_METHODS),
    conda:
        "../envs/models.yaml"
    threads: threads_for("fuse_predictions")
    resources:
        **rule_resources("fuse_predictions"),
    script:
        f"{SCRIPTS}/fuse_predictions.py"
