"""report.inference_page: the tables and the page of one's own recordings, from recordings really
processed (inference.user_audio with the session's tiny trained models), checked in headless
Chromium: no console error and no request leaving the machine, every image decodes, every player
loads and decodes the first ``page_seconds`` (or the whole of a shorter recording), the tables name
every recording and every problem with its reason, and the provenance names the run, its commit
and the config hash."""

from __future__ import annotations

import io
import json
from pathlib import Path

import archives
import numpy as np
import pandas as pd
import pytest
import soundfile as sf
from chromium_page import check_page, chromium_binary

from danet_music2vec.audio import resample
from danet_music2vec.inference import user_audio as ua
from danet_music2vec.inference.no_harm import FIT_FORMAT
from danet_music2vec.inference.observation_adding import WeightCurve
from danet_music2vec.report.inference_page import (
    PROBLEM_COLUMNS, InferencePageSettings, predictions_table, problems_table, read_results, render_inference_page,
    write_inference_outputs,
)

STFT = {"sample_rate": 8000, "n_fft": 256, "hop_length": 64, "window": "sqrt_hann", "segment_frames": 100}
SEPARATION = {"attractors": "kmeans", "threshold_db": 40.0, "kmeans_max_points": 500,
              "noisereduce_stationary": False, "noisereduce_prop_decrease": 1.0, "seed": 3}
PAGE_SECONDS = 2.0
NAMES = {"stereo 44k.wav": 3.0, "Café déjà vu 音楽.flac": 2.5, "blip.ogg": 0.6}  # name -> seconds


@pytest.fixture(scope="module")
def folder(tmp_path_factory, animal_clips) -> Path:
    """Recordings made of the wheel's real animal recordings over a tone, and two bad files."""
    root = tmp_path_factory.mktemp("recordings")
    animals = np.concatenate(list(animal_clips.values()))
    for i, (name, seconds) in enumerate(NAMES.items()):
        rate = 44100 if "44k" in name else 22050
        n = int(seconds * rate)
        noise = resample(animals, 22050, rate)[i * rate: i * rate + n]
        audio = 0.6 * archives.tone_clip(i, seconds, rate)[:n] + 0.4 * noise
        data = np.stack([audio, 0.8 * audio], axis=1) if "stereo" in name else audio
        kind = {"wav": ("WAV", "PCM_16"), "flac": ("FLAC", "PCM_16"), "ogg": ("OGG", "VORBIS")}[name.rsplit(".", 1)[1]]
        sf.write(root / name, data, rate, format=kind[0], subtype=kind[1])
    (root / "corrupt.mp3").write_bytes(b"ID3" + bytes(range(256)) * 8)
    (root / "readme.txt").write_text("my recordings\n")
    return root


@pytest.fixture(scope="module")
def page(folder, tmp_path_factory, m2v_trained, soundnet_weights_file, danet_trained) -> dict:
    out = tmp_path_factory.mktemp("inference")
    fit = out / "danet.json"
    fit.write_text(json.dumps({"format": FIT_FORMAT, "grid": [0.0, 1.0], "clips": 1, "curves": {
        "logistic": {"curve": WeightCurve("logistic", 0.0, 4.0).as_dict(), "log_likelihood": -1.0}}}))
    models_files = {"classifier": m2v_trained / "model.pt", "soundnet": soundnet_weights_file,
                    "danet": danet_trained / "model.pt", "fit": fit}
    models = ua.load_models("danet_oa", STFT, SEPARATION, **models_files)
    audio, other = ua.list_recordings(folder)
    folders = []
    for key, name in audio.items():
        folders.append(out / "files" / key)
        ua.process_recording(folder / name, name, folders[-1], models, ua.UserAudioSettings(seed=3))
    records = read_results(folders)
    settings = InferencePageSettings(method="danet_oa", variant="noise1", classifier="clean",
                                     run_folder=str(out), input_folder=str(folder), config_hash="0123456789abcdef",
                                     page_seconds=PAGE_SECONDS)
    paths = {key: folder / name for key, name in audio.items()}
    predictions, problems = write_inference_outputs(
        records, paths, settings, page=out / "report.html", predictions=out / "predictions.csv",
        problems=out / "problems.csv", other_files=other, models=models_files, curve=models.curve.as_dict())
    return {"out": out, "records": records, "predictions": predictions, "problems": problems, "paths": paths,
            "settings": settings, "other": other}


@pytest.fixture(scope="module")
def browser(page, tmp_path_factory):
    binary = chromium_binary()
    screenshot = tmp_path_factory.mktemp("chromium") / "inference.png"
    checked = check_page(page["out"] / "report.html", binary, screenshot)
    print(f"\ninference page screenshot: {screenshot}")
    return checked


