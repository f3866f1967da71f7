"""Your own recordings: speed and memory of denoising and classifying one file (docs/benchmarks.md).

Run on a finished run (its models, its music clips and animal takes make the test audio):

    .venv/bin/python bench/bench_inference.py --run . --threads 1 2 --minutes 60

* **Speed**: a 3-minute stereo 44.1 kHz WAV (the run's music clips with its CC0 animal takes laid
  over them) through :func:`danet_music2vec.inference.user_audio.process_recording`, from decoding
  to written outputs (models loaded before the clock starts), the median of ``--repeats``; with the
  run's own models and with models of the default config's size: a DANet of 2 x 128 BLSTM units and
  K 20, and an ensemble of five music2vec heads of LSTM(200) x 2 and dense 400, 100 with ten genres,
  both **untrained** (seeded random weights: the time does not depend on the weights; the k-means
  attractors always run their 20 iterations) with the pretrained SoundNet of the run.
* **Memory**: a ``--minutes`` long stereo 44.1 kHz FLAC processed in a child process under
  ``/usr/bin/time -v`` (its maximum resident set size, the Python interpreter and torch included),
  with the default-size models.

Figures go to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import soundfile as sf
import torch

from danet_music2vec.audio import load_audio, resample
from danet_music2vec.inference import user_audio as ua
from danet_music2vec.inference.no_harm import read_curve
from danet_music2vec.inference.separation import SeparationSettings, Separator
from danet_music2vec.models.danet import DANet, DanetConfig
from danet_music2vec.models.music2vec import GenreClassifier, GenreHead, HeadConfig
from danet_music2vec.models.soundnet import load_soundnet

STFT = {"sample_rate": 8000, "n_fft": 256, "hop_length": 64, "window": "sqrt_hann", "segment_frames": 100}
SEPARATION = {"attractors": "kmeans", "threshold_db": 40.0, "kmeans_max_points": 4000, "window_overlap": 0.25,
              "noisereduce_stationary": False, "noisereduce_prop_decrease": 1.0, "seed": 2021}
GENRES = ("blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae", "rock")
ANIMALS = ("dog", "cat", "cow", "rooster", "sheep", "frog", "pig")


def test_audio(run: Path, seconds: float, rate: int = 44100) -> np.ndarray:
    """(samples, 2) float32: the run's music clips one after another with its animal takes over them."""
    music = [load_audio(p, 22050)[0] for p in sorted((run / "resources/gtzan_synthetic/genres").glob("*/*.wav"))]
    meta = pd.read_csv(run / "resources/esc50_synthetic/meta/esc50.csv")
    names = meta[meta["category"].isin(ANIMALS)]["filename"].tolist()
    noise = [load_audio(run / "resources/esc50_synthetic/audio" / n, 22050)[0] for n in names]
    tune = resample(np.concatenate(music), 22050, rate)
    over = resample(np.concatenate(noise), 22050, rate)
    n = int(seconds * rate)
    tune, over = np.resize(tune, n), np.resize(over, n)
    gain = np.sqrt(np.mean(tune**2) / np.mean(over**2))
    mono = 0.5 * (tune + gain * over)
    return np.stack([mono, 0.8 * np.roll(mono, 50)], axis=1).astype(np.float32)


def write_audio(path: Path, audio: np.ndarray, rate: int, fmt: str) -> Path:
    with sf.SoundFile(path, "w", rate, audio.shape[1], format=fmt, subtype="PCM_16") as sink:
        for start in range(0, audio.shape[0], 10 * rate):  # in blocks (libsndfile's encoders prefer it)
            sink.write(audio[start:start + 10 * rate])
    return path


def models_of(kind: str, run: Path, variant: str, classifier: str, method: str) -> ua.RecordingModels:
    """The run's own models, or untrained ones of the default config's size (see the module doc)."""
    if kind == "run":
        fit = run / f"results/no_harm/fits/{variant}/danet.json"
        return ua.load_models(method, STFT, SEPARATION, classifier=run / f"results/models/music2vec_{classifier}.pt",
                              soundnet=run / "resources/models/soundnet8.pt",
                              danet=run / f"results/models/danet_{variant}.pt",
                              fit=fit if method != "danet" else None)
    torch.manual_seed(0)
    danet = DANet(DanetConfig(n_bins=129, layers=2, units=128, embedding_dim=20)).eval()
    heads = [GenreHead(HeadConfig(n_classes=len(GENRES), lstm_units=200, lstm_layers=2, dense_units=(400, 100)))
             for _ in range(5)]
    soundnet = load_soundnet(run / "resources/models/soundnet8.pt")
    curve = read_curve(run / f"results/no_harm/fits/{variant}/danet.json", "logistic") if method != "danet" else None
    return ua.RecordingModels(method, Separator("danet", STFT, SeparationSettings(**SEPARATION), danet),
                              GenreClassifier(heads, GENRES, soundnet, "frozen"), curve)


