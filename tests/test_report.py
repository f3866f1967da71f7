"""results/report.html from a small but real set of inputs, checked in headless Chromium.

The inputs are written by the project's own code: wavs, a real feature file per variant
(``write_features``), real separation folders (``separate_features``), predictions tables
scored by ``classification.evaluate`` (summary, confusion matrices, plot), a separation
summary by ``bss.summarize``, training histories and Snakemake-style benchmark files.

The browser is Debian's ``chromium`` (installed with apt by a session fixture when missing),
driven over the DevTools protocol through ``--remote-debugging-pipe`` (stdlib only): the page
must load without console errors or any non-inline request, every image must decode, every
audio element must load and decode, and the tables must hold numbers. A full-page screenshot
is saved and its path printed.
"""

from __future__ import annotations

import base64
import fcntl
import html.parser
import json
import os
import queue
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

import archives
import numpy as np
import pandas as pd
import pytest
import soundfile as sf

from danet_music2vec.evaluation import bss
from danet_music2vec.data.features import SegmentStore, StftParams, write_features
from danet_music2vec.evaluation.classification import evaluate
from danet_music2vec.inference.separation import SeparationSettings, Separator, separate_features
from danet_music2vec.plots import plot_classifier_history
from danet_music2vec.report import (
    ReportInputError, ReportInputs, ReportSettings, classifiers_table, render, rule_of_benchmark, wall_times,
    write_report,
)
from danet_music2vec.training.danet import HISTORY_COLUMNS

GENRES = ["blues", "classical", "metal"]
VARIANTS = {"noise1": 1, "noise2": 2}
METHODS = ["mixture", "clean_8khz", "oracle_ibm", "oracle_irm", "noisereduce", "danet_original", "danet"]
CLASSIFIER_NAMES = ["clean", "multicondition"]
SNRS = [0.0, -5.0]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
BENCHMARK_PATTERNS = {
    "manifest": "benchmarks/data/manifest.tsv",
    "synth_music": "benchmarks/data/synth_music_{genre}.tsv",
    "stft_segments": "benchmarks/features/{variant}_{split}.tsv",
    "train_danet": "benchmarks/danet/train_{model}_{variant}.tsv",
}


# --------------------------------------------------------------------------- inputs