def test_predictions_csv_has_a_row_per_usable_recording_with_both_probabilities(page):
    table = pd.read_csv(page["out"] / "predictions.csv", encoding="utf-8")
    assert sorted(table["file"]) == sorted(NAMES)
    genres = page["records"][1]["class_names"]
    assert list(table.columns[:6]) == ["file", "duration_s", "predicted", "predicted_input", "blind_snr_db",
                                       "mix_weight"]
    for kind in ("input", "denoised"):
        probs = table[[f"{kind}_{g}" for g in genres]].to_numpy()
        assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert (table["predicted"] == [genres[i] for i in table[[f"denoised_{g}" for g in genres]].to_numpy().argmax(1)]
            ).all()
    assert table.set_index("file")["duration_s"].to_dict() == pytest.approx(NAMES, abs=0.01)
    assert table.set_index("file").loc["stereo 44k.wav", "channels"] == 2


def test_problems_csv_names_each_bad_file_with_its_reason(page):
    table = pd.read_csv(page["out"] / "problems.csv", encoding="utf-8")
    assert list(table.columns) == list(PROBLEM_COLUMNS)
    reasons = dict(zip(table["file"], table["reason"]))
    assert set(reasons) == {"corrupt.mp3", "readme.txt"}
    assert reasons["corrupt.mp3"].startswith("cannot be decoded")
    assert reasons["readme.txt"].startswith("not an audio file")


def test_the_page_loads_in_chromium_without_errors_or_outside_requests(browser):
    assert browser["errors"] == []
    assert browser["outside"] == []
    assert browser["page"]["title"] == "danet-music2vec: your own recordings"
    assert browser["page"]["sections"] == ["Predictions", "Problems", "Recordings", "Provenance"]
    assert sorted(browser["page"]["recordings"]) == sorted([*NAMES, "Model files"])


def test_every_image_decodes_and_every_player_plays_the_start_of_its_recording(browser):
    page = browser["page"]
    assert len(page["images"]) == 2 * len(NAMES)  # spectrograms and probability bars per recording
    assert all(i["complete"] and i["width"] > 0 and i["height"] > 0 for i in page["images"])
    assert len(page["audio"]) == 3 * len(NAMES)  # input, denoised, noise
    expected = sorted([min(PAGE_SECONDS, s) for s in NAMES.values() for _ in range(3)])
    assert sorted(round(a["duration"], 2) for a in page["audio"]) == pytest.approx(expected, abs=0.02)
    for player, decoded in zip(page["audio"], page["decoded"]):
        assert player["error"] is None and player["canPlay"] in ("maybe", "probably") and decoded["ok"], player


def test_the_tables_on_the_page_name_recordings_problems_and_provenance(browser, page):
    tables = {tuple(t["headers"]): t for t in browser["page"]["tables"]}
    predictions = next(t for h, t in tables.items() if h[:3] == ("file", "duration (s)", "predicted (denoised)"))
    assert sorted(row[0] for row in predictions["cells"]) == sorted(NAMES)
    problems = tables[("file", "reason")]
    assert sorted(row[0] for row in problems["cells"]) == ["corrupt.mp3", "readme.txt"]
    facts = dict(tables[("item", "value")]["cells"])
    assert facts["run folder"] == str(Path(page["settings"].run_folder).resolve())
    assert facts["git commit of the run folder"]  # 'unknown' outside a git checkout
    assert facts["config hash (settings the models were made with)"] == "0123456789abcdef"
    assert facts["no-harm weight curve"] == "logistic, centre 0 dB, width 4 dB"
    models = tables[("role", "file", "sha256", "fingerprint")]
    assert [row[0] for row in models["cells"]] == ["classifier", "soundnet", "danet", "fit"]
    assert all(len(row[2]) == 16 for row in models["cells"])


def test_a_page_without_players_and_with_problems_only(page):
    problems_only = [r for r in page["records"] if r["status"] != "ok"]
    settings = InferencePageSettings(**{**page["settings"].__dict__, "page_seconds": 0.0})
    text = render_inference_page(problems_only, page["paths"], settings, other_files=page["other"])
    assert "No recording could be used." in text and "<audio" not in text
    assert predictions_table(problems_only).empty
    assert len(problems_table(problems_only, page["other"])) == 2
    # the tables are plain UTF-8 CSV with the original names
    buffer = io.StringIO()
    predictions_table(page["records"]).to_csv(buffer, index=False)
    assert "Café déjà vu 音楽.flac" in buffer.getvalue()
