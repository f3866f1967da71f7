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


def test_scan_esc50_reads_any_audio_format_of_the_layout(tmp_path):
    import soundfile as sf

    (tmp_path / "meta").mkdir()
    (tmp_path / "audio").mkdir()
    rows = []
    for i, (name, fmt) in enumerate((("1-100000-A-0.flac", "FLAC"), ("2-100001-A-0.wav", "WAV"),
                                     ("3-100002-B-50.ogg", "OGG"))):
        subtype = "VORBIS" if fmt == "OGG" else "PCM_16"
        sf.write(tmp_path / "audio" / name, archives.tone_clip(i, 1.0, 16000), 16000, format=fmt, subtype=subtype)
        rows.append({"filename": name, "fold": i + 1, "target": int(name.split("-")[-1].split(".")[0]),
                     "category": "dog" if i < 2 else "duck", "esc10": i < 2, "src_file": 100000 + i,
                     "take": name.split("-")[2]})
    pd.DataFrame(rows).to_csv(tmp_path / "meta" / "esc50.csv", index=False)
    table = scan_esc50(tmp_path)
    # The clip id is the file's stem, whatever its suffix; the path keeps the suffix.
    assert table["clip_id"].tolist() == ["1-100000-A-0", "2-100001-A-0", "3-100002-B-50"]
    assert [p.rsplit(".", 1)[1] for p in table["path"]] == ["flac", "wav", "ogg"]
    manifest = inspect_clips(table, min_seconds=0.5, silence_db=-60.0)
    assert manifest["usable"].all() and manifest["sample_rate"].eq(16000).all()