def _write_music_and_noise(root: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, noise_rows = [], []
    (root / "music").mkdir(parents=True)
    (root / "noise").mkdir(parents=True)
    for g, genre in enumerate(GENRES):
        for i in range(2):
            clip_id = f"{genre}.{i:05d}"
            path = root / "music" / f"{clip_id}.wav"
            sf.write(path, archives.tone_clip(3 * g + i, 2.0, 22050), 22050)
            rows.append({"clip_id": clip_id, "path": str(path), "label": genre, "source": f"{genre}.artist{i}",
                         "duration_s": 2.0, "sample_rate": 22050, "channels": 1, "rms_db": -9.0,
                         "active_start_s": 0.0, "active_end_s": 2.0, "usable": True, "problem": ""})
    for i, category in enumerate(["dog", "rain", "siren"]):
        clip_id = f"5-{100 + i}-A-{i}"
        path = root / "noise" / f"{clip_id}.wav"
        sf.write(path, np.random.default_rng(i).standard_normal(44100 * 5).astype(np.float32) * 0.1, 44100)
        noise_rows.append({"clip_id": clip_id, "path": str(path), "label": category, "source": str(100 + i),
                           "fold": 5, "target": i, "duration_s": 5.0, "sample_rate": 44100, "channels": 1,
                           "rms_db": -20.0, "active_start_s": 0.0, "active_end_s": 5.0, "usable": True, "problem": ""})
    return pd.DataFrame(rows), pd.DataFrame(noise_rows)


def _plan(music: pd.DataFrame, noise: pd.DataFrame, n_noises: int) -> pd.DataFrame:
    test = music[music["clip_id"].str.endswith("1")]  # one test clip per genre
    noise_ids = noise["clip_id"].tolist()
    rows = []
    for k, music_id in enumerate(test["clip_id"]):
        chosen = [noise_ids[(k + j) % len(noise_ids)] for j in range(n_noises)]
        for snr in SNRS:
            rows.append({"mix_id": f"{music_id}+snr{snr:g}", "split": "test", "music_id": music_id, "snr_db": snr,
                         "noise_ids": ";".join(chosen), "noise_offsets_s": ";".join(["0.5"] * n_noises)})
    return pd.DataFrame(rows)


def _predictions(ids, music_ids, labels, snr, rng: np.random.Generator, accuracy: float) -> pd.DataFrame:
    predicted = [label if rng.random() < accuracy else GENRES[(GENRES.index(label) + 1) % 3] for label in labels]
    frame = pd.DataFrame({"id": ids, "music_id": music_ids, "label": labels, "snr_db": snr, "predicted": predicted})
    probs = rng.dirichlet(np.ones(len(GENRES)), size=len(frame))
    for j, genre in enumerate(GENRES):
        frame[f"prob_{genre}"] = np.where(frame["predicted"] == genre, 0.6 + 0.4 * probs[:, j], 0.4 * probs[:, j])
    return frame


def build_inputs(root: Path) -> ReportInputs:
    """Every input of the report, real files in ``root`` (laid out like results/)."""
    rng = np.random.default_rng(0)
    results = root / "results"
    data = results / "data"
    data.mkdir(parents=True)
    music, noise = _write_music_and_noise(root / "resources")
    music.to_csv(data / "music_manifest.csv", index=False)
    noise.to_csv(data / "noise_manifest.csv", index=False)
    pd.DataFrame([{"clip_id": "jazz.00054", "path": "genres/jazz/jazz.00054.wav", "problem": "cannot be decoded",
                   "action": "skipped", "dataset": "music"}]).to_csv(data / "quality_report.csv", index=False)
    pd.DataFrame({"clip_id": music["clip_id"],
                  "split": ["train" if c.endswith("0") else "test" for c in music["clip_id"]]}
                 ).to_csv(data / "music_splits.csv", index=False)

    stft = {"sample_rate": 8000, "n_fft": 256, "hop_length": 64, "window": "sqrt_hann", "segment_frames": 100}
    test_features, danet_separation, clip_frames = {}, {}, {}
    music_paths = dict(zip(music["clip_id"], music["path"]))
    noise_paths = dict(zip(noise["clip_id"], noise["path"]))
    for variant, n_noises in VARIANTS.items():
        features = results / "features" / variant / "test.h5"
        features.parent.mkdir(parents=True)
        table = write_features(features, _plan(music, noise, n_noises), music_paths, noise_paths,
                               params=StftParams(**stft), attrs={"variant": variant, "split": "test"})
        test_features[variant] = features
        # The danet folder holds a real separation (ideal binary mask: no trained model needed here).
        danet_separation[variant] = results / "separation" / variant / "danet"
        separate_features(features, danet_separation[variant], Separator("oracle_ibm", stft, SeparationSettings()))
        for method in [m for m in METHODS if m != "clean_8khz"]:  # BSS Eval does not score it
            clip_frames[(variant, method)] = pd.DataFrame({
                "mix_id": table["mix_id"], "music_id": table["music_id"], "snr_db": table["snr_db"],
                **{c: rng.normal(5, 3, len(table)) for c in bss.CLIP_COLUMNS if c not in ("mix_id", "music_id", "snr_db")},
                "swapped": rng.random(len(table)) < 0.2, "silent_music": False, "silent_noise": False,
            })
    metrics = results / "metrics"
    metrics.mkdir(parents=True)
    bss.summarize(clip_frames).to_csv(metrics / "separation_summary.csv", index=False, float_format="%.6g")

    classification = results / "classification"
    test_music = music[music["clip_id"].str.endswith("1")]
    clean = _predictions(test_music["clip_id"], test_music["clip_id"], test_music["label"], np.nan, rng, 0.9)
    classification.mkdir(parents=True)
    clean.to_csv(classification / "clean.csv", index=False)
    predictions = {("clean", "clean"): classification / "clean.csv"}
    for variant in VARIANTS:
        with SegmentStore(test_features[variant]) as store:
            mixtures = store.mixtures()
        labels = mixtures["music_id"].str.split(".").str[0]
        (classification / variant).mkdir()
        for method in METHODS:
            path = classification / variant / f"{method}.csv"
            _predictions(mixtures["mix_id"], mixtures["music_id"], labels, mixtures["snr_db"], rng,
                         0.4 if method == "mixture" else 0.7).to_csv(path, index=False)
            predictions[(variant, method)] = path
    evaluate(predictions[("clean", "clean")], [p for k, p in predictions.items() if k[0] != "clean"],
             metrics / "classification_summary.csv", metrics / "confusion", metrics / "classification_accuracy_snr.png")

    models = results / "models"
    models.mkdir()
    histories = {}
    for model in ("danet", "danet_original"):
        for variant in VARIANTS:
            path = models / f"{model}_{variant}_history.csv"
            pd.DataFrame({"epoch": [1, 2, 3], "train_loss": [3.0, 2.0, 1.5], "valid_loss": [3.1, 2.2, 2.3],
                          "seconds": [10.0, 11.0, 10.5], "kmeans_attractors": [False, False, model == "danet_original"],
                          "best": [False, True, False]})[list(HISTORY_COLUMNS)].to_csv(path, index=False)
            histories[(model, variant)] = path
    classifier_histories = {}
    for name in CLASSIFIER_NAMES:
        classifier_histories[name] = models / f"music2vec_{name}_history.csv"
        pd.DataFrame({"epoch": [1, 2, 3], "train_loss": [2.2, 1.4, 1.0], "valid_loss": [2.1, 1.6, 1.5],
                      "valid_accuracy": [0.3, 0.5, 0.55], "seconds": [5.0, 5.0, 5.0]}).to_csv(
            classifier_histories[name], index=False)
    # A second classifier (multi-condition): its own predictions, every mixture right, scored the same way.
    other = results / "classification_multicondition" / "classification"
    other.mkdir(parents=True)
    clean.to_csv(other / "clean.csv", index=False)
    other_paths = []
    for (variant, method), path in predictions.items():
        if variant != "clean":
            frame = pd.read_csv(path)
            if method == "mixture":
                frame["predicted"] = frame["label"]
            other_paths.append(other / variant / f"{method}.csv")
            other_paths[-1].parent.mkdir(exist_ok=True)
            frame.to_csv(other_paths[-1], index=False)
    evaluate(other / "clean.csv", other_paths, metrics / "multicondition" / "summary.csv",
             metrics / "multicondition" / "confusion", metrics / "multicondition" / "accuracy_snr.png")
    classifier_summaries = {"clean": metrics / "classification_summary.csv",
                            "multicondition": metrics / "multicondition" / "summary.csv"}

    benchmarks = root / "benchmarks"
    for rel, seconds in [("data/manifest.tsv", 1.8), ("data/synth_music_blues.tsv", 3.0),
                         ("data/synth_music_metal.tsv", 4.0), ("features/noise1_test.tsv", 7.5),
                         ("danet/train_danet_original_noise1.tsv", 100.0), ("music2vec/classify_noise1_danet.tsv", 2.0)]:
        (benchmarks / rel).parent.mkdir(parents=True, exist_ok=True)
        (benchmarks / rel).write_text(f"s\th:m:s\tmax_rss\n{seconds}\t0:00:0{int(seconds) % 10}\t80.0\n")

    return ReportInputs(
        quality=data / "quality_report.csv", music_manifest=data / "music_manifest.csv",
        noise_manifest=data / "noise_manifest.csv", separation_summary=metrics / "separation_summary.csv",
        classification_summary=metrics / "classification_summary.csv", music_splits=data / "music_splits.csv",
        accuracy_plot=metrics / "classification_accuracy_snr.png", confusion_dir=metrics / "confusion",
        danet_histories=histories, classifier_histories=classifier_histories,
        classifier_summaries=classifier_summaries,
        test_features=test_features, danet_separation=danet_separation, predictions=predictions,
        benchmarks_dir=benchmarks, benchmark_patterns=BENCHMARK_PATTERNS,
    )


CONFIG = {"seed": 7, "datasets": {"music": {"source": "synthetic", "url": "http://example.invalid/genres.tar.gz"},
                                  "noise": {"source": "synthetic"}},
          "mixing": {"variants": VARIANTS, "snr_db": [0], "test_snr_db": SNRS},
          "music2vec": {"classifiers": [{"name": "clean", "training_conditions": ["clean"]},
                                        {"name": "multicondition", "training_conditions": ["clean", "mixture"]}]}}


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, ReportInputs]:
    root = tmp_path_factory.mktemp("report")
    inputs = build_inputs(root)
    out = write_report(inputs, root / "results" / "report.html",
                       ReportSettings(config=CONFIG, example_clips=2, audio_seconds=1.5, repo=root,
                                      variants=list(VARIANTS)))
    return out, inputs


