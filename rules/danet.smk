# DANet training and separation (implementation lands with issue 4; see workflow/scripts/pending.py).


rule train_danet:
    input:
        train="results/features/{variant}/train.h5",
        valid="results/features/{variant}/valid.h5",
    output:
        model="results/models/{model}_{variant}.pt",
        history="results/models/{model}_{variant}_history.csv",
    log:
        "logs/danet/train_{model}_{variant}.log",
    benchmark:
        "benchmarks/danet/train_{model}_{variant}.tsv"
    wildcard_constraints:
        model="|".join(DANET_MODELS),
    threads: threads_for("train_danet")
    resources:
        mem_mb=mem_mb_for("train_danet"),
        runtime=runtime_for("train_danet"),
    conda:
        "../envs/models.yaml"
    script:
        f"{SCRIPTS}/pending.py"


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
    threads: threads_for("separate")
    resources:
        mem_mb=mem_mb_for("separate"),
        runtime=runtime_for("separate"),
    conda:
        "../envs/models.yaml"
    script:
        f"{SCRIPTS}/pending.py"
