"""results/report.html from a small but real set of inputs, checked in headless Chromium.

The inputs are written by the project's own code: wavs, a real feature file per variant
(``write_features``), real separation folders (``separate_features``), predictions tables
scored by ``classification.evaluate`` (summary, confusion matrices, plot), a separation
summary by ``bss.summarize``, training histories and Snakemake-style benchmark files.

The browser is Debian's ``chromium`` (installed with apt by a session fixture when missing),
driven by Playwright (``executable_path``: no browser of Playwright's own is downloaded): the
page must load without console errors or any non-inline request, every image must decode,
every audio element must load and decode, and the tables must hold numbers. A full-page
screenshot is saved and its path printed.
"""

from __future__ import annotations

import html.parser
import re
import time
from pathlib import Path

import archives
import chromium_page
import numpy as np
import pandas as pd
import pytest
import soundfile as sf

from danet_music2vec.data.features import SegmentStore, StftParams, write_features
from danet_music2vec.evaluation import bss
from danet_music2vec.evaluation.classification import evaluate
from danet_music2vec.inference.no_harm import FIT_FORMAT, apply_weights, read_curve, write_fit
from danet_music2vec.inference.observation_adding import MU_GRID, WeightCurve
from danet_music2vec.inference.separation import SeparationSettings, Separator, separate_features
from danet_music2vec.plots import plot_classifier_history, plot_no_harm_fit
from danet_music2vec.report import (
    ReportInputError, ReportInputs, ReportSettings, classifiers_table, fmt, render, rule_of_benchmark, wall_times,
    write_report,
)
from danet_music2vec.training.danet import HISTORY_COLUMNS

GENRES = ["blues", "classical", "metal"]
VARIANTS = {"noise1": 1, "noise2": 2}
METHODS = ["mixture", "clean_8khz", "oracle_ibm", "oracle_irm", "noisereduce", "danet_original", "danet"]
CLASSIFIERS = {"clean": ["clean"], "multicondition": ["clean", "mixture"]}  # name -> training conditions
CLASSIFIER_NAMES = list(CLASSIFIERS)
SNRS = [0.0, -5.0]
# Playwright adds --headless and --remote-debugging-pipe itself.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                  "--autoplay-policy=no-user-gesture-required", "--mute-audio"]
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


# The no-harm outputs of danet (rules/no_harm.smk): method -> the curve kind of its fit.
NO_HARM_OUTPUTS = {"danet_oa": "logistic", "danet_al": "constant"}