# --------------------------------------------------------------------------- Chromium over the DevTools pipe


def _chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="session")
def chromium_binary() -> str:
    binary = _chromium_binary()
    if binary is None:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
            result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
            if result.returncode != 0:
                pytest.fail(f"installing Debian's chromium failed ({' '.join(command)}):\n{result.stderr[-2000:]}")
        binary = _chromium_binary()
    if binary is None:
        pytest.fail("chromium is not installed and apt-get did not provide it")
    return binary


def _high_fd(fd: int) -> int:
    """``fd`` moved to a number >= 10 (so it cannot collide with 3 and 4 in the child)."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


class DevTools:
    """Headless Chromium driven over ``--remote-debugging-pipe``: JSON messages ending in NUL,
    commands on the child's fd 3, replies and events on its fd 4."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_browser_r, to_browser_w = map(_high_fd, os.pipe())
        from_browser_r, from_browser_w = map(_high_fd, os.pipe())
        # bash moves the pipe ends to fds 3 and 4 (no preexec_fn: not safe with threads).
        wire = f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w} {to_browser_r}<&- {from_browser_w}>&-'
        self.log = profile.parent / "chromium.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                ["bash", "-c", wire, binary, *CHROMIUM_FLAGS, "--remote-debugging-pipe",
                 f"--user-data-dir={profile}", "--autoplay-policy=no-user-gesture-required", "--mute-audio",
                 "about:blank"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, pass_fds=(to_browser_r, from_browser_w),
            )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._out = os.fdopen(to_browser_w, "wb", buffering=0)
        self._in = os.fdopen(from_browser_r, "rb", buffering=0)
        self._next_id = 0
        self._replies: dict[int, queue.Queue] = {}
        self.events: list[dict] = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        buffer = b""
        while True:
            chunk = self._in.read(65536)
            if not chunk:
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    with self._lock:
                        box = self._replies.get(message["id"])
                    if box is not None:
                        box.put(message)
                else:
                    self.events.append(message)

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 60) -> dict:
        with self._lock:
            self._next_id += 1
            message_id = self._next_id
            box = self._replies[message_id] = queue.Queue()
        message = {"id": message_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._out.write(json.dumps(message).encode() + b"\0")
        try:
            reply = box.get(timeout=timeout)
        except queue.Empty:
            tail = self.log.read_text(errors="replace")[-2000:]
            raise TimeoutError(f"DevTools {method}: no reply in {timeout} s; chromium's log ends:\n{tail}") from None
        if "error" in reply:
            raise RuntimeError(f"DevTools {method}: {reply['error']}")
        return reply.get("result", {})

    def wait_event(self, method: str, session: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events:
                if event.get("method") == method and event.get("sessionId") == session:
                    return event
            time.sleep(0.05)
        raise TimeoutError(f"no {method} event in {timeout} s")

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=10)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self._out.close()


CHECK_PAGE = r"""
(async () => {
  const images = [...document.images].map(i => ({alt: i.alt, complete: i.complete, width: i.naturalWidth,
                                                 height: i.naturalHeight}));
  const elements = [...document.querySelectorAll('audio')];
  const loaded = await Promise.all(elements.map(a => new Promise(resolve => {
    const done = () => resolve({label: a.getAttribute('aria-label'), readyState: a.readyState,
                                duration: a.duration, error: a.error ? a.error.code : null,
                                canPlay: a.canPlayType('audio/wav')});
    if (a.readyState >= 1 || a.error) return done();
    a.addEventListener('loadedmetadata', done, {once: true});
    a.addEventListener('error', done, {once: true});
    a.load();
    setTimeout(done, 15000);
  })));
  const context = new OfflineAudioContext(1, 1, 8000);
  const decoded = await Promise.all(elements.map(async a => {
    try {
      const data = await (await fetch(a.currentSrc || a.src)).arrayBuffer();
      const buffer = await context.decodeAudioData(data);
      return {ok: true, seconds: buffer.duration};
    } catch (e) { return {ok: false, error: String(e)}; }
  }));
  const numeric = /^[−-]?\d+(\.\d+)?$/;
  const tables = [...document.querySelectorAll('table')].map(t => ({
    rows: t.querySelectorAll('tbody tr').length,
    numbers: [...t.querySelectorAll('td')].filter(td => numeric.test(td.textContent.trim())).length,
    headers: [...t.querySelectorAll('th')].map(th => th.textContent)}));
  return {title: document.title, images, audio: loaded, decoded, tables,
          height: document.documentElement.scrollHeight,
          sections: [...document.querySelectorAll('h2')].map(h => h.textContent)};
})()
"""


@pytest.fixture(scope="module")
def browser_check(report, chromium_binary, tmp_path_factory):
    """Load the report in headless Chromium; return what the page reports about itself."""
    out, _ = report
    work = tmp_path_factory.mktemp("chromium")
    devtools = DevTools(chromium_binary, work / "profile")
    try:
        target = devtools.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = devtools.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Page", "Network"):
            devtools.send(f"{domain}.enable", session=session)
        devtools.send("Emulation.setDeviceMetricsOverride",
                      {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=session)
        started = time.monotonic()
        devtools.send("Page.navigate", {"url": out.resolve().as_uri()}, session=session)
        devtools.wait_event("Page.loadEventFired", session, timeout=120)
        load_seconds = time.monotonic() - started
        result = devtools.send("Runtime.evaluate", {"expression": CHECK_PAGE, "awaitPromise": True,
                                                    "returnByValue": True}, session=session, timeout=120)
        if "exceptionDetails" in result:
            raise RuntimeError(f"page check failed: {result['exceptionDetails']}")
        page = result["result"]["value"]
        metrics = devtools.send("Page.getLayoutMetrics", session=session)
        size = metrics["cssContentSize"]
        shot = devtools.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 16000), "scale": 1},
        }, session=session, timeout=120)
        screenshot = work / "report.png"
        screenshot.write_bytes(base64.b64decode(shot["data"]))
        print(f"\nreport: {out} ({out.stat().st_size / 1e6:.2f} MB), loaded in {load_seconds:.1f} s; "
              f"screenshot: {screenshot}")
        events = list(devtools.events)
    finally:
        devtools.close()
    return {"page": page, "events": events, "screenshot": screenshot}


