"""Every figure of the pipeline: training curves, confusion matrices, accuracy against SNR,
spectrograms. Files are written atomically as PNG; the report embeds the PNG bytes."""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .fileio import atomic_path
from .methods import CLEAN, MIXTURE


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_png(fig, path: str | os.PathLike, dpi: int = 100) -> None:
    """Write ``fig`` as PNG to ``path`` atomically and close it."""
    plt = _pyplot()
    try:
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format="png", dpi=dpi)
    finally:
        plt.close(fig)


def plot_danet_history(history: pd.DataFrame, title: str, out: str | os.PathLike) -> None:
    """Training and validation loss per epoch, the kept epoch marked."""
    plt = _pyplot()

    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(history["epoch"], history["train_loss"], marker="o", label="train")
    ax.plot(history["epoch"], history["valid_loss"], marker="o", label="validation")
    best = history.loc[history["valid_loss"].idxmin()]
    ax.axvline(best["epoch"], color="grey", linestyle=":", label=f"kept (epoch {int(best['epoch'])})")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_yscale("log")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    save_png(fig, out)


def plot_music2vec_history(history: pd.DataFrame, title: str, out: str | os.PathLike) -> None:
    """Training and validation loss and validation accuracy per epoch, the kept epoch marked
    (an ensemble's heads in turn, each with its own curves)."""
    plt = _pyplot()

    fig, ax = plt.subplots(figsize=(6, 3.5))
    accuracy = ax.twinx()
    heads = list(history.groupby("head")) if "head" in history else [(None, history)]
    for i, (_, part) in enumerate(heads):
        first = i == 0
        ax.plot(part["epoch"], part["train_loss"], marker="o", color="tab:blue", alpha=0.7,
                label="train loss" if first else None)
        ax.plot(part["epoch"], part["valid_loss"], marker="o", color="tab:orange", alpha=0.7,
                label="validation loss" if first else None)
        best = part.loc[part["valid_loss"].idxmin()]
        ax.axvline(best["epoch"], color="grey", linestyle=":", alpha=0.7,
                   label=(f"kept (epoch {int(best['epoch'])})" if len(heads) == 1 else "kept epoch per head") if first else None)
        accuracy.plot(part["epoch"], part["valid_accuracy"], color="tab:green", marker=".", alpha=0.7,
                      label="validation accuracy" if first else None)
    ax.set_xlabel("epoch")
    ax.set_ylabel("cross-entropy")
    accuracy.set_ylim(0, 1)
    accuracy.set_ylabel("accuracy")
    lines = ax.get_legend_handles_labels()
    more = accuracy.get_legend_handles_labels()
    ax.legend(lines[0] + more[0], lines[1] + more[1], fontsize="small")
    ax.set_title(title if len(heads) == 1 else f"{title}, {len(heads)} heads")
    fig.tight_layout()
    save_png(fig, out)


def plot_confusion(table: pd.DataFrame, title: str, path: str | os.PathLike) -> None:
    """Confusion matrix as a heat map, counts written in the cells, rows normalised for colour."""
    plt = _pyplot()

    counts = table.to_numpy()
    support = counts.sum(axis=1, keepdims=True)
    shares = np.divide(counts, support, out=np.zeros(counts.shape, dtype=float), where=support > 0)
    size = 1.6 + 0.45 * len(table)
    fig, ax = plt.subplots(figsize=(size + 0.8, size), layout="constrained")
    image = ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(table.columns)), table.columns, rotation=45, ha="right")
    ax.set_yticks(range(len(table.index)), table.index)
    ax.set_xlabel("predicted genre")
    ax.set_ylabel("true genre")
    ax.set_title(title, fontsize=10)
    for i in range(counts.shape[0]):
        for j in range(counts.shape[1]):
            if counts[i, j]:
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=8,
                        color="white" if shares[i, j] > 0.6 else "black")
    fig.colorbar(image, ax=ax, shrink=0.8, label="share of the true genre")
    save_png(fig, path)


