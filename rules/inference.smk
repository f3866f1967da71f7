# Your own recordings (src/danet_music2vec/inference/user_audio.py): every audio file of
# config inference.input_folder denoised and classified with a finished run's models, one job per
# file (so a file added to the folder runs alone), then predictions.csv, problems.csv and a page:
#   snakemake --cores 2 results/inference/report.html --config inference='{"input_folder": "my_recordings"}'
# The folder is listed only when results/inference/report.html is asked for.
include: "inference_common.smk"


rule inference_file:
    input:
        unpack(inference_models),
        audio=inference_audio,
    output:
        directory("results/inference/files/{key}"),
    log:
        "logs/inference/file_{key}.log",
    benchmark:
        "benchmarks/inference/file_{key}.tsv"
    wildcard_constraints:
        key=INFERENCE_KEY,
    conda:
        "../envs/models.yaml"
    threads: threads_for("inference_file")
    resources:
        **rule_resources("inference_file"),
    params:
        name=lambda wildcards: inference_recordings()[0][wildcards.key],
        method=inference_method(),
        stft=config["stft"],
        separation=inference_separation(),
        settings=inference_settings(),
    script:
        f"{SCRIPTS}/inference_file.py"


rule inference_report:
    input:
        recordings=inference_folders,
    output:
        page="results/inference/report.html",
        predictions="results/inference/predictions.csv",
        problems="results/inference/problems.csv",
    log:
        "logs/inference/report.log",
    benchmark:
        "benchmarks/inference/report.tsv"
    conda:
        "../envs/report.yaml"
    threads: threads_for("inference_report")
    resources:
        **rule_resources("inference_report"),
    params:
        page=inference_page,
        input_paths=lambda wildcards: {
            key: os.path.join(INFERENCE["input_folder"], path) for key, path in inference_recordings()[0].items()
        },
        other_files=lambda wildcards: inference_recordings()[1],
        models=inference_models,
        method=inference_method(),
    script:
        f"{SCRIPTS}/inference_report.py"
