# Helpers of rules/inference.smk (your own recordings): which models, which files, which settings.
import functools
import os
from types import SimpleNamespace

from danet_music2vec.inference import recordings

INFERENCE = config["inference"]
INFERENCE_KEY = "[a-z0-9_]+-[0-9a-f]{8}"
# The sections of the config that define a run's models: shown on the page as their hash.
MODEL_SECTIONS = ("seed", "datasets", "quality", "splits", "mixing", "stft", "features", "danet", "separation")
MODEL_SECTIONS += ("no_harm", "music2vec")
if INFERENCE["overlap_seconds"] > INFERENCE["chunk_seconds"] / 2:
    raise WorkflowError(
        f"config inference.overlap_seconds ({INFERENCE['overlap_seconds']}) must not exceed half of "
        f"inference.chunk_seconds ({INFERENCE['chunk_seconds']})"
    )


def inference_method():
    """The method of config inference.method; by default the headline (evaluation.headline_method)
    where it is a no-harm output or a late fusion of danet, else danet (recordings.resolve_method)."""
    return recordings.resolve_method(INFERENCE["method"], config["evaluation"]["headline_method"])


def inference_base():
    """The separation method the denoised music starts from (a no-harm output's or a fusion's base)."""
    return recordings.base_method(inference_method())


def inference_separation():
    """Inference options of the base method, as the study's separate rule gets them."""
    return separation_settings(SimpleNamespace(method=inference_base()))


def inference_variant():
    return INFERENCE["variant"] or VARIANTS[0]


def inference_classifier():
    return INFERENCE["classifier"] or HEADLINE_CLASSIFIER


def inference_run_path(path):
    """A file of the run whose models are used: this run's (relative, so Snakemake can make it) or
    the one in config inference.run_folder."""
    return os.path.join(INFERENCE["run_folder"], path) if INFERENCE["run_folder"] else path


def inference_models(wildcards=None):
    """role -> model file: the classifier, SoundNet's weights, the DANet and the fit (if the method
    has them): a no-harm output's fit of its base, or a fusion's fit of this classifier, written
    with the study's fused predictions (rule fuse_predictions)."""
    method, base, variant = inference_method(), inference_base(), inference_variant()
    models = {
        "classifier": inference_run_path(f"results/models/music2vec_{inference_classifier()}.pt"),
        "soundnet": inference_run_path("resources/models/soundnet8.pt"),
    }
    if base in DANET_MODELS:
        models["danet"] = inference_run_path(f"results/models/{base}_{variant}.pt")
    if method in NO_HARM_METHODS:
        models["fit"] = inference_run_path(f"results/no_harm/fits/{variant}/{base}.json")
    elif method in FUSION_METHODS:
        models["fit"] = inference_run_path(f"results/no_harm/fits/{variant}/{method}_{inference_classifier()}.json")
    return models


@functools.cache
def inference_recordings():
    """(key -> path relative to the input folder for its audio files, its other files); fails
    naming the folder when it is not set, not a folder, or holds no audio file."""
    folder = INFERENCE["input_folder"]
    if not folder:
        raise WorkflowError(
            "config inference.input_folder is not set: name the folder of your recordings, e.g. "
            '--config inference=\'{"input_folder": "my_recordings"}\''
        )
    if not Path(folder).is_dir():
        raise WorkflowError(f"config inference.input_folder: {folder!r} is not a folder")
    audio, other = recordings.list_recordings(folder)
    if not audio:
        raise WorkflowError(
            f"config inference.input_folder: no audio file in {folder!r} ({len(other)} other files; "
            f"audio is one of {', '.join(recordings.AUDIO_SUFFIXES)})"
        )
    return audio, other


def inference_audio(wildcards):
    return os.path.join(INFERENCE["input_folder"], inference_recordings()[0][wildcards.key])


def inference_folders(wildcards):
    return expand("results/inference/files/{key}", key=inference_recordings()[0])


def inference_settings():
    """How recordings are chunked and classified (recordings.UserAudioSettings)."""
    keys = ("chunk_seconds", "overlap_seconds", "min_seconds")
    return {**{key: INFERENCE[key] for key in keys}, "seed": config["seed"]}


def inference_page(wildcards):
    """What the page is told (report.inference_page.InferencePageSettings)."""
    return {
        "method": inference_method(),
        "variant": inference_variant(),
        "classifier": inference_classifier(),
        "run_folder": INFERENCE["run_folder"] or ".",
        "input_folder": INFERENCE["input_folder"],
        "config_hash": config_hash(*MODEL_SECTIONS),
        "page_seconds": INFERENCE["page_seconds"],
        "working_rate": config["stft"]["sample_rate"],
        "chunk_seconds": INFERENCE["chunk_seconds"],
        "overlap_seconds": INFERENCE["overlap_seconds"],
    }
