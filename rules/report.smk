# The final target: one self-contained HTML page (implementation lands with issue 5).


rule report:
    input:
        data_quality=rules.manifest.output.quality,
        separation=rules.separation_summary.output[0],
        classification=rules.classification_metrics.output[0],
        training=expand("results/models/{model}_{variant}_history.csv", model=DANET_MODELS, variant=VARIANTS),
    output:
        "results/report.html",
    log:
        "logs/report/report.log",
    conda:
        "../envs/report.yaml"
    script:
        f"{SCRIPTS}/pending.py"
