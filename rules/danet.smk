# DANet training and blind separation, with the baselines through the same rule.


rule train_danet:
    input:
        train="results/features/{variant}/train.h5",
        valid="results/features/{variant}/valid.h5",
    output:
        model="results/models/{model}_{variant}.pt",
        history="results/models/{model}_{variant}_history.csv",
        plot=report(
            "results/models/{model}_{variant}_loss.png",
            caption="../workflow/report/danet_loss.rst",
            category="Training",
            subcategory="DANet",
            labels={"model": "{model}", "variant": "{variant}"},
        ),
    log:
        "logs/danet/train_{model}_{variant}.log",
    benchmark:
        "benchmarks/danet/train_{model}_{variant}.tsv"
    wildcard_constraints:
        model="|".join(DANET_MODELS),
    conda:
        "../envs/models.yaml"
    threads: threads_for("train_danet")
    resources:
        **rule_resources("train_danet"),
    params:
        settings=danet_settings,
        # Not an output: it must survive a failed or killed job so the rerun resumes from it.
        checkpoint="results/models/checkpoints/{model}_{variant}.pt",
    script:
        f"{SCRIPTS}/train_danet.py"


rule separate:
    input:
        features="results/features/{variant}/test.h5",
        model=separation_model,
    output:
        directory("results/separation/{variant}/{method}"),
    log:
        "logs/separation/{variant}_{method}.log",
    benchmark:
        "benchmarks/separation/{variant}_{method}.tsv"
    wildcard_constraints:
        method="|".join(SEPARATION_METHODS),
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


rule separation:
    """Every model trained, every method run and scored: the separation half of the study."""
    input:
        "results/metrics/separation_summary.csv",
        expand("results/models/{model}_{variant}_loss.png", model=DANET_MODELS, variant=VARIANTS),
