"""Which DANet training recipe generalises to noise classes it never heard: seen- and unseen-class
blind GNSDR on the validation mixtures (0 dB) and on the calibration set (the validation music and
noise at the calibration SNRs), per recipe, with the IRM beside them, and each recipe's paired
difference to ``baseline`` on the same clips.

After a default run (its feature files hold validation mixtures of seen classes and of the
classes held out for validation, splits.recommended.noise_heldout_valid):

    .venv/bin/python bench/bench_noise_generalisation.py --results /tmp/default-run/results \\
        --variant noise1 --recipes baseline eq gain mix all wide --processes 2

Each recipe is the config's ``danet`` setup with some training settings changed; it trains on the
run's training features (the same seed), separates the validation and calibration mixtures blind
and scores them with BSS Eval (fast_bss_eval). Nothing of the test split is read.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd
import yaml

REPO = Path(__file__).resolve().parent.parent

RECIPES = {
    "baseline": {},
    "eq": {"noise_eq_db": 6.0},
    "gain": {"noise_gain_curve_db": 6.0},
    "mix": {"noise_mix_share": 0.5},
    "all": {"noise_eq_db": 6.0, "noise_gain_curve_db": 6.0, "noise_mix_share": 0.5},
    "wide": {"remix_gain_db": 10.0},
    "epochs8": {"max_epochs": 8},
    "stretch": {"noise_stretch": 0.3},
    "pitch": {"noise_pitch": 0.2},
    "stretch_pitch": {"noise_stretch": 0.3, "noise_pitch": 0.2},
    "dropout": {"model": {"dropout": 0.3}},
}
SCORED_FILES = ("valid", "calibration")


def default_settings(extra: dict) -> dict:
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    danet = config["danet"]
    setup = danet["setups"]["danet"]
    model = {**danet["model"], "n_bins": config["stft"]["n_fft"] // 2 + 1, **extra.get("model", {})}
    return {**danet["training"], "target": setup["target"], "kmeans_epochs": setup["kmeans_epochs"],
            "shared_attractor_weight": setup["shared_attractor_weight"], "threshold_db": danet["threshold_db"],
            "seed": config["seed"], **extra, "model": model}, config


def run_recipe(args: tuple) -> list[dict]:
    name, results, variant, work = args
    import torch

    from danet_music2vec.data.features import SegmentStore
    from danet_music2vec.evaluation.bss import clip_metrics
    from danet_music2vec.inference.separation import SeparationSettings, Separator
    from danet_music2vec.inference.settings import settings_from_config
    from danet_music2vec.models.danet import load_danet
    from danet_music2vec.seeding import clip_seed
    from danet_music2vec.training.danet import TrainSettings, train_danet

    torch.set_num_threads(1)
    values, config = default_settings(RECIPES[name])
    features = Path(results) / "features" / variant
    out = Path(work) / name
    history = train_danet(features / "train.h5", features / "valid.h5", TrainSettings.from_dict(values),
                          model_out=out.with_suffix(".pt"), history_out=out.with_suffix(".csv"),
                          checkpoint=out.with_suffix(".ckpt"), threads=1)
    model = load_danet(out.with_suffix(".pt"))
    stft = config["stft"]
    settings = SeparationSettings(**settings_from_config(config, "danet"))
    separators = {"danet": Separator("danet", stft, settings, model), "oracle_irm": Separator("oracle_irm", stft, settings)}
    valid_loss = float(history["valid_loss"].min())
    rows = []
    for scored in SCORED_FILES:  # the validation mixtures (0 dB) and the calibration set (-10..10 dB)
        with SegmentStore(features / f"{scored}.h5") as store:
            for i, row in store.mixtures().iterrows():
                waves = store.waveforms(i)
                for method, separator in separators.items():
                    music, noise = separator(waves["mixture"], waves["music"], waves["noise"],
                                             clip_seed=clip_seed(config["seed"], row["mix_id"]))
                    metrics = clip_metrics(waves["music"], waves["noise"], music, noise, waves["mixture"],
                                           "fast_bss_eval")
                    rows.append({"recipe": name, "file": scored, "snr_db": row["snr_db"], "method": method,
                                 "mix_id": row["mix_id"], "noise_classes": row.get("noise_classes", "seen"),
                                 "nsdr": metrics["nsdr"], "valid_loss": valid_loss})
    return rows


def paired_differences(clips: pd.DataFrame) -> pd.DataFrame:
    """Per recipe and class group, danet's NSDR minus the baseline's on the same clips."""
    danet = clips[clips["method"] == "danet"].pivot_table(
        index=["file", "mix_id", "noise_classes"], columns="recipe", values="nsdr")
    rows = []
    for recipe in danet.columns.drop("baseline"):
        for group, part in danet.groupby(level="noise_classes"):
            difference = part[recipe] - part["baseline"]
            rows.append({"recipe": recipe, "noise_classes": group, "clips": len(difference),
                         "difference": difference.mean(),
                         "interval": 1.96 * difference.std(ddof=1) / len(difference) ** 0.5})
    return pd.DataFrame(rows).set_index(["recipe", "noise_classes"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, required=True)
    parser.add_argument("--variant", default="noise1")
    parser.add_argument("--recipes", nargs="+", default=["baseline", "all"], choices=list(RECIPES))
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None, help="write the per-clip table here (CSV)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-noise-") as work:
        jobs = [(name, str(args.results.resolve()), args.variant, work) for name in args.recipes]
        with ProcessPoolExecutor(max_workers=args.processes) as pool:
            rows = [row for part in pool.map(run_recipe, jobs) for row in part]
    clips = pd.DataFrame(rows)
    if args.out:
        clips.to_csv(args.out, index=False)
    groups = clips.groupby(["recipe", "file", "noise_classes", "method"])["nsdr"]
    summary = groups.agg(["mean", "count"]).unstack("method")
    share = 100 * summary[("mean", "danet")] / summary[("mean", "oracle_irm")]
    table = pd.DataFrame({"clips": summary[("count", "danet")], "danet GNSDR": summary[("mean", "danet")],
                          "IRM GNSDR": summary[("mean", "oracle_irm")], "% of IRM": share})
    print(f"variant {args.variant}, validation and calibration mixtures; best validation loss per recipe:")
    print(clips.groupby("recipe")["valid_loss"].first().round(5).to_string())
    print(table.round(2).to_string())
    if "baseline" in args.recipes:
        print("paired difference to baseline, both files, dB (mean +- 1.96 standard errors):")
        print(paired_differences(clips).round(2).to_string())
    print(json.dumps({"recipes": {k: RECIPES[k] for k in args.recipes}}))


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    main()