def plot_accuracy_vs_snr(summary: pd.DataFrame, path: str | os.PathLike, methods: Sequence[str] | None = None) -> None:
    """Accuracy of the mixture and every method against the test SNR, one panel per variant,
    with 95 % Wilson intervals and clean music as a reference band.

    With one test SNR a line plot has nothing to join, so each panel shows the methods
    side by side at that SNR instead.
    """
    plt = _pyplot()

    clean = summary[summary["method"] == CLEAN]
    rows = summary[(summary["method"] != CLEAN) & summary["snr_db"].notna()]
    if methods is not None:
        rows = rows[rows["method"].isin(methods)]
    variants = list(dict.fromkeys(rows["variant"]))
    snrs = sorted(rows["snr_db"].unique())
    methods = list(dict.fromkeys(rows["method"]))
    fig, axes = plt.subplots(1, max(1, len(variants)), figsize=(5.0 * max(1, len(variants)) + 1.6, 4.2),
                             sharey=True, squeeze=False, layout="constrained")
    colours = {m: plt.get_cmap("tab10")(i) for i, m in enumerate(methods)}
    for ax, variant in zip(axes[0], variants or [""]):
        part = rows[rows["variant"] == variant]
        if not clean.empty:
            c = clean.iloc[0]
            ax.axhspan(c["accuracy_ci_low"], c["accuracy_ci_high"], color="0.85", zorder=0, label="clean: 95 % CI")
            ax.axhline(c["accuracy"], color="0.3", linestyle="--", label=f"clean music ({c['accuracy']:.2f})")
        if len(snrs) > 1:
            # Methods side by side around each SNR, so their intervals do not hide each other.
            dodge = 0.025 * (max(snrs) - min(snrs))
            for i, method in enumerate(methods):
                m = part[part["method"] == method].sort_values("snr_db")
                if m.empty:
                    continue
                err = [m["accuracy"] - m["accuracy_ci_low"], m["accuracy_ci_high"] - m["accuracy"]]
                x = m["snr_db"] + dodge * (i - (len(methods) - 1) / 2)
                ax.errorbar(x, m["accuracy"], yerr=err, marker="o", capsize=3, color=colours[method],
                            linewidth=2.5 if method in (MIXTURE, "danet", "danet_oa") else 1.2,
                            linestyle=":" if method == MIXTURE else "-", label=method)
            ax.set_xlabel("test SNR (dB, music to noise)")
            ax.set_xticks(snrs)
        else:
            x = np.arange(len(methods))
            for i, method in enumerate(methods):
                m = part[part["method"] == method]
                if m.empty:
                    continue
                r = m.iloc[0]
                ax.bar(i, r["accuracy"], color=colours[method], alpha=0.85)
                ax.errorbar(i, r["accuracy"], yerr=[[r["accuracy"] - r["accuracy_ci_low"]],
                                                    [r["accuracy_ci_high"] - r["accuracy"]]],
                            color="black", capsize=4)
            ax.set_xticks(x, methods, rotation=35, ha="right")
            ax.set_xlabel(f"method (all test mixtures at {snrs[0]:g} dB SNR)" if snrs else "method")
        ax.set_title(variant)
        ax.set_ylim(0, 1.02)
        ax.grid(axis="y", alpha=0.3)
    axes[0][0].set_ylabel("genre accuracy (95 % Wilson CI)")
    axes[0][-1].legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    save_png(fig, path)


def figure_png(fig, dpi: int = 80) -> bytes:
    """``fig`` as PNG bytes (closed after)."""
    plt = _pyplot()

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    plt.close(fig)
    return buffer.getvalue()


def plot_danet_histories(histories: Mapping[tuple[str, str], pd.DataFrame]) -> bytes:
    """Train and validation loss per (model, variant): rows models, columns variants (the two
    models' objectives differ, so each panel has its own scale)."""
    plt = _pyplot()
    from matplotlib.ticker import MaxNLocator

    models = list(dict.fromkeys(m for m, _ in histories))
    variants = list(dict.fromkeys(v for _, v in histories))
    fig, axes = plt.subplots(len(models), len(variants), figsize=(4.6 * len(variants), 3.0 * len(models)),
                             squeeze=False, layout="constrained")
    for i, model in enumerate(models):
        for j, variant in enumerate(variants):
            ax = axes[i][j]
            history = histories.get((model, variant))
            ax.set_title(f"{model}, {variant}", fontsize=10)
            if history is None:
                ax.text(0.5, 0.5, "history missing", ha="center", va="center", transform=ax.transAxes)
                continue
            ax.plot(history["epoch"], history["train_loss"], "o--", label="train")
            ax.plot(history["epoch"], history["valid_loss"], "o-", label="validation")
            if "kmeans_attractors" in history:
                km = history[history["kmeans_attractors"].astype(str).str.lower().isin(["true", "1"])]
                if not km.empty:
                    ax.axvspan(km["epoch"].min() - 0.5, km["epoch"].max() + 0.5, color="0.9", label="k-means attractors")
            if "best" in history:
                best = history[history["best"].astype(str).str.lower().isin(["true", "1"])]
                if not best.empty:
                    ax.plot(best["epoch"].iloc[-1], best["valid_loss"].iloc[-1], "*", ms=14, color="C3", label="kept")
            ax.set_xlabel("epoch")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_ylabel("loss")
            ax.grid(alpha=0.3)
            ax.legend(fontsize=7)
    return figure_png(fig)


