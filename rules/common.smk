# Shared helpers: config validation, dataset locations, per-rule resources.
import hashlib
import json
from pathlib import Path

from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

from danet_music2vec import methods
from danet_music2vec.inference.settings import settings_from_config

validate(config, schema="../config/schema.yaml")

SPLITS = ["train", "valid", "test"]
# Mixture sets with a feature file each: the splits' own, and two of other SNRs for the no-harm
# stage: the calibration set (validation music) and the denoiser-training set (training music).
EXTRA_MIXTURE_SETS = {"calibration": "valid", "denoiser_train": "train"}
MIXTURE_SETS = SPLITS + list(EXTRA_MIXTURE_SETS)
VARIANTS = list(config["mixing"]["variants"])
SCRIPTS = "../workflow/scripts"
# Rules that may ask the scheduler for a GPU (they use CUDA when present); every other rule runs on CPU.
GPU_RULES = ("train_danet", "train_music2vec")


wildcard_constraints:
    variant="|".join(VARIANTS),
    split="|".join(MIXTURE_SETS),
    genre="[a-z]+",
    classifier="|".join(c["name"] for c in config["music2vec"]["classifiers"]),


def check_config():
    """Cross-key checks a JSON schema cannot express; errors name the key."""
    stft = config["stft"]
    if stft["hop_length"] > stft["n_fft"]:
        raise WorkflowError(
            f"config stft.hop_length ({stft['hop_length']}) must not exceed stft.n_fft ({stft['n_fft']})"
        )
    for kind in ("music", "noise"):
        dataset = config["datasets"][kind]
        if dataset["source"] == "download" and not (dataset.get("url") and dataset.get("checksum")):
            raise WorkflowError(f"config datasets.{kind}: source 'download' needs url and checksum")
        if dataset["source"] == "folder" and not Path(dataset.get("folder") or "").is_dir():
            raise WorkflowError(
                f"config datasets.{kind}.folder: {dataset.get('folder')!r} is not a folder "
                "(source 'folder' needs an extracted copy of the dataset)"
            )
    if "gres" in config["resources"]["default"]:
        raise WorkflowError("config resources.default.gres: a GPU is asked for per rule, never by default")
    for name, settings in config["resources"]["rules"].items():
        if "gres" in settings and name not in GPU_RULES:
            raise WorkflowError(
                f"config resources.rules.{name}.gres: only {', '.join(GPU_RULES)} may ask for a GPU "
                f"({name} runs on CPU)"
            )
    # What frozen mode alone allows, all named at once (the default config has both: 5 heads per
    # classifier and the denoised classifier).
    mode = config["music2vec"]["mode"]
    frozen_only = []
    ensemble = config["music2vec"]["training"].get("ensemble", 1)
    if ensemble > 1 and mode != "frozen":
        frozen_only.append(
            f"config music2vec.training.ensemble ({ensemble}) needs music2vec.mode frozen: "
            f"in {mode} mode every head would fine-tune its own SoundNet (set it to 1)"
        )
    for classifier in config["music2vec"]["classifiers"]:
        if "denoised" in classifier["training_conditions"] and mode != "frozen":
            frozen_only.append(
                f"config music2vec.classifiers: classifier {classifier['name']!r} trains on the denoised condition "
                "(cached SoundNet features of danet's outputs), which needs music2vec.mode frozen: "
                f"for {mode} mode remove {classifier['name']!r} from music2vec.classifiers"
            )
    if frozen_only:
        raise WorkflowError("\n".join(frozen_only))
    names = [c["name"] for c in config["music2vec"]["classifiers"]]
    if len(set(names)) != len(names):
        raise WorkflowError(f"config music2vec.classifiers: names must be distinct, got {names}")
    max_epochs = config["danet"]["training"]["max_epochs"]
    for name, setup in config["danet"]["setups"].items():
        if setup["kmeans_epochs"] >= max_epochs:
            raise WorkflowError(
                f"config danet.setups.{name}.kmeans_epochs ({setup['kmeans_epochs']}) must be smaller than "
                f"danet.training.max_epochs ({max_epochs}): k-means epochs start from an earlier epoch's attractors"
            )


check_config()


# ---- datasets ---------------------------------------------------------------------------------
def music_source():
    return config["datasets"]["music"]["source"]


def noise_source():
    return config["datasets"]["noise"]["source"]


def synthetic_genres():
    return config["datasets"]["music"]["synthetic"]["genres"]


def music_root():
    """Folder that holds genres/<genre>/*.wav."""
    return {
        "synthetic": "resources/gtzan_synthetic",
        "download": "resources/gtzan",
        "folder": config["datasets"]["music"]["folder"],
    }[music_source()]