# --------------------------------------------------------------------------- tests


def test_report_loads_in_chromium_without_console_errors_or_outside_requests(browser_check):
    events = browser_check["events"]
    errors = [e["params"] for e in events if e.get("method") == "Runtime.exceptionThrown"]
    errors += [e["params"] for e in events
               if e.get("method") == "Runtime.consoleAPICalled" and e["params"].get("type") in ("error", "assert")]
    errors += [e["params"]["entry"] for e in events
               if e.get("method") == "Log.entryAdded" and e["params"]["entry"].get("level") == "error"]
    assert errors == []
    requested = [e["params"]["request"]["url"] for e in events if e.get("method") == "Network.requestWillBeSent"]
    assert requested, "the Network domain saw no request at all"
    outside = [u[:80] for u in requested if not u.startswith(("file://", "data:", "about:"))]
    assert outside == []
    assert browser_check["page"]["title"].startswith("danet-music2vec")


def test_every_image_decodes(browser_check):
    images = browser_check["page"]["images"]
    # accuracy plot, 1 + 2 x 7 confusion matrices, 2 variants x 2 example spectrograms, 3 training
    # figures (DANet, two classifiers)
    assert len(images) == 1 + 15 + 4 + 3
    bad = [i for i in images if not (i["complete"] and i["width"] > 0 and i["height"] > 0)]
    assert bad == []


