"""results/inference/report.html on a finished test-config run: a folder of recordings as users
have them, denoised and classified with the run's models by one Snakemake target.

The folder is built here from recordings the project ships with the run: its synthetic GTZAN
clips with the CC0 animal takes of its noise world laid over them, as a stereo 44.1 kHz WAV, a
0.3 s FLAC, a 3-minute Ogg Vorbis file, an MP3, a file with a non-ASCII name, a corrupt file and a
text file; plus the run's own 0 dB test mixtures of variant noise1, saved under their ids. The run
must write the outputs of every good file, list the bad ones with their reasons, give those test
mixtures exactly the study pipeline's predictions (same models, clip for clip), and its page must
load cleanly in Chromium. Adding a file to the folder plans that file's job and the gathering job
only; a folder without audio stops the run with a message naming it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import soundfile as sf
from chromium_page import check_page, chromium_binary
from workflow_helpers import copy_run, planned_jobs, snakemake

from danet_music2vec.audio import load_audio, resample
from danet_music2vec.data.features import SegmentStore
from danet_music2vec.inference.observation_adding import WeightCurve
from danet_music2vec.inference.user_audio import file_key

pytestmark = pytest.mark.workflow

FOLDER = "my_recordings"
CONFIG = ("--configfile", "config/test.yaml")
ANIMALS = ("dog", "cat", "cow", "rooster", "sheep", "frog")
GOOD = {  # name -> (seconds, channels, rate)
    "stereo 44k.wav": (3.0, 2, 44100),
    "short.flac": (0.3, 1, 22050),
    "three minutes.ogg": (180.0, 1, 22050),
    "clip.mp3": (3.0, 2, 44100),
    "Café déjà vu – 音楽.wav": (3.0, 1, 22050),
}
STUDY = "study"  # subfolder of the study's test mixtures


def inference_args(folder: str = FOLDER) -> tuple[str, ...]:
    return ("--config", "inference=" + json.dumps({"input_folder": folder}))


def _music_and_noise(run: Path) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The run's music clips (22050 Hz) and its CC0 animal takes (resampled to 22050 Hz)."""
    music = [load_audio(p, 22050)[0] for p in sorted((run / "resources/gtzan_synthetic/genres").glob("*/*.wav"))]
    meta = pd.read_csv(run / "resources/esc50_synthetic/meta/esc50.csv")
    takes = meta[meta["category"].isin(ANIMALS)]["filename"]
    assert len(takes) >= 4, "the test run's noise world holds no animal takes"
    noise = [load_audio(run / "resources/esc50_synthetic/audio" / name, 22050)[0] for name in takes]
    return music, noise


def _recording(music: list[np.ndarray], noise: list[np.ndarray], seconds: float, rate: int, channels: int,
               offset: int) -> np.ndarray:
    """Music clips one after another with animal takes laid over them (0 dB-ish), ``seconds`` long."""
    n = int(round(seconds * 22050))
    tune = np.concatenate([music[(offset + i) % len(music)] for i in range(int(np.ceil(n / music[0].size)) + 1)])[:n]
    over = np.concatenate([noise[(offset + i) % len(noise)] for i in range(int(np.ceil(n / noise[0].size)) + 1)])[:n]
    gain = np.sqrt(np.mean(tune**2) / max(np.mean(over**2), 1e-12))
    mix = resample((0.5 * (tune + gain * over)).astype(np.float32), 22050, rate)
    return np.stack([mix, 0.7 * np.roll(mix, 100)], axis=1) if channels == 2 else mix


