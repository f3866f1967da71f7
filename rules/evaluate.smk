# Separation metrics (blind BSS per clip and per SNR) and classification metrics (accuracy, gap closed, McNemar).


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
    wildcard_constraints:
        method="|".join(BSS_METHODS),
    conda:
        "../envs/report.yaml"
    threads: threads_for("bss_metrics")
    resources:
        **rule_resources("bss_metrics"),
    params:
        clips_per_snr=config["evaluation"]["bss_clips_per_snr"],
        backend=config["evaluation"]["bss_backend"],
        seed=config["seed"],
    script:
        f"{SCRIPTS}/bss_metrics.py"


rule separation_summary:
    input:
        expand(
            "results/metrics/separation/{variant}/{method}.csv",
            variant=VARIANTS,
            method=BSS_METHODS,
        ),
    output:
        report(
            "results/metrics/separation_summary.csv",
            caption="../workflow/report/separation_summary.rst",
            category="Separation",
        ),
    log:
        "logs/metrics/separation_summary.log",
    conda:
        "../envs/report.yaml"
    threads: threads_for("separation_summary")
    resources:
        **rule_resources("separation_summary"),
    script:
        f"{SCRIPTS}/separation_summary.py"


rule classification_metrics:
    input:
        clean="results/classification/{classifier}/clean.csv",
        conditions=expand(
            "results/classification/{{classifier}}/{variant}/{method}.csv",
            variant=VARIANTS,
            method=CLASSIFIED_METHODS,
        ),
    output:
        summary=report(
            "results/metrics/classification/{classifier}/summary.csv",
            caption="../workflow/report/classification_summary.rst",
            category="Classification",
            subcategory="{classifier}",
        ),
        plot=report(
            "results/metrics/classification/{classifier}/accuracy_snr.png",
            caption="../workflow/report/accuracy_snr.rst",
            category="Classification",
            subcategory="{classifier}",
        ),
        confusion_clean=multiext("results/metrics/classification/{classifier}/confusion/clean", ".csv", ".png"),
        confusion=expand(
            "results/metrics/classification/{{classifier}}/confusion/{variant}/{method}.{ext}",
            variant=VARIANTS,
            method=CLASSIFIED_METHODS,
            ext=["csv", "png"],
        ),
    log:
        "logs/metrics/classification_metrics_{classifier}.log",
    benchmark:
        "benchmarks/metrics/classification_metrics_{classifier}.tsv"
    conda:
        "../envs/report.yaml"
    threads: threads_for("classification_metrics")
    resources:
        **rule_resources("classification_metrics"),
    params:
        confusion_dir=lambda wildcards, output: str(Path(output.confusion_clean[0]).parent),
    script:
        f"{SCRIPTS}/classification_metrics.py"
