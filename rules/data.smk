# Datasets: build the embedded synthetic ones or download the real ones, then manifests and splits.


rule synth_music:
    output:
        directory("resources/gtzan_synthetic/genres/{genre}"),
    log:
        "logs/data/synth_music_{genre}.log",
    benchmark:
        "benchmarks/data/synth_music_{genre}.tsv"
    conda:
        "../envs/data.yaml"
    threads: threads_for("synth_music")
    resources:
        **rule_resources("synth_music"),
    params:
        settings=config["datasets"]["music"]["synthetic"],
        seed=config["seed"],
    script:
        f"{SCRIPTS}/synth_music.py"


rule fetch_noise_sources:
    output:
        directory("resources/noise_sources"),
    log:
        "logs/data/fetch_noise_sources.log",
    benchmark:
        "benchmarks/data/fetch_noise_sources.tsv"
    conda:
        "../envs/data.yaml"
    threads: threads_for("fetch_noise_sources")
    resources:
        **rule_resources("fetch_noise_sources"),
    params:
        packages=config["datasets"]["noise"]["synthetic"]["packages"],
    script:
        f"{SCRIPTS}/fetch_noise_sources.py"


rule synth_noise:
    input:
        recordings=rules.fetch_noise_sources.output[0],
    output:
        directory("resources/esc50_synthetic"),
    log:
        "logs/data/synth_noise.log",
    benchmark:
        "benchmarks/data/synth_noise.tsv"
    conda:
        "../envs/data.yaml"
    threads: threads_for("synth_noise")
    resources:
        **rule_resources("synth_noise"),
    params:
        settings={k: v for k, v in config["datasets"]["noise"]["synthetic"].items() if k != "packages"},
        seed=config["seed"],
    script:
        f"{SCRIPTS}/synth_noise.py"


rule download:
    output:
        "resources/downloads/{dataset}/{archive}",
    log:
        "logs/data/download_{dataset}_{archive}.log",
    wildcard_constraints:
        dataset="gtzan|esc50",
    conda:
        "../envs/data.yaml"
    threads: threads_for("download")
    resources:
        **rule_resources("download"),
    params:
        settings=download_settings,
    script:
        f"{SCRIPTS}/download.py"


rule extract:
    input:
        lambda wildcards: f"resources/downloads/{wildcards.dataset}/{archive_name(wildcards.dataset)}",
    output:
        directory("resources/{dataset}"),
    log:
        "logs/data/extract_{dataset}.log",
    wildcard_constraints:
        dataset="gtzan|esc50",
    conda:
        "../envs/data.yaml"
    threads: threads_for("extract")
    resources:
        **rule_resources("extract"),
    script:
        f"{SCRIPTS}/extract.py"


rule manifest:
    input:
        music=music_dataset_files(),
        noise=noise_dataset_files(),
    output:
        music="results/data/music_manifest.csv",
        noise="results/data/noise_manifest.csv",
        quality="results/data/quality_report.csv",
    log:
        "logs/data/manifest.log",
    benchmark:
        "benchmarks/data/manifest.tsv"
    conda:
        "../envs/data.yaml"
    threads: threads_for("manifest")
    resources:
        **rule_resources("manifest"),
    params:
        music_root=music_root_param,
        noise_root=noise_root_param,
        quality=config["quality"],
    script:
        f"{SCRIPTS}/manifest.py"


rule splits:
    input:
        music=rules.manifest.output.music,
        noise=rules.manifest.output.noise,
    output:
        music="results/data/music_splits.csv",
        noise="results/data/noise_splits.csv",
    log:
        "logs/data/splits.log",
    conda:
        "../envs/data.yaml"
    threads: threads_for("splits")
    resources:
        **rule_resources("splits"),
    params:
        settings=split_settings(),
    script:
        f"{SCRIPTS}/splits.py"
