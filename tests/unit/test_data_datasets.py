"""data.datasets: dataset layouts, manifests and the quality policy (skip and report), on real files.

The ``gtzan`` fixture (a real tarball, extracted) is in tests/unit/conftest.py."""

import archives
import numpy as np
import pandas as pd
import pytest

from danet_music2vec.audio import load_audio
from danet_music2vec.data.datasets import DatasetError, inspect_clips, quality_report, scan_esc50, scan_gtzan
from danet_music2vec.fetch.download import safe_extract


def test_scan_gtzan_lists_wav_and_au_clips_with_labels_and_ignores_stray_files(gtzan):
    table = scan_gtzan(gtzan)
    assert table["clip_id"].tolist() == [
        "blues.00000", "blues.00001", "blues.00002", "blues.00003", "blues.00004", "blues.00005", "blues.00006",
        "jazz.00000", "jazz.00001", "jazz.00002",
    ]
    assert set(table["label"]) == {"blues", "jazz"}
    assert (table["source"] == table["clip_id"]).all()  # real GTZAN: no artist list


def test_quality_policy_skips_and_reports_corrupt_short_and_silent_clips(gtzan):
    manifest = inspect_clips(scan_gtzan(gtzan), min_seconds=1.0, silence_db=-60.0)
    problems = dict(zip(manifest["clip_id"], manifest["problem"]))
    assert "cannot be decoded" in problems["jazz.00001"]
    assert problems["blues.00004"].startswith("silent")
    assert problems["blues.00005"].startswith("too short: 0.30 s")
    report = quality_report(manifest)
    assert sorted(report["clip_id"]) == ["blues.00004", "blues.00005", "jazz.00001"]
    assert (report["action"] == "skipped").all()
    usable = manifest.loc[manifest["usable"]]
    assert len(usable) == 7
    assert np.isfinite(usable["rms_db"]).all() and not usable["duration_s"].isna().any()


def test_stereo_odd_rate_clip_is_downmixed_and_resampled(gtzan):
    manifest = inspect_clips(scan_gtzan(gtzan), min_seconds=1.0, silence_db=-60.0).set_index("clip_id")
    assert manifest.loc["blues.00003", "channels"] == 2 and manifest.loc["blues.00003", "sample_rate"] == 44100
    audio, rate = load_audio(manifest.loc["blues.00003", "path"], sample_rate=8000)
    assert rate == 8000 and audio.ndim == 1 and abs(audio.size - 16000) <= 1


def test_missing_dataset_folder_is_reported_with_the_expected_layout(tmp_path):
    with pytest.raises(DatasetError, match="no genres/ folder"):
        scan_gtzan(tmp_path)
    with pytest.raises(DatasetError, match="no meta/esc50.csv"):
        scan_esc50(tmp_path)


def test_scan_esc50_reads_the_real_layout(tmp_path):
    zipped = archives.make_esc50_zip(tmp_path / "master.zip", categories=(("dog", 0), ("rain", 10)), clips_per_category=3)
    root = safe_extract(zipped, tmp_path / "esc50") / "ESC-50-master"
    table = scan_esc50(root)
    assert len(table) == 6 and set(table["label"]) == {"dog", "rain"}
    assert all(p.endswith(".wav") for p in table["path"])
    assert table["fold"].between(1, 5).all()


def test_esc50_csv_without_required_columns_is_refused(tmp_path):
    (tmp_path / "meta").mkdir()
    pd.DataFrame({"filename": ["a.wav"], "category": ["dog"]}).to_csv(tmp_path / "meta" / "esc50.csv", index=False)
    with pytest.raises(DatasetError, match=r"missing columns \['fold', 'target', 'esc10', 'src_file', 'take'\]"):
        scan_esc50(tmp_path)
