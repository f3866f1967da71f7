# danet-music2vec: DANet removes environmental noise from music, music2vec classifies the genre.
# This file is a table of contents; each stage lives in rules/<stage>.smk.
from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "rules/common.smk"
include: "rules/data.smk"
include: "rules/features.smk"
include: "rules/danet.smk"
include: "rules/music2vec.smk"
include: "rules/no_harm.smk"
include: "rules/evaluate.smk"
include: "rules/report.smk"
include: "rules/inference.smk"


rule all:
    default_target: True
    input:
        "results/report.html",