def _write_no_harm(results: Path, variant: str, features: Path, danet: Path) -> tuple[tuple[Path, Path, Path],
                                                                                     dict[tuple[str, str], Path]]:
    """danet's no-harm fit of one variant, in the files fit_no_harm.py writes (the fit, its
    validation scores, its plot; the values made up, the format the stage's), and the no-harm
    outputs of the test mixtures made from it by ``apply_weights``."""
    blind = pd.read_csv(danet / "index.csv")
    curves = {"logistic": WeightCurve("logistic", centre_db=float(blind["blind_snr_db"].median()), width_db=3.0),
              "constant": WeightCurve("constant", constant=0.1)}
    fit = {"format": FIT_FORMAT, "grid": list(MU_GRID), "clips": 12, "calibration_snrs": SNRS,
           "curves": {kind: {"curve": curve.as_dict(), "log_likelihood": -0.8 - 0.1 * k}
                      for k, (kind, curve) in enumerate(curves.items())}}
    rows = []
    for snr in [np.nan, *SNRS]:
        for k, output in enumerate(["raw", "mixture", *curves]):
            rows.append({"snr_db": snr, "output": output, "clips": 12 if np.isnan(snr) else 6,
                         "accuracy": 0.5 + 0.1 * k, "log_likelihood": -1.0 + 0.1 * k,
                         "mean_weight": {"raw": 0.0, "mixture": 1.0, "logistic": 0.4, "constant": 0.1}[output],
                         "nsdr": np.nan if output == "mixture" else 2.0 + k})
    scores = pd.DataFrame(rows)
    fits = results / "no_harm" / "fits" / variant
    fits.mkdir(parents=True)
    paths = (fits / "danet.json", fits / "danet_scores.csv", fits / "danet.png")
    write_fit(fit, scores, paths[0], paths[1])
    plot_no_harm_fit(fit, scores, blind["blind_snr_db"], blind["snr_db"], f"{variant}: danet", paths[2])
    outputs = {}
    for method, kind in NO_HARM_OUTPUTS.items():
        outputs[(variant, method)] = results / "separation" / variant / method
        apply_weights(danet, features, read_curve(paths[0], kind), outputs[(variant, method)])
    return paths, outputs


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
    test_features, danet_separation, clip_frames, no_harm_fits, no_harm_outputs = {}, {}, {}, {}, {}
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
        no_harm_fits[(variant, "danet")], outputs = _write_no_harm(results, variant, features, danet_separation[variant])
        no_harm_outputs.update(outputs)
        # Test clips of seen and of held-out (unseen) noise classes, as plan_mixtures marks them.
        noise_classes = np.where(table["music_id"].str.startswith("metal"), "unseen", "seen")
        for method in [m for m in METHODS if m != "clean_8khz"]:  # BSS Eval does not score it
            clip_frames[(variant, method)] = pd.DataFrame({
                "mix_id": table["mix_id"], "music_id": table["music_id"], "snr_db": table["snr_db"],
                "noise_classes": noise_classes,
                **{c: rng.normal(5, 3, len(table)) for c in bss.CLIP_COLUMNS
                   if c not in ("mix_id", "music_id", "snr_db", "noise_classes")},
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
        no_harm_fits=no_harm_fits, no_harm_outputs=no_harm_outputs,
        benchmarks_dir=benchmarks, benchmark_patterns=BENCHMARK_PATTERNS,
    )


# The config sections the page prints (the workflow passes all but resources).
CONFIG_SHOWN = {"seed": 7,
                "datasets": {"music": {"source": "synthetic", "url": "http://example.invalid/genres.tar.gz"},
                             "noise": {"source": "synthetic"}},
                "mixing": {"variants": VARIANTS, "snr_db": [0], "test_snr_db": SNRS},
                "music2vec": {"classifiers": [{"name": name, "training_conditions": conditions}
                                              for name, conditions in CLASSIFIERS.items()]}}


def settings(**changes) -> ReportSettings:
    """The report's settings for these inputs (what rules/report.smk passes from the config)."""
    return ReportSettings(**{"variants": VARIANTS, "classifiers": CLASSIFIERS, "music_source": "synthetic",
                             "noise_source": "synthetic", "seed": 7, "config_shown": CONFIG_SHOWN,
                             "example_clips": 2, "audio_seconds": 1.5, **changes})


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, ReportInputs]:
    root = tmp_path_factory.mktemp("report")
    inputs = build_inputs(root)
    out = write_report(inputs, root / "results" / "report.html", settings(repo=root))
    return out, inputs


# --------------------------------------------------------------------------- Chromium through Playwright


@pytest.fixture(scope="session")
def chromium_binary() -> str:
    return chromium_page.chromium_binary()


# What the page says about itself, run in the page once it has loaded.
CHECK_PAGE = r"""
async () => {
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
}
"""