def plot_classifier_history(history: pd.DataFrame, title: str = "music2vec") -> bytes:
    """Loss and validation accuracy per epoch; an ensemble's heads (``head`` column) each in turn."""
    plt = _pyplot()
    from matplotlib.ticker import MaxNLocator

    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
    for ax in (ax_loss, ax_acc):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    heads = list(history.groupby("head")) if "head" in history else [(None, history)]
    for i, (_, part) in enumerate(heads):
        ax_loss.plot(part["epoch"], part["train_loss"], "o--", color="C0", alpha=0.7, label="train" if i == 0 else None)
        ax_loss.plot(part["epoch"], part["valid_loss"], "o-", color="C1", alpha=0.7,
                     label="validation" if i == 0 else None)
        if "valid_accuracy" in part:
            ax_acc.plot(part["epoch"], part["valid_accuracy"], "o-", color="C2", alpha=0.7)
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("cross-entropy")
    ax_loss.legend(fontsize=8)
    ax_loss.grid(alpha=0.3)
    ax_acc.set_ylim(0, 1)
    ax_acc.set_xlabel("epoch")
    ax_acc.set_ylabel("validation accuracy")
    ax_acc.grid(alpha=0.3)
    fig.suptitle(title if len(heads) == 1 else f"{title} ({len(heads)} heads)", fontsize=10)
    return figure_png(fig)


def plot_spectrograms(signals: Mapping[str, np.ndarray], sample_rate: int, title: str,
                      labels: Mapping[str, str] | None = None) -> bytes:
    """Log-magnitude spectrograms on one colour scale (the mixture's peak), 2 x 2 panels titled by ``labels``."""
    from scipy.signal import spectrogram

    plt = _pyplot()
    specs = {}
    for name, audio in signals.items():
        f, t, power = spectrogram(audio.astype(np.float64), fs=sample_rate, window="hann", nperseg=256,
                                  noverlap=192, mode="psd")
        specs[name] = (f, t, 10 * np.log10(power + 1e-12))
    top = max(float(s[2].max()) for s in specs.values())
    fig, axes = plt.subplots(2, 2, figsize=(10, 5), sharex=True, sharey=True, layout="constrained")
    labels = dict(labels or {})
    image = None
    for ax, (name, (f, t, db)) in zip(axes.ravel(), specs.items()):
        image = ax.pcolormesh(t, f / 1000, db, vmin=top - 80, vmax=top, cmap="magma", shading="auto", rasterized=True)
        ax.set_title(labels.get(name, name), fontsize=9)
    for ax in axes[:, 0]:
        ax.set_ylabel("kHz")
    for ax in axes[-1, :]:
        ax.set_xlabel("s")
    if image is not None:
        fig.colorbar(image, ax=axes, shrink=0.8, label="dB")
    fig.suptitle(title, fontsize=10)
    return figure_png(fig, dpi=72)