def test_every_audio_player_has_a_playable_decodable_source(browser_check):
    page = browser_check["page"]
    assert len(page["audio"]) == 2 * 2 * 4  # variants x example clips x (mixture, denoised, noise, clean)
    for player, decoded in zip(page["audio"], page["decoded"]):
        assert player["error"] is None and player["canPlay"] in ("maybe", "probably"), player
        assert player["readyState"] >= 1 and player["duration"] == pytest.approx(1.5, abs=0.01), player
        assert decoded["ok"] and decoded["seconds"] == pytest.approx(1.5, abs=0.01), decoded


def test_tables_hold_numbers_and_every_section_is_there(browser_check):
    page = browser_check["page"]
    assert all(t["rows"] > 0 for t in page["tables"])
    by_header = {tuple(t["headers"][:3]): t for t in page["tables"]}
    separation = by_header[("variant", "method", "clips")]
    assert separation["rows"] == 12 and separation["numbers"] >= 12 * 10
    pooled, per_snr = [t for t in page["tables"] if "gap closed" in t["headers"] and "95 % CI" in t["headers"]]
    # clean + 2 variants x 7 conditions (6 methods and clean_8khz) pooled over the two SNRs; then
    # clean + one row per SNR; BSS Eval scores the 6 methods only (the separation table above)
    assert pooled["rows"] == 1 + 2 * 7 and pooled["numbers"] >= 15 * 6
    assert per_snr["rows"] == 1 + 2 * 7 * 2 and per_snr["numbers"] >= 29 * 6
    assert "gap closed (8 kHz clean)" in pooled["headers"]
    compared = next(t for t in page["tables"] if "trained on" in t["headers"])
    assert compared["rows"] == 2 * 2 * 2  # classifiers x variants x SNRs
    wall = next(t for t in page["tables"] if "seconds (sum)" in t["headers"])
    assert wall["rows"] == 6  # 5 rules + the total
    for title in ("Data", "Separation", "Genre classification", "Listen", "Training curves",
                  "Comparison with the original study", "Provenance", "Notes"):
        assert any(s.startswith(title) for s in page["sections"]), title
    assert Path(browser_check["screenshot"]).stat().st_size > 10_000