@pytest.fixture(scope="module")
def browser_check(report, chromium_binary, tmp_path_factory):
    """Load the report in headless Chromium; return what the page reports about itself, its
    errors (uncaught exceptions, console errors, the browser's error log entries) and requests."""
    from playwright.sync_api import sync_playwright

    out, _ = report
    work = tmp_path_factory.mktemp("chromium")
    errors, requests, outside = [], [], []

    def refuse(route):  # nothing may leave the machine; record and abort what tries to
        outside.append(route.request.url)
        route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_binary, args=CHROMIUM_FLAGS, headless=True,
                                             timeout=120_000)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
            page = context.new_page()
            page.set_default_timeout(120_000)
            page.on("pageerror", lambda error: errors.append(f"exception: {error}"))
            page.on("console", lambda message: errors.append(f"console.{message.type}: {message.text}")
                    if message.type in ("error", "assert") else None)
            page.on("request", lambda request: requests.append(request.url))
            page.on("requestfailed", lambda request: errors.append(f"request failed: {request.url[:80]} "
                                                                    f"({request.failure})"))
            page.route(re.compile(r"^(?!file:|data:|about:)"), refuse)
            log = context.new_cdp_session(page)  # the browser's own log (blocked loads, CSP, ...)
            log.on("Log.entryAdded", lambda event: errors.append(f"log: {event['entry']}")
                   if event["entry"].get("level") == "error" else None)
            log.send("Log.enable")
            started = time.monotonic()
            page.goto(out.resolve().as_uri(), wait_until="load")
            load_seconds = time.monotonic() - started
            checked = page.evaluate(CHECK_PAGE)
            size = page.evaluate("({width: document.documentElement.scrollWidth, "
                                 "height: document.documentElement.scrollHeight})")
            screenshot = work / "report.png"
            page.screenshot(path=screenshot, full_page=True,
                            clip={"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 16000)})
            print(f"\nreport: {out} ({out.stat().st_size / 1e6:.2f} MB), loaded in {load_seconds:.1f} s in "
                  f"Chromium {browser.version}; screenshot: {screenshot}")
        finally:
            browser.close()
    return {"page": checked, "errors": errors, "requests": requests, "outside": outside, "screenshot": screenshot}


# --------------------------------------------------------------------------- tests


def test_report_loads_in_chromium_without_console_errors_or_outside_requests(browser_check):
    assert browser_check["errors"] == []
    requested = browser_check["requests"]
    assert requested, "the page made no request at all (not even its own file)"
    assert [u[:80] for u in requested if not u.startswith(("file://", "data:", "about:"))] == []
    assert browser_check["outside"] == []
    assert browser_check["page"]["title"].startswith("danet-music2vec")


def test_every_image_decodes(browser_check):
    images = browser_check["page"]["images"]
    # accuracy plot, 1 + 2 x 7 confusion matrices, 2 variants x 2 example spectrograms, 3 training
    # figures (DANet, two classifiers), 2 variants x danet's no-harm fit
    assert len(images) == 1 + 15 + 4 + 3 + 2
    assert [i["alt"] for i in images if i["alt"].startswith("no-harm fit")] == [
        "no-harm fit noise1 danet", "no-harm fit noise2 danet"]
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
    separations = [t for t in page["tables"]
                   if t["headers"][:4] == ["variant", "method", "SNR (dB)", "clips"] and "GNSDR mean" in t["headers"]]
    assert len(separations) == 2  # pooled over the test SNRs, then per SNR
    pooled_separation, per_snr_separation = separations
    # 2 variants x 6 methods, all noise classes; then each at the two test SNRs
    assert pooled_separation["rows"] == 12 and pooled_separation["numbers"] >= 12 * 10
    assert per_snr_separation["rows"] == 12 * 2 and per_snr_separation["numbers"] >= 24 * 10
    classes = next(t for t in page["tables"] if "unseen GNSDR" in t["headers"])
    # 2 variants x (pooled and 2 SNRs) x 4 methods (danet, danet_original, noisereduce, oracle_irm)
    assert classes["rows"] == 2 * 3 * 4 and classes["numbers"] >= 24 * 6
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
    # The no-harm section: 2 variants x danet's two fitted curves; the weights of 2 variants x 2
    # no-harm outputs at each of the 2 SNRs; danet against the mixture, 2 variants x 2 SNRs.
    fits = [t for t in page["tables"] if "valid log-lik: fitted" in t["headers"]]
    assert len(fits) == 1 and fits[0]["rows"] == 2 * 2 and fits[0]["numbers"] >= 4 * 8
    weights = [t for t in page["tables"] if "mean mu" in t["headers"]]
    assert len(weights) == 1 and weights[0]["rows"] == 2 * 2 * 2 and weights[0]["numbers"] >= 8 * 6
    check = [t for t in page["tables"] if "verdict" in t["headers"]]
    assert len(check) == 1 and check[0]["rows"] == 2 * 2
    for title in ("Data", "Separation", "Genre classification", "No harm", "Listen", "Training curves",
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


class _Tables(html.parser.HTMLParser):
    """Every table of a page as its headers, cell texts and highlighted rows, with the last
    heading (h2 to h4) before it; and the items of the Notes section's list."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self.notes: list[str] = []
        self._heading: str | None = None
        self._text: list[str] | None = None
        self._in: str | None = None  # the open heading, cell or notes item
        self._section = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("h2", "h3", "h4", "th", "td") or (tag == "li" and self._section == "notes"):
            self._in, self._text = tag, []
        if tag == "h2":
            self._section = attrs.get("id", "")
        if tag == "table":
            self.tables.append({"heading": self._heading, "headers": [], "rows": [], "highlighted": []})
        if tag == "tr" and self.tables:
            self.tables[-1]["highlighted"].append(attrs.get("class") == "hl")
            self.tables[-1]["rows"].append([])

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag != self._in:
            return
        text = "".join(self._text).strip()
        if tag in ("h2", "h3", "h4"):
            self._heading = text
        elif tag == "th":
            self.tables[-1]["headers"].append(text)
        elif tag == "td":
            self.tables[-1]["rows"][-1].append(text)
        else:
            self.notes.append(text)
        self._in, self._text = None, None

    def table(self, heading: str) -> dict:
        """The one table under ``heading``, its header row left out of rows and highlights."""
        found = [t for t in self.tables if t["heading"] == heading]
        assert len(found) == 1, f"{len(found)} tables under {heading!r}"
        return {**found[0], "rows": found[0]["rows"][1:], "highlighted": found[0]["highlighted"][1:]}


def page_tables(text: str) -> _Tables:
    parser = _Tables()
    parser.feed(text)
    return parser


def test_report_states_provenance_comparison_and_wall_times(report):
    out, _ = report
    text = out.read_text(encoding="utf-8")
    assert "Measured on different data" in text
    tables = page_tables(text)
    facts = dict(tables.table("Provenance and configuration")["rows"])
    for package in ("torch", "snakemake", "numpy", "librosa", "mir_eval", "scikit-learn"):
        assert re.fullmatch(r"\d+\.\d+.*", facts[package]), (package, facts[package])
    assert facts["git commit"] == "unknown"  # tmp folder: not a git repository
    assert facts["seed"] == "7"
    compared = tables.table("Classification")  # the original study's figures beside ours
    assert compared["rows"][0][:4] == ["accuracy, 1 noise", "0.58", "0.38", "0.22"]
    separation = tables.table("Separation")
    assert separation["rows"][0][:2] == ["GNSDR (dB), 1 noise", "-0.78"]
    wall = {row[0]: row[1:] for row in tables.table("Wall time per rule")["rows"]}
    assert wall["train_danet"] == ["1", "100.0", "100.0"] and wall["synth_music"] == ["2", "7.0", "4.0"]
    assert wall["all rules"] == ["6", "118.3", "100.0"]


def test_classifiers_are_compared_with_their_own_gap_closed(report):
    out, inputs = report
    summaries = {name: pd.read_csv(path) for name, path in inputs.classifier_summaries.items()}
    table = classifiers_table(summaries, CLASSIFIERS, list(VARIANTS))
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
    # The page shows that same table, cell for cell, the headline classifier's rows highlighted.
    shown = page_tables(out.read_text(encoding="utf-8")).table("Classifiers compared")
    assert shown["headers"] == list(table.columns)
    assert shown["rows"] == [[fmt(v) for v in row] for row in table.itertuples(index=False)]
    assert shown["highlighted"] == list(table["classifier"] == "clean")


def test_the_no_harm_section_shows_each_fit_and_the_weights_it_gave_the_test_clips(report):
    out, inputs = report
    tables = page_tables(out.read_text(encoding="utf-8"))
    fits = tables.table("Fitted weights and their validation scores")
    assert fits["headers"][:5] == ["variant", "base", "curve", "fitted", "clips"]
    for variant in VARIANTS:
        fit_path, scores_path, _ = inputs.no_harm_fits[(variant, "danet")]
        logistic = read_curve(fit_path, "logistic")
        rows = {row[2]: row for row in fits["rows"] if row[0] == variant}
        assert sorted(rows) == ["constant", "logistic"] and all(r[1] == "danet" and r[4] == "12" for r in rows.values())
        assert rows["logistic"][3] == f"logistic, centre {logistic.centre_db:g} dB, width 3 dB"
        assert rows["constant"][3] == "constant mu 0.100 (attenuation limit 20 dB)"
        pooled = pd.read_csv(scores_path).query("snr_db != snr_db").set_index("output")  # the pooled rows
        shown = dict(zip(fits["headers"], rows["logistic"]))
        assert shown["valid accuracy: raw"] == fmt(pooled.loc["raw", "accuracy"])
        assert shown["valid accuracy: fitted"] == fmt(pooled.loc["logistic", "accuracy"])
        assert shown["valid NSDR: fitted"] == fmt(pooled.loc["logistic", "nsdr"])
    weights = tables.table("Weight of the mixture (μ) on the test clips, per SNR")
    assert len(weights["rows"]) == len(VARIANTS) * len(NO_HARM_OUTPUTS) * len(SNRS)
    for row in weights["rows"]:
        shown = dict(zip(weights["headers"], row))
        index = pd.read_csv(inputs.no_harm_outputs[(shown["variant"], shown["method"])] / "index.csv")
        at = index[index["snr_db"] == float(shown["SNR (dB)"])]
        assert shown["clips"] == str(len(at)) == "3"
        assert [shown["mean mu"], shown["min mu"], shown["max mu"]] == [
            fmt(at["mix_weight"].mean()), fmt(at["mix_weight"].min()), fmt(at["mix_weight"].max())]
        if shown["method"] == "danet_al":  # the attenuation limit: one weight for every clip
            assert shown["mean mu"] == shown["min mu"] == shown["max mu"] == "0.10"
    # the curve centred at the median blind SNR gives the test clips weights that differ
    assert len({row[weights["headers"].index("mean mu")] for row in weights["rows"] if row[1] == "danet_oa"}) > 1


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
    text = render(missing, settings(example_clips=1, audio_seconds=1.0, repo=tmp_path))
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
        render(ReportInputs(**{**inputs.__dict__, "classification_summary": absent}), settings(example_clips=0))
    broken = tmp_path / "separation_summary.csv"
    broken.write_text("variant,method\nnoise1,danet\n")
    with pytest.raises(ReportInputError, match="separation_summary.csv.*lacks columns"):
        render(ReportInputs(**{**inputs.__dict__, "separation_summary": broken}), settings(example_clips=0))


def test_benchmark_files_are_summed_per_rule(tmp_path):
    assert rule_of_benchmark("/x/benchmarks/data/synth_music_jazz.tsv", BENCHMARK_PATTERNS) == "synth_music"
    assert rule_of_benchmark("benchmarks/danet/train_danet_original_noise2.tsv", BENCHMARK_PATTERNS) == "train_danet"
    assert rule_of_benchmark("benchmarks/other/thing.tsv", BENCHMARK_PATTERNS) == "other/thing"
    root = tmp_path / "benchmarks"
    (root / "data").mkdir(parents=True)
    for genre, seconds in (("jazz", "1.5"), ("rock", "2.5")):
        (root / "data" / f"synth_music_{genre}.tsv").write_text(f"s\th:m:s\n{seconds}\t0:00:01\n")
    (root / "data" / "manifest.tsv").write_text("s\th:m:s\n1.0\t0:00:01\n3.0\t0:00:03\n")  # two repeats: mean
    # Half-written or foreign files: skipped, each with its reason.
    broken = {"broken.tsv": ("no seconds here\n", "no 's' (seconds) column"),
              "empty.tsv": ("", "the file is empty"),
              "ragged.tsv": ("s\th:m:s\n1.0\n2.0\t0:00:02\t9\t9\n", "not a tab-separated table"),
              "words.tsv": ("s\th:m:s\nlong\t0:00:01\n", "seconds are not numbers"),
              "blank.tsv": ("s\th:m:s\n\t0:00:01\n", "holds no seconds")}
    for name, (content, _) in broken.items():
        (root / "data" / name).write_text(content)
    table, skipped = wall_times(root, BENCHMARK_PATTERNS)
    table = table.set_index("rule")
    assert table.loc["synth_music", "jobs"] == 2 and table.loc["synth_music", "seconds (sum)"] == pytest.approx(4.0)
    assert table.loc["manifest", "seconds (sum)"] == pytest.approx(2.0)
    assert set(table.index) == {"synth_music", "manifest"}
    reasons = {s.path.name: s.reason for s in skipped}
    assert reasons.keys() == broken.keys()
    for name, (_, reason) in broken.items():
        assert reason in reasons[name], (name, reasons[name])
    assert all(s.path.parent == root / "data" for s in skipped)


def test_skipped_benchmark_files_are_named_in_the_notes(report, tmp_path):
    _, inputs = report
    root = tmp_path / "benchmarks"
    (root / "data").mkdir(parents=True)
    (root / "data" / "manifest.tsv").write_text("s\th:m:s\n1.0\t0:00:01\n")
    (root / "data" / "synth_music_blues.tsv").write_text("s\th:m")  # a half-written file
    text = render(ReportInputs(**{**inputs.__dict__, "benchmarks_dir": root}), settings(example_clips=0))
    tables = page_tables(text)
    assert tables.table("Wall time per rule")["rows"] == [["manifest", "1", "1.0", "1.0"], ["all rules", "1", "1.0", "1.0"]]
    assert [n for n in tables.notes if n.startswith("Benchmark file")] == [
        (f"Benchmark file {root / 'data' / 'synth_music_blues.tsv'} was skipped: it holds no seconds "
         "(no data row, or an empty value).")]


def test_the_page_prints_the_config_sections_it_is_given(report, tmp_path):
    _, inputs = report
    shown = {"seed": 7, "stft": {"n_fft": 256}}
    text = render(inputs, settings(example_clips=0, config_shown=shown, config_caption="what this run was told"))
    assert "<details open><summary>what this run was told</summary><pre>seed: 7\nstft: {n_fft: 256}\n</pre>" in text


def test_separation_tables_pool_then_split_by_snr_and_by_seen_and_unseen_classes(report):
    from danet_music2vec.report import tables as report_tables

    out, inputs = report
    summary = pd.read_csv(inputs.separation_summary)
    variants = list(VARIANTS)
    table = report_tables.separation_table(summary, variants)
    # all noise classes only: 2 variants x 6 methods x (pooled + 2 SNRs)
    assert len(table) == 2 * 6 * 3 and set(table["SNR (dB)"]) == {"all", "0", "-5"}
    pooled, per_snr = report_tables.split_by_snr(table)
    assert (pooled["SNR (dB)"] == "all").all() and len(pooled) == 12 and len(per_snr) == 24
    everything = summary[summary["noise_classes"] == "all"]
    for _, row in per_snr.iterrows():  # the IRM share is against the IRM at the same SNR
        snr = float(row["SNR (dB)"])
        at = everything[(everything["variant"] == row["variant"]) & (everything["snr_db"] == snr)].set_index("method")
        irm = at.loc["oracle_irm", "gnsdr_mean"]
        assert row["GNSDR mean"] == pytest.approx(at.loc[row["method"], "gnsdr_mean"])
        if irm > 0:
            assert row["% of oracle IRM GNSDR"] == pytest.approx(100 * row["GNSDR mean"] / irm)
    # The headline's GNSDR is danet's pooled row over all noise classes.
    headline = report_tables.headline_table(pd.read_csv(inputs.classification_summary), summary, variants)
    for variant in variants:
        expected = everything[(everything["variant"] == variant) & (everything["method"] == "danet")
                              & everything["snr_db"].isna()]["gnsdr_mean"].item()
        assert headline.set_index("variant").loc[variant, "danet GNSDR (dB)"] == pytest.approx(expected)
    classes = report_tables.noise_classes_table(summary, variants)
    assert len(classes) == 2 * 3 * 4
    row = classes[(classes["variant"] == "noise2") & (classes["SNR (dB)"] == "-5") & (classes["method"] == "danet")]
    row = row.iloc[0]
    unseen = summary[(summary["variant"] == "noise2") & (summary["snr_db"] == -5) & (summary["noise_classes"] == "unseen")]
    unseen = unseen.set_index("method")
    assert row["unseen GNSDR"] == pytest.approx(unseen.loc["danet", "gnsdr_mean"])
    assert row["unseen clips"] == unseen.loc["danet", "n_clips"] == 1  # the metal clip at -5 dB
    irm = unseen.loc["oracle_irm", "gnsdr_mean"]
    if irm > 0:
        assert row["unseen: % of IRM"] == pytest.approx(100 * row["unseen GNSDR"] / irm)
    else:
        assert np.isnan(row["unseen: % of IRM"])
    # A summary without seen and unseen rows has no such table, and the page then leaves it out.
    assert report_tables.noise_classes_table(summary[summary["noise_classes"] == "all"], variants).empty
    text = out.read_text(encoding="utf-8")
    assert "Noise classes seen and unseen in training" in text and "Per test SNR" in text


def test_the_headline_choice_table_scores_every_classifier_on_validation_and_marks_the_configured_pair():
    from danet_music2vec.report.tables import HEADLINE_MARK, MEAN_OVER_VARIANTS, headline_choice_table

    def scores(offset):
        return [{"snr_db": None, "output": name, "clips": 24, "accuracy": 0.5 + offset + step,
                 "log_likelihood": -1.5 + offset + step, "mean_weight": weight}
                for name, step, weight in (("raw", 0.0, 0.0), ("mixture", -0.1, 1.0), ("fusion", 0.05, 0.3))]

    fusions = {(variant, "danet_fusion", classifier): {"curve": {}, "log_likelihood": -1.0, "clips": 24,
                                                        "scores": scores(offset + (0.1 if classifier == "clean" else 0))}
               for variant, offset in (("noise1", 0.0), ("noise2", 0.02)) for classifier in ("denoised", "clean")}
    no_harm = {(variant, "danet"): ({}, pd.DataFrame([
        {"snr_db": np.nan, "output": "logistic", "clips": 24, "accuracy": 0.4, "log_likelihood": -1.6},
        {"snr_db": np.nan, "output": "constant", "clips": 24, "accuracy": 0.3, "log_likelihood": -1.7},
        {"snr_db": 0.0, "output": "logistic", "clips": 8, "accuracy": 0.9, "log_likelihood": -0.1}]))
        for variant in ("noise1", "noise2")}
    table = headline_choice_table(fusions, no_harm, ["denoised", "clean"], ["noise1", "noise2"], "danet_fusion")
    rows = {(r["classifier"], r["variant"], r["output"]): r for _, r in table.iterrows()}
    # the no-harm outputs are scored for the headline classifier only (it fitted them), pooled rows only
    assert rows[("denoised", "noise1", "danet_oa")]["valid accuracy"] == 0.4
    assert rows[("denoised", "noise1", "danet_al")]["valid log-lik"] == -1.7
    assert ("clean", "noise1", "danet_oa") not in rows
    assert rows[("clean", "noise2", "danet_fusion")]["valid accuracy"] == pytest.approx(0.5 + 0.12 + 0.05)
    assert rows[("denoised", "noise1", "mixture")]["valid log-lik"] == pytest.approx(-1.6)
    mean = rows[("denoised", MEAN_OVER_VARIANTS, "danet")]
    assert mean["valid accuracy"] == pytest.approx(0.51) and mean["clips"] == 48
    marked = table[table["headline"] == HEADLINE_MARK]
    assert set(marked["classifier"]) == {"denoised"} and set(marked["output"]) == {"danet_fusion"}
    assert len(marked) == 3  # both variants and their mean