def noise_root():
    """Folder that holds meta/esc50.csv and audio/."""
    return {
        "synthetic": "resources/esc50_synthetic",
        "download": "resources/esc50/ESC-50-master",
        "folder": config["datasets"]["noise"]["folder"],
    }[noise_source()]


def music_root_param(wildcards):
    return music_root()


def noise_root_param(wildcards):
    return noise_root()


def folder_files(folder):
    """Every file of a user's dataset folder: a clip added, replaced or removed reruns the manifest."""
    return sorted(str(path) for path in Path(folder).rglob("*") if path.is_file() and not path.name.startswith("."))


def music_dataset_files():
    """What the music manifest waits for: the built or extracted dataset, or the user's files."""
    if music_source() == "synthetic":
        return expand("resources/gtzan_synthetic/genres/{genre}", genre=synthetic_genres())
    if music_source() == "download":
        return ["resources/gtzan"]
    return folder_files(music_root())


def noise_dataset_files():
    if noise_source() == "synthetic":
        return ["resources/esc50_synthetic"]
    if noise_source() == "download":
        return ["resources/esc50"]
    return folder_files(noise_root())


def download_settings(wildcards):
    dataset = config["datasets"][{"gtzan": "music", "esc50": "noise"}[wildcards.dataset]]
    return {"url": dataset["url"], "checksum": dataset["checksum"]}


def archive_name(dataset):
    return {"gtzan": "genres.tar.gz", "esc50": "ESC-50-master.zip"}[dataset]


# ---- splits and mixtures ----------------------------------------------------------------------
def split_settings():
    """Split parameters as one plain dict; music_lists applies to real GTZAN only."""
    splits = config["splits"]
    return {
        "kind": splits["kind"],
        "seed": config["seed"],
        **splits["seed_kind"],
        "music_lists": None if music_source() == "synthetic" else splits["recommended"]["music_lists"],
        "music_fractions": splits["recommended"]["music_fractions"],
        "noise_valid_folds": splits["recommended"]["noise_valid_folds"],
        "noise_test_folds": splits["recommended"]["noise_test_folds"],
        "noise_heldout_valid": splits["recommended"].get("noise_heldout_valid", []),
        "noise_heldout_test": splits["recommended"].get("noise_heldout_test", []),
    }


def snr_by_split():
    mixing = config["mixing"]
    return {"train": mixing["snr_db"], "valid": mixing["snr_db"], "test": mixing["test_snr_db"]}


def n_noises(wildcards):
    return config["mixing"]["variants"][wildcards.variant]


def feature_attrs(wildcards):
    """Attributes stored in a feature file, tying it to its variant and settings."""
    return {
        "variant": wildcards.variant,
        "split": wildcards.split,
        "n_noises": n_noises(wildcards),
        "seed": config["seed"],
        "config_hash": config_hash(
            "seed", "datasets", "quality", "splits", "stft", extra=split_mixing(wildcards.split)
        ),
    }


def split_mixing(split):
    """The mixing settings one mixture set depends on: the test SNRs do not touch training data."""
    if split in EXTRA_MIXTURE_SETS:
        return {**mixture_set(split), **{k: v for k, v in config["mixing"].items() if "snr" not in k}}
    unused = "snr_db" if split == "test" else "test_snr_db"
    return {key: value for key, value in config["mixing"].items() if key != unused}


def mixture_set(name):
    """How a mixture set is planned: its source split, SNRs and music clips (0: all)."""
    if name not in EXTRA_MIXTURE_SETS:
        return {"source_split": name, "snr_db": snr_by_split()[name], "max_clips": 0}
    no_harm = config["no_harm"]
    clips = no_harm["calibration_clips"] if name == "calibration" else no_harm["denoiser_training_clips"]
    return {"source_split": EXTRA_MIXTURE_SETS[name], "snr_db": no_harm["calibration_snr_db"], "max_clips": clips}