def build_recordings(run: Path) -> dict[str, str]:
    """The folder of recordings in ``run/FOLDER``; returns study file name -> its mixture id."""
    folder = run / FOLDER
    (folder / STUDY).mkdir(parents=True)
    music, noise = _music_and_noise(run)
    for offset, (name, (seconds, channels, rate)) in enumerate(GOOD.items()):
        audio = _recording(music, noise, seconds, rate, channels, offset)
        kind = {"wav": ("WAV", "PCM_16"), "flac": ("FLAC", "PCM_16"), "ogg": ("OGG", "VORBIS"),
                "mp3": ("MP3", "MPEG_LAYER_III")}[name.rsplit(".", 1)[1]]
        # In one-second blocks: libsndfile 1.2.2 crashes writing minutes of Ogg Vorbis in one call.
        with sf.SoundFile(folder / name, "w", rate, channels, format=kind[0], subtype=kind[1]) as sink:
            for start in range(0, audio.shape[0], rate):
                sink.write(audio[start:start + rate])
    (folder / "corrupt.wav").write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(200)))
    (folder / "README.txt").write_text("my recordings\n")
    study = {}
    with SegmentStore(run / "results/features/noise1/test.h5") as store:
        table = store.mixtures()
        for index in np.flatnonzero(table["snr_db"].to_numpy(dtype=float) == 0.0):
            mix_id = str(table["mix_id"].iloc[index])
            name = f"{STUDY}/{mix_id}.wav"
            sf.write(folder / name, store.waveforms(int(index))["mixture"], int(store.attrs["sample_rate"]),
                     subtype="FLOAT")
            study[name] = mix_id
    assert study, "the test run has no 0 dB test mixtures"
    return study


@pytest.fixture(scope="module")
def inference_run(completed_test_run, tmp_path_factory) -> dict:
    run = copy_run(completed_test_run, tmp_path_factory.mktemp("inference") / "run")
    study = build_recordings(run)
    plan = snakemake(run, "-n", "results/inference/report.html", *CONFIG, *inference_args())
    assert plan.returncode == 0, plan.stderr[-3000:]
    result = snakemake(run, "results/inference/report.html", "--cores", "2", *CONFIG, *inference_args(),
                       timeout=1500)
    assert result.returncode == 0, result.stderr[-5000:]
    return {"run": run, "study": study, "plan": planned_jobs(plan)}


def test_only_the_recordings_jobs_run_on_a_finished_run(inference_run):
    files = len(GOOD) + 1 + len(inference_run["study"])  # the good ones, the corrupt one, the study's
    assert inference_run["plan"] == {"inference_file": files, "inference_report": 1}


def test_every_good_file_gets_its_outputs_and_a_row(inference_run):
    run = inference_run["run"]
    predictions = pd.read_csv(run / "results/inference/predictions.csv", encoding="utf-8").set_index("file")
    assert sorted(predictions.index) == sorted([*GOOD, *inference_run["study"]])
    genres = [c.removeprefix("input_") for c in predictions.columns if c.startswith("input_")]
    assert genres == ["blues", "classical", "metal"]
    for name, (seconds, channels, rate) in GOOD.items():
        row = predictions.loc[name]
        assert row["duration_s"] == pytest.approx(seconds, abs=0.06), name  # mp3 frames pad a little
        assert (row["channels"], row["sample_rate"]) == (channels, rate), name
        assert row["predicted"] in genres and np.isfinite(row["blind_snr_db"]) and 0 <= row["mix_weight"] <= 1
        folder = run / "results/inference/files" / file_key(name)
        for output, expected_rate in (("music_8000hz.wav", 8000), ("music_22050hz.wav", 22050),
                                      ("noise_8000hz.wav", 8000)):
            info = sf.info(folder / output)
            assert info.samplerate == expected_rate and info.channels == 1
            assert info.duration == pytest.approx(seconds, abs=0.06), (name, output)
    long = json.loads((run / "results/inference/files" / file_key("three minutes.ogg") / "result.json").read_text())
    assert (long["chunks"], long["windows"]) == (7, 6)  # 30 s chunks overlapping by 2 s at least; 30 s windows


def test_bad_files_are_listed_with_their_reason(inference_run):
    run = inference_run["run"]
    problems = pd.read_csv(run / "results/inference/problems.csv", encoding="utf-8")
    reasons = dict(zip(problems["file"], problems["reason"]))
    assert set(reasons) == {"corrupt.wav", "README.txt"}
    assert reasons["corrupt.wav"].startswith("cannot be decoded")
    assert reasons["README.txt"].startswith("not an audio file")
    assert sorted(p.name for p in (run / "results/inference/files" / file_key("corrupt.wav")).iterdir()
                  if not p.name.startswith(".")) == ["result.json"]


