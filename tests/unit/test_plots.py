"""plots: every figure of the pipeline is a PNG that decodes, of the size its figure asks for,
with something drawn on it; files are written atomically."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from danet_music2vec import plots
from danet_music2vec.evaluation.classification import summarize
from regression.vectors import prediction_tables

PNG = b"\x89PNG\r\n\x1a\n"


def decoded(data: bytes) -> Image.Image:
    assert data.startswith(PNG)
    image = Image.open(io.BytesIO(data))
    image.load()  # decodes every pixel: a truncated file fails here
    return image


def assert_drawn(image: Image.Image, size: tuple[int, int]) -> None:
    assert image.size == size
    colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 20  # lines, text and fills, not a blank canvas


def danet_history(kmeans_from: int = 4) -> pd.DataFrame:
    epochs = np.arange(1, 6)
    return pd.DataFrame({"epoch": epochs, "train_loss": 1.0 / epochs, "valid_loss": [0.9, 0.6, 0.5, 0.55, 0.52],
                         "seconds": 1.0, "kmeans_attractors": epochs >= kmeans_from,
                         "best": [True, True, True, False, False]})


def music2vec_history(heads: int = 1) -> pd.DataFrame:
    rows = []
    for head in range(heads):
        for epoch in range(1, 5):
            rows.append({"head": head, "epoch": epoch, "train_loss": 1.1 / epoch + 0.01 * head,
                         "valid_loss": 1.0 / epoch + 0.02 * head, "valid_accuracy": 0.3 + 0.1 * epoch, "seconds": 1.0,
                         "best": True})
    frame = pd.DataFrame(rows)
    return frame if heads > 1 else frame.drop(columns="head")


def test_training_curves_are_written_as_png_files(tmp_path):
    plots.plot_danet_history(danet_history(), "danet, noise1", tmp_path / "danet.png")
    plots.plot_music2vec_history(music2vec_history(), "music2vec", tmp_path / "one.png")
    plots.plot_music2vec_history(music2vec_history(heads=3), "music2vec", tmp_path / "ensemble.png")
    for name in ("danet.png", "one.png", "ensemble.png"):
        assert_drawn(decoded((tmp_path / name).read_bytes()), (600, 350))  # 6 x 3.5 in at 100 dpi
    assert sorted(p.name for p in tmp_path.iterdir()) == ["danet.png", "ensemble.png", "one.png"]  # no temporaries


def test_confusion_matrix_grows_with_the_classes(tmp_path):
    sizes = []
    for genres in (["blues", "metal"], [f"genre{i}" for i in range(10)]):
        table = pd.DataFrame(np.arange(len(genres) ** 2).reshape(len(genres), -1), index=genres, columns=genres)
        plots.plot_confusion(table, "confusion", tmp_path / f"{len(genres)}.png")
        image = decoded((tmp_path / f"{len(genres)}.png").read_bytes())
        size = 1.6 + 0.45 * len(genres)
        assert_drawn(image, (round((size + 0.8) * 100), round(size * 100)))
        sizes.append(image.size)
    assert sizes[1][0] > sizes[0][0]


@pytest.mark.parametrize("n_snrs", [1, 2])
def test_accuracy_against_snr_has_one_panel_per_variant(tmp_path, n_snrs):
    clean, conditions = prediction_tables()
    if n_snrs == 1:
        conditions = {key: frame[frame["snr_db"] == 0.0] for key, frame in conditions.items()}
    plots.plot_accuracy_vs_snr(summarize(clean, conditions), tmp_path / "accuracy.png")
    width = round((5.0 * 2 + 1.6) * 100)  # two variants
    assert_drawn(decoded((tmp_path / "accuracy.png").read_bytes()), (width, 420))


def test_report_figures_are_png_bytes():
    histories = {("danet", "noise1"): danet_history(), ("danet_original", "noise1"): danet_history(kmeans_from=2),
                 ("danet", "noise2"): danet_history()}  # danet_original/noise2 missing: a note in its panel
    assert_drawn(decoded(plots.plot_danet_histories(histories)), (2 * 368, 2 * 240))  # 4.6 x 3.0 in per panel, 80 dpi
    assert_drawn(decoded(plots.plot_classifier_history(music2vec_history(heads=2))), (720, 256))  # 9 x 3.2 in
    rng = np.random.default_rng(0)
    signals = {name: rng.standard_normal(8000).astype(np.float32) for name in ("mixture", "music", "noise", "danet")}
    image = decoded(plots.plot_spectrograms(signals, 8000, "clip", labels={"danet": "DANet music"}))
    assert_drawn(image, (720, 360))  # 10 x 5 in at 72 dpi


def test_save_png_closes_the_figure_and_a_failed_save_leaves_nothing(tmp_path):
    plt = plots._pyplot()
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    plots.save_png(fig, tmp_path / "line.png", dpi=50)
    assert not plt.fignum_exists(fig.number)
    assert_drawn(decoded((tmp_path / "line.png").read_bytes()), (320, 240))  # matplotlib's 6.4 x 4.8 in
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    with pytest.raises(ValueError, match="dpi must be positive"):  # savefig fails inside the atomic write
        plots.save_png(fig, tmp_path / "line.png", dpi=0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["line.png"]  # the old figure, no temporary
    assert_drawn(decoded((tmp_path / "line.png").read_bytes()), (320, 240))
    plt.close(fig)