def config_hash(*sections, extra=None):
    """Short hash of config sections (and any extra settings); stored in outputs to tie them to their settings."""
    payload = json.dumps({"sections": {s: config[s] for s in sections}, "extra": extra}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


# ---- resources --------------------------------------------------------------------------------
def rule_settings(name):
    return {**config["resources"]["default"], **config["resources"]["rules"].get(name, {})}


def threads_for(name):
    return rule_settings(name)["threads"]


def rule_resources(name):
    """A rule's scheduler resources: mem_mb (SLURM --mem), runtime (--time, minutes), gres (--gres) if set."""
    settings = rule_settings(name)
    resources = {"mem_mb": settings["mem_mb"], "runtime": settings["runtime"]}
    if settings.get("gres"):
        resources["gres"] = settings["gres"]
    return resources


# ---- later stages -----------------------------------------------------------------------------
# The separation methods, those BSS Eval scores and the trained DANet setups: one list, in
# danet_music2vec.methods, for the package and the rules. clean_8khz, the references themselves,
# is classified as the ceiling of any method at the 8 kHz working rate but not BSS-scored.
SEPARATION_METHODS = list(methods.SEPARATION_METHODS)
# No-harm outputs (rules/no_harm.smk): method -> the separation it starts from; fusions likewise.
NO_HARM_METHODS = dict(methods.NO_HARM_METHODS)
NO_HARM_BASES = sorted(set(NO_HARM_METHODS.values()) | set(methods.FUSION_METHODS.values()))
FUSION_METHODS = dict(methods.FUSION_METHODS)
# Every folder of results/separation/<variant>/, and every condition the classifiers score.
OUTPUT_METHODS = list(methods.OUTPUT_METHODS)
CLASSIFIED_METHODS = list(methods.CLASSIFIED_METHODS)
BSS_METHODS = list(methods.BSS_METHODS)
DANET_MODELS = list(methods.DANET_MODELS)


def danet_settings(wildcards):
    """Everything a DANet training depends on (model size, objective, schedule, seed)."""
    danet = config["danet"]
    setup = danet["setups"][wildcards.model]
    return {
        "model": {**danet["model"], "n_bins": config["stft"]["n_fft"] // 2 + 1},
        **danet["training"],
        "target": setup["target"],
        "kmeans_epochs": setup["kmeans_epochs"],
        "shared_attractor_weight": setup["shared_attractor_weight"],
        "threshold_db": danet["threshold_db"],
        "seed": config["seed"],
    }


def separation_settings(wildcards):
    """Inference options of one separation method."""
    return settings_from_config(config, wildcards.method)


def no_harm_curves(base):
    """The weight curves a base method's fit needs: logistic for its _oa output, constant for _al."""
    kinds = {"logistic" if m.endswith("_oa") else "constant" for m, b in NO_HARM_METHODS.items() if b == base}
    if base in FUSION_METHODS.values():
        kinds.add("logistic")  # the fusion's calibration features are the base's grid
    return sorted(kinds)


def calibration_grid_cache(wildcards):
    """frozen: the SoundNet features of the base method's calibration outputs at every grid weight
    (calibration_features), which fit_no_harm and fuse_predictions classify; finetune: none."""
    if MUSIC2VEC["mode"] != "frozen":
        return []
    base = FUSION_METHODS.get(wildcards.method, wildcards.method)
    return f"results/no_harm/features/{wildcards.variant}/{base}.h5"


def calibration_grid_audio(pattern):
    """An input only finetune mode reads: each classifier has its own SoundNet layers, so the
    calibration outputs at every grid weight are classified from their audio (frozen: none)."""

    def files(wildcards):
        return [] if MUSIC2VEC["mode"] == "frozen" else pattern.format(**wildcards)

    return files


def separation_model(wildcards):
    """Trained model a separation method needs, if any."""
    if wildcards.method in DANET_MODELS:
        return [f"results/models/{wildcards.method}_{wildcards.variant}.pt"]
    return []


# ---- music2vec ---------------------------------------------------------------------------------
# Each classifier of config music2vec.classifiers is its own target; the first is the headline.
MUSIC2VEC = config["music2vec"]
CLASSIFIER_TRAINING = {c["name"]: list(c["training_conditions"]) for c in MUSIC2VEC["classifiers"]}
CLASSIFIER_SEEDS = {c["name"]: c.get("seed", config["seed"]) for c in MUSIC2VEC["classifiers"]}
CLASSIFIERS = list(CLASSIFIER_TRAINING)
HEADLINE_CLASSIFIER = CLASSIFIERS[0]


def headline_metrics(name):
    """A classification metrics file of the headline classifier."""
    return f"results/metrics/classification/{HEADLINE_CLASSIFIER}/{name}"


def music2vec_features(wildcards):
    """frozen: the cached SoundNet features of the classifier's training conditions."""
    if MUSIC2VEC["mode"] != "frozen":
        return []
    conditions = CLASSIFIER_TRAINING[wildcards.classifier]
    return (
        (["results/music2vec/clean_features.h5"] if "clean" in conditions else [])
        + (
            expand("results/music2vec/mixture_{variant}_features.h5", variant=VARIANTS)
            if "mixture" in conditions
            else []
        )
        + (
            expand("results/music2vec/denoised_{variant}_features.h5", variant=VARIANTS)
            if "denoised" in conditions
            else []
        )
    )


def music2vec_mixture_files(wildcards):
    """finetune with mixtures: the mixtures' waveforms in the DANet feature files."""
    if MUSIC2VEC["mode"] != "finetune" or "mixture" not in CLASSIFIER_TRAINING[wildcards.classifier]:
        return []
    return expand("results/features/{variant}/{split}.h5", variant=VARIANTS, split=["train", "valid"])