def plot_no_harm_fit(fit: dict, scores: pd.DataFrame, blind_snr_db: pd.Series, true_snr_db: pd.Series, title: str,
                     out: str | os.PathLike) -> None:
    """Left: the fitted weight curves over the calibration clips' blind SNR estimates (dots by true
    SNR). Right: validation accuracy per calibration SNR of the raw output, the mixture and each
    fitted output."""
    from .inference.observation_adding import WeightCurve

    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
    x = np.linspace(float(blind_snr_db.min()) - 3, float(blind_snr_db.max()) + 3, 200)
    for snr in sorted(true_snr_db.unique()):
        at = blind_snr_db[true_snr_db == snr]
        left.plot(at, np.full(len(at), -0.05), "|", ms=10, label=f"clips at {snr:g} dB")
    for kind, entry in fit["curves"].items():
        left.plot(x, WeightCurve.from_dict(entry["curve"])(x), lw=2, label=f"{kind} (log-lik {entry['log_likelihood']:.3f})")
    left.set_xlabel("blind SNR estimate of the clip (dB)")
    left.set_ylabel("weight of the mixture (mu)")
    left.set_ylim(-0.1, 1.05)
    left.grid(alpha=0.3)
    left.legend(fontsize=7)
    per_snr = scores[scores["snr_db"].notna()]
    outputs = list(dict.fromkeys(per_snr["output"]))
    snrs = sorted(per_snr["snr_db"].unique())
    width = 0.8 / max(1, len(outputs))
    for i, name in enumerate(outputs):
        part = per_snr[per_snr["output"] == name].set_index("snr_db").reindex(snrs)
        right.bar(np.arange(len(snrs)) + (i - (len(outputs) - 1) / 2) * width, part["accuracy"], width, label=name)
    right.set_xticks(np.arange(len(snrs)), [f"{s:g}" for s in snrs])
    right.set_xlabel("calibration SNR (dB)")
    right.set_ylabel("validation accuracy")
    right.set_ylim(0, 1)
    right.grid(axis="y", alpha=0.3)
    right.legend(fontsize=7)
    fig.suptitle(title, fontsize=10)
    save_png(fig, out)


# --------------------------------------------------------------------------- your own recordings


def plot_recording_spectrograms(signals: Mapping[str, np.ndarray], sample_rate: int, title: str,
                                labels: Mapping[str, str] | None = None) -> bytes:
    """Log-magnitude spectrograms of a recording's signals side by side (one panel each, titled by
    ``labels``), on one colour scale (the loudest signal's peak); PNG bytes."""
    from scipy.signal import spectrogram

    plt = _pyplot()
    specs = {}
    for name, audio in signals.items():
        audio = np.asarray(audio, dtype=np.float64)
        if audio.size < 256:  # a very short excerpt: padded so that one frame fits
            audio = np.pad(audio, (0, 256 - audio.size))
        f, t, power = spectrogram(audio, fs=sample_rate, window="hann", nperseg=256, noverlap=192, mode="psd")
        specs[name] = (f, t, 10 * np.log10(power + 1e-12))
    top = max(float(s[2].max()) for s in specs.values())
    fig, axes = plt.subplots(1, len(specs), figsize=(4 * len(specs), 2.8), sharey=True, squeeze=False,
                             layout="constrained")
    labels = dict(labels or {})
    image = None
    for ax, (name, (f, t, db)) in zip(axes[0], specs.items()):
        image = ax.pcolormesh(t, f / 1000, db, vmin=top - 80, vmax=top, cmap="magma", shading="auto", rasterized=True)
        ax.set_title(labels.get(name, name), fontsize=9)
        ax.set_xlabel("s")
    axes[0][0].set_ylabel("kHz")
    if image is not None:
        fig.colorbar(image, ax=axes[0].tolist(), shrink=0.8, label="dB")
    fig.suptitle(title, fontsize=10)
    return figure_png(fig, dpi=72)


def plot_genre_probabilities(class_names: Sequence[str], probabilities: Mapping[str, Sequence[float]],
                             title: str) -> bytes:
    """The classifier's probability of each genre under each condition (e.g. the unprocessed input
    and the denoised music) as grouped horizontal bars, the genre each predicts marked; PNG bytes."""
    plt = _pyplot()
    names = list(class_names)
    conditions = list(probabilities)
    fig, ax = plt.subplots(figsize=(6, 0.35 * len(names) * max(1, len(conditions)) + 1.0), layout="constrained")
    height = 0.8 / max(1, len(conditions))
    y = np.arange(len(names))
    for i, condition in enumerate(conditions):
        values = np.asarray(probabilities[condition], dtype=float)
        offset = (i - (len(conditions) - 1) / 2) * height
        bars = ax.barh(y + offset, values, height, label=condition)
        best = int(np.argmax(values))
        ax.text(values[best] + 0.01, y[best] + offset, "predicted", va="center", fontsize=7,
                color=bars.patches[best].get_facecolor())
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.15)
    ax.set_xlabel("probability")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title(title, fontsize=10)
    return figure_png(fig, dpi=72)