def process_one(path: Path, out: Path, models: ua.RecordingModels) -> dict:
    record = ua.process_recording(path, path.name, out, models, ua.UserAudioSettings(seed=SEPARATION["seed"]))
    if record["status"] != "ok":
        raise RuntimeError(f"{path}: {record['reason']}")
    return record


def speed(run: Path, work: Path, args) -> None:
    path = write_audio(work / "three_minutes.wav", test_audio(run, 180.0), 44100, "WAV")
    print(f"\n## speed: {path.name}, 180 s stereo 44.1 kHz 16-bit WAV, method {args.method}, "
          f"{args.repeats} repeats (median)")
    print("| models | torch threads | seconds | x real time | decode | separate | classify + write |")
    print("|---|---|---|---|---|---|---|")
    for kind in ("run", "default"):
        models = models_of(kind, run, args.variant, args.classifier, args.method)
        for threads in args.threads:
            torch.set_num_threads(threads)
            process_one(path, work / f"warm_{kind}_{threads}", models)  # warm up (allocations, caches)
            records = [process_one(path, work / f"out_{kind}_{threads}_{r}", models) for r in range(args.repeats)]
            totals = [r["seconds"]["total"] for r in records]
            best = records[totals.index(statistics.median_low(totals))]["seconds"]
            label = "this run's" if kind == "run" else "default size, untrained"
            print(f"| {label} | {threads} | {best['total']:.2f} | {180.0 / best['total']:.0f} | {best['decode']:.2f} | "
                  f"{best['separate']:.2f} | {best['classify_and_write']:.2f} |")


def memory(run: Path, work: Path, args) -> None:
    seconds = args.minutes * 60.0
    path = work / f"{args.minutes}_minutes.flac"
    rate = 44100
    with sf.SoundFile(path, "w", rate, 2, format="FLAC", subtype="PCM_16") as sink:
        block = test_audio(run, 60.0, rate)  # one minute, repeated (its RMS varies along it)
        for minute in range(args.minutes):
            sink.write(np.roll(block, minute * 4410, axis=0))
    print(f"\n## memory: {path.name}, {seconds:.0f} s stereo 44.1 kHz FLAC ({path.stat().st_size / 1e6:.0f} MB), "
          f"default-size models, {args.threads[0]} torch thread(s)")
    command = ["/usr/bin/time", "-v", sys.executable, __file__, "--run", str(run), "--variant", args.variant,
               "--classifier", args.classifier, "--method", args.method, "--child", str(path),
               "--out", str(work / "long_out"), "--threads", str(args.threads[0])]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1))
    record = json.loads(result.stdout.strip().splitlines()[-1])
    print("| recording | max RSS (MB) | processing s | x real time | chunks | windows | wall s (process) |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {args.minutes} min | {rss / 1024:.0f} | {record['seconds']['total']:.0f} | "
          f"{seconds / record['seconds']['total']:.0f} | {record['chunks']} | {record['windows']} | {wall:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", type=Path, default=Path("."), help="a finished run's folder")
    parser.add_argument("--variant", default="noise1")
    parser.add_argument("--classifier", default="clean")
    parser.add_argument("--method", default="danet_oa", choices=["danet", "danet_oa"])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--minutes", type=int, default=60, help="length of the memory test's recording (0: none)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)  # the memory test's child process
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    run = args.run.resolve()
    if args.child is not None:
        torch.set_num_threads(args.threads[0])
        models = models_of("default", run, args.variant, args.classifier, args.method)
        print(json.dumps(process_one(args.child, args.out, models)))
        return
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores, "
          f"load average {os.getloadavg()[0]:.1f} at the start; torch {torch.__version__}; python "
          f"{platform.python_version()}")
    with tempfile.TemporaryDirectory(prefix="bench_inference_") as tmp:
        work = Path(tmp)
        speed(run, work, args)
        if args.minutes > 0:
            memory(run, work, args)
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