class _Resources(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.references: list[tuple[str, str, str]] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "poster", "data", "action", "formaction") and value is not None:
                self.references.append((tag, name, value))


def test_report_is_self_contained(report):
    out, _ = report
    text = out.read_text(encoding="utf-8")
    parser = _Resources()
    parser.feed(text)
    outside = [(t, n, v[:60]) for t, n, v in parser.references if not v.startswith(("data:", "#"))]
    assert outside == []
    assert not parser.tags & {"script", "link", "iframe", "object", "embed"}
    assert not re.search(r"url\(\s*['\"]?(?!data:)", text) and "@import" not in text
    # The one URL in the text is the config's download address, shown as text, never loaded.
    visible = re.findall(r"https?://[^\s<\"'&]+", text)
    assert visible == ["http://example.invalid/genres.tar.gz"]
    assert out.stat().st_size < 15 * 1024 * 1024


def test_report_states_provenance_comparison_and_wall_times(report):
    out, _ = report
    text = out.read_text(encoding="utf-8")
    assert "Measured on different data" in text
    for package in ("torch", "snakemake", "numpy", "librosa", "mir_eval", "scikit-learn"):
        assert f"<td>{package}</td>" in text
    assert "<td>git commit</td><td>unknown</td>" in text  # tmp folder: not a git repository
    assert "<td>seed</td><td>7</td>" in text
    assert "0.22" in text and "-0.78" in text  # the original study's figures
    assert "<td>train_danet</td>" in text and "<td>synth_music</td>" in text


def test_classifiers_are_compared_with_their_own_gap_closed(report):
    out, inputs = report
    summaries = {name: pd.read_csv(path) for name, path in inputs.classifier_summaries.items()}
    table = classifiers_table(summaries, {"clean": ["clean"], "multicondition": ["clean", "mixture"]}, list(VARIANTS))
    assert len(table) == 2 * 2 * 2 and set(table["SNR (dB)"]) == {"0", "-5"}
    for name, summary in summaries.items():
        row = table[(table["classifier"] == name) & (table["variant"] == "noise1") & (table["SNR (dB)"] == "0")].iloc[0]
        expected = summary[(summary["variant"] == "noise1") & (summary["snr_db"] == 0)].set_index("method")
        assert row["mixture"] == pytest.approx(expected.loc["mixture", "accuracy"])
        assert row["danet"] == pytest.approx(expected.loc["danet", "accuracy"])
        assert row["gap closed by danet"] == pytest.approx(expected.loc["danet", "gap_closed"], nan_ok=True)
        assert row["gap (points)"] == pytest.approx(100 * (row["clean"] - row["mixture"]))
    assert table["gap closed by danet"].notna().sum() >= 4
    multi = table[table["classifier"] == "multicondition"]
    assert (multi["trained on"] == "clean + mixture").all()
    # every mixture prediction of the multi-condition fixture is right; the headline's are not
    assert (multi["mixture"] == 1.0).all() and (table[table["classifier"] == "clean"]["mixture"] < 1.0).any()
    text = out.read_text(encoding="utf-8")
    assert "Classifiers compared" in text and "<td>multicondition</td>" in text


