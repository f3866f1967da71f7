# Separation and classification metrics (implementation lands with issues 4 and 5).


rule bss_metrics:
    input:
        features="results/features/{variant}/test.h5",
        separated="results/separation/{variant}/{method}",
    output:
        "results/metrics/separation/{variant}/{method}.csv",
    log:
        "logs/metrics/bss_{variant}_{method}.log",
    benchmark:
        "benchmarks/metrics/bss_{variant}_{method}.tsv"
    threads: threads_for("bss_metrics")
    resources:
        mem_mb=mem_mb_for("bss_metrics"),
        runtime=runtime_for("bss_metrics"),
    conda:
        "../envs/report.yaml"
    script:
        f"{SCRIPTS}/pending.py"


rule separation_summary:
    input:
        expand(
            "results/metrics/separation/{variant}/{method}.csv",
            variant=VARIANTS,
            method=SEPARATION_METHODS,
        ),
    output:
        "results/metrics/separation_summary.csv",
    log:
        "logs/metrics/separation_summary.log",
    conda:
        "../envs/report.yaml"
    script:
        f"{SCRIPTS}/pending.py"


rule classification_metrics:
    input:
        expand(
            "results/classification/{variant}/{method}.csv",
            variant=VARIANTS,
            method=SEPARATION_METHODS,
        ),
    output:
        "results/metrics/classification_summary.csv",
    log:
        "logs/metrics/classification_metrics.log",
    conda:
        "../envs/report.yaml"
    script:
        f"{SCRIPTS}/pending.py"