def test_the_studys_test_mixtures_get_the_study_pipelines_predictions(inference_run):
    """Same models, same inputs, the default method (the headline, danet_fusion) and classifier (the
    headline, denoised): the study's fused prediction and probabilities of each 0 dB test mixture,
    danet's for the denoised music, the mixture condition's for the unprocessed input, the
    separation's blind SNR estimate and the fusion weight of the study's fit at it."""
    run, study = inference_run["run"], inference_run["study"]
    ours = pd.read_csv(run / "results/inference/predictions.csv", encoding="utf-8").set_index("file")
    ours = ours.loc[list(study)].set_index(pd.Index(list(study.values()), name="id"))
    tables = run / "results/classification/denoised/noise1"
    fused, denoised, mixture = (pd.read_csv(tables / f"{name}.csv", dtype={"id": str}).set_index("id")
                                for name in ("danet_fusion", "danet", "mixture"))
    index = pd.read_csv(run / "results/separation/noise1/danet/index.csv", dtype={"mix_id": str}).set_index("mix_id")
    curve = WeightCurve.from_dict(json.loads(
        (run / "results/no_harm/fits/noise1/danet_fusion_denoised.json").read_text())["curve"])
    ids = list(study.values())
    assert (ours["predicted"] == fused.loc[ids, "predicted"]).all()
    assert (ours["predicted_input"] == mixture.loc[ids, "predicted"]).all()
    for genre in ("blues", "classical", "metal"):
        # the same audio reaches the same heads; the study's heads read the clips in batches (other
        # float rounding in the last bits) and its tables keep 10 digits
        assert np.allclose(ours[f"fused_{genre}"], fused.loc[ids, f"prob_{genre}"], rtol=0, atol=1e-8)
        assert np.allclose(ours[f"denoised_{genre}"], denoised.loc[ids, f"prob_{genre}"], rtol=0, atol=1e-8)
        assert np.allclose(ours[f"input_{genre}"], mixture.loc[ids, f"prob_{genre}"], rtol=0, atol=1e-8)
    assert np.allclose(ours["blind_snr_db"], index.loc[ids, "blind_snr_db"], rtol=1e-9, atol=1e-9)
    assert np.allclose(ours["fusion_weight"], curve(index.loc[ids, "blind_snr_db"].to_numpy()), rtol=1e-8, atol=1e-12)
    assert (ours["mix_weight"] == 0).all()  # the fusion adds no input back to the audio


def test_the_page_loads_in_chromium(inference_run, tmp_path):
    binary = chromium_binary()
    checked = check_page(inference_run["run"] / "results/inference/report.html", binary, tmp_path / "page.png")
    assert checked["errors"] == [] and checked["outside"] == []
    page = checked["page"]
    good = len(GOOD) + len(inference_run["study"])
    assert sorted(page["recordings"]) == sorted([*GOOD, *inference_run["study"], "Model files"])
    assert len(page["audio"]) == 3 * good and all(d["ok"] for d in page["decoded"])
    assert all(a["error"] is None and a["duration"] > 0.25 for a in page["audio"])
    assert len(page["images"]) == 2 * good and all(i["width"] > 0 for i in page["images"])
    tables = {tuple(t["headers"]): t for t in page["tables"]}
    assert sorted(row[0] for row in tables[("file", "reason")]["cells"]) == ["README.txt", "corrupt.wav"]
    facts = dict(tables[("item", "value")]["cells"])
    assert set(facts) >= {"run folder", "git commit of the run folder",
                          "config hash (settings the models were made with)"}


def test_adding_a_file_plans_only_that_files_job(inference_run, tmp_path):
    run = copy_run(inference_run["run"], tmp_path / "run")
    again = snakemake(run, "-n", "results/inference/report.html", *CONFIG, *inference_args())
    assert again.returncode == 0 and planned_jobs(again) == {}, again.stdout[-3000:]
    shutil.copy(run / FOLDER / "stereo 44k.wav", run / FOLDER / "new take.wav")
    plan = snakemake(run, "-n", "results/inference/report.html", *CONFIG, *inference_args())
    assert plan.returncode == 0, plan.stderr[-3000:]
    assert planned_jobs(plan) == {"inference_file": 1, "inference_report": 1}
    assert f"key={file_key('new take.wav')}" in plan.stdout


def test_a_folder_without_audio_stops_the_run_naming_it(inference_run, tmp_path):
    run = copy_run(inference_run["run"], tmp_path / "run")
    (run / "no_audio_here").mkdir()
    (run / "no_audio_here" / "notes.txt").write_text("nothing to hear\n")
    result = snakemake(run, "-n", "results/inference/report.html", *CONFIG, *inference_args("no_audio_here"))
    assert result.returncode != 0
    assert "no audio file in 'no_audio_here'" in result.stdout + result.stderr