def test_an_ensembles_training_curves_plot_every_head():
    history = pd.DataFrame({"head": [0, 0, 1, 1], "epoch": [1, 2, 1, 2], "train_loss": [2.0, 1.0, 2.1, 1.2],
                            "valid_loss": [2.1, 1.5, 2.2, 1.4], "valid_accuracy": [0.3, 0.5, 0.2, 0.6]})
    one = plot_classifier_history(history[history["head"] == 0], "music2vec clean")
    both = plot_classifier_history(history, "music2vec clean")
    assert one.startswith(b"\x89PNG") and both.startswith(b"\x89PNG") and one != both


def test_missing_optional_inputs_become_notes_not_crashes(report, tmp_path):
    _, inputs = report
    missing = ReportInputs(**{**inputs.__dict__,
                              "classifier_histories": {"clean": tmp_path / "music2vec_clean_history.csv"},
                              "accuracy_plot": None, "confusion_dir": tmp_path / "nothing",
                              "danet_separation": {"noise1": tmp_path / "absent"},
                              "benchmarks_dir": tmp_path / "no-benchmarks"})
    text = render(missing, ReportSettings(config=CONFIG, example_clips=1, audio_seconds=1.0, repo=tmp_path,
                                          variants=list(VARIANTS)))
    assert "The training history of classifier clean is not available" in text
    assert str(tmp_path / "music2vec_clean_history.csv") in text
    assert "The accuracy-vs-SNR plot is not available" in text
    assert "Example audio of noise1" in text and "Example audio of noise2" in text
    assert "Benchmark files (wall times per rule) is not available" in text
    assert text.count("<audio") == 0


def test_missing_required_input_fails_naming_the_file(report, tmp_path):
    _, inputs = report
    absent = tmp_path / "classification_summary.csv"
    with pytest.raises(ReportInputError, match=re.escape(str(absent))):
        render(ReportInputs(**{**inputs.__dict__, "classification_summary": absent}), ReportSettings(config=CONFIG))
    broken = tmp_path / "separation_summary.csv"
    broken.write_text("variant,method\nnoise1,danet\n")
    with pytest.raises(ReportInputError, match="separation_summary.csv.*lacks columns"):
        render(ReportInputs(**{**inputs.__dict__, "separation_summary": broken}), ReportSettings(config=CONFIG))


def test_benchmark_files_are_summed_per_rule(tmp_path):
    assert rule_of_benchmark("/x/benchmarks/data/synth_music_jazz.tsv", BENCHMARK_PATTERNS) == "synth_music"
    assert rule_of_benchmark("benchmarks/danet/train_danet_original_noise2.tsv", BENCHMARK_PATTERNS) == "train_danet"
    assert rule_of_benchmark("benchmarks/other/thing.tsv", BENCHMARK_PATTERNS) == "other/thing"
    root = tmp_path / "benchmarks"
    (root / "data").mkdir(parents=True)
    for genre, seconds in (("jazz", "1.5"), ("rock", "2.5")):
        (root / "data" / f"synth_music_{genre}.tsv").write_text(f"s\th:m:s\n{seconds}\t0:00:01\n")
    (root / "data" / "manifest.tsv").write_text("s\th:m:s\n1.0\t0:00:01\n3.0\t0:00:03\n")  # two repeats: mean
    (root / "data" / "broken.tsv").write_text("no seconds here\n")
    table = wall_times(root, BENCHMARK_PATTERNS).set_index("rule")
    assert table.loc["synth_music", "jobs"] == 2 and table.loc["synth_music", "seconds (sum)"] == pytest.approx(4.0)
    assert table.loc["manifest", "seconds (sum)"] == pytest.approx(2.0)
    assert "data/broken" not in table.index
